#include "harness/cli/app.hpp"

int main(int argc, char** argv) { return drover::cli::run_app(argc, argv); }
