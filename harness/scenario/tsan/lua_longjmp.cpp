// ThreadSanitizer builds only (DROVER_TSAN; CMakeLists.txt compiles this into every target that
// links Lua): Lua's yields and errors must unwind TSan's shadow call stack.
//
// Lua leaves a coroutine on a yield, and a protected call on an error, with a longjmp. Debian's
// liblua5.4 is built with _FORTIFY_SOURCE, so that longjmp is glibc's __longjmp_chk, which the
// TSan runtimes of GCC 12 and clang 14 do not intercept (they intercept longjmp, siglongjmp and
// every setjmp). TSan then never pops the entries that our instrumented C functions pushed
// between lua_resume and lua_yield: each yield of a scenario's client left them on the shadow
// stack, so a client's stack grew by thousands of frames over a few thousand sessions, every
// allocation recorded that ever longer stack, and the churn test's drover grew to 24 GB in 85 s
// (OOM-killed). Past 65,536 entries TSan would write beyond the shadow stack's end.
//
// The executable's definition of __longjmp_chk wins over glibc's for liblua (the executable is
// searched first), and longjmp here is TSan's interceptor: it restores the shadow stack saved by
// the intercepted _setjmp, then jumps. What is lost is __longjmp_chk's own check that the jump
// goes up the stack, which Lua's jumps always do (coroutines share the C stack in Lua 5.4).
// tests/unit/scenario/tsan_lua_longjmp_test.cpp holds a client's shadow stack flat over yields.
#include <csetjmp>

#if defined(__SANITIZE_THREAD__)
extern "C" [[noreturn]] void __longjmp_chk(std::jmp_buf env, int value) { std::longjmp(env, value); }
#endif
