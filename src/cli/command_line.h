// The command line of `berth`: parses ARGV and runs the subcommand it names.
#pragma once

namespace berth::cli {

// Returns the process exit code.
int run_command_line(int argc, char** argv);

}  // namespace berth::cli
