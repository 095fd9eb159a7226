#pragma once
// The drover command line: parses argv and dispatches to run / conform / validate /
// protocols / fake / version. Returns the process exit code (see common/error.hpp).
namespace drover::cli {
int run_app(int argc, char** argv);
}
