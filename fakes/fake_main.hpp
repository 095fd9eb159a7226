#pragma once
// Entry point of `drover fake NAME [flags]`. argv[0] is the fake's name ("echo", "wearable").
// Runs until SIGINT/SIGTERM, then shuts down cleanly. Returns the exit code.
namespace drover::fakes {
int fake_main(int argc, char** argv);
}
