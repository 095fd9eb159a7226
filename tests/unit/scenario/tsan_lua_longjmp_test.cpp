// Under ThreadSanitizer, a Lua yield or error from one of our C functions leaves TSan's shadow
// call stack as it was before lua_resume / lua_pcall (harness/scenario/tsan/lua_longjmp.cpp).
// Without that shim every yield left the C function's frames on it: a scenario's client
// recorded ever deeper stacks, and the churn test's drover grew to 24 GB. The depth is read as
// TSan sees it: the recorded allocation stack of a block allocated at the same place before and
// after 2,000 yields and 2,000 caught errors.
#include <cstdint>
#include <memory>
#include <vector>

#include <gtest/gtest.h>
#include <lua.hpp>

#if defined(__SANITIZE_THREAD__)
extern "C" int __tsan_get_alloc_stack(std::uintptr_t addr, std::uintptr_t* trace, std::uintptr_t size, int* thread_id,
                                      std::uint64_t* os_id);
#endif

namespace {

#if defined(__SANITIZE_THREAD__)
int yield_from_c(lua_State* L) { return lua_yield(L, 0); }
int error_from_c(lua_State* L) { return luaL_error(L, "expected error"); }

// Frames TSan records for an allocation made here (its shadow stack's depth, plus this frame).
__attribute__((noinline)) std::size_t recorded_depth() {
  auto block = std::make_unique<char[]>(64);
  std::vector<std::uintptr_t> trace(1 << 16);
  int thread_id = 0;
  std::uint64_t os_id = 0;
  return static_cast<std::size_t>(__tsan_get_alloc_stack(reinterpret_cast<std::uintptr_t>(block.get()), trace.data(),
                                                         trace.size(), &thread_id, &os_id));
}
#endif

TEST(TsanLuaLongjmp, YieldsAndErrorsFromCFunctionsLeaveTheShadowStackAsItWas) {
#if !defined(__SANITIZE_THREAD__)
  GTEST_SKIP() << "checks ThreadSanitizer's shadow stack (tests/tsan.sh)";
#else
  std::size_t before = recorded_depth();
  ASSERT_GT(before, 0u) << "TSan recorded no allocation stack";
  lua_State* L = luaL_newstate();
  ASSERT_NE(L, nullptr);
  lua_register(L, "yield_from_c", yield_from_c);
  lua_register(L, "error_from_c", error_from_c);
  ASSERT_EQ(luaL_dostring(L, "function two_yields() yield_from_c() yield_from_c() end"), LUA_OK);
  for (int i = 0; i < 1000; ++i) {
    lua_State* co = lua_newthread(L);
    lua_getglobal(co, "two_yields");
    int results = 0;
    ASSERT_EQ(lua_resume(co, nullptr, 0, &results), LUA_YIELD);
    ASSERT_EQ(lua_resume(co, nullptr, 0, &results), LUA_YIELD);
    ASSERT_EQ(lua_resume(co, nullptr, 0, &results), LUA_OK);
    lua_pop(L, 1);
  }
  for (int i = 0; i < 2000; ++i) {
    lua_getglobal(L, "error_from_c");
    ASSERT_EQ(lua_pcall(L, 0, 0, 0), LUA_ERRRUN);
    lua_pop(L, 1);
  }
  lua_close(L);
  EXPECT_EQ(recorded_depth(), before) << "frames left on TSan's shadow stack by Lua's longjmps";
#endif
}

}  // namespace
