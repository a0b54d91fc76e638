// The berth command.
#include "cli/command_line.h"

int main(int argc, char** argv) {
  return berth::cli::run_command_line(argc, argv);
}
