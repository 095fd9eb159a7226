// `fake_server NAME [flags]` == `drover fake NAME [flags]`.
#include <cstdio>

#include "fakes/fake_main.hpp"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: fake_server NAME [flags]   (NAME: echo, wearable)\n");
    return 2;
  }
  return drover::fakes::fake_main(argc - 1, argv + 1);
}
