// Exit codes of the berth command. A guest's own exit code passes through unchanged; berth's
// codes sit where shells and other runtimes put them so scripts can tell the cases apart.
#pragma once

#include "berth/result.h"

namespace berth::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitUsage = 2;         // bad command line
inline constexpr int kExitDeadline = 124;    // --timeout stopped the guest (as coreutils timeout)
inline constexpr int kExitBerthError = 125;  // berth could not load, link or start the program
inline constexpr int kExitTrap = 134;        // the guest trapped (128 + SIGABRT, as wasmtime)

int exit_code_for(const Error& error);

// Prints "error: <message>" and the wasm backtrace, if any, on stderr.
void report_error(const Error& error);
// Prints "warning: <line>" on stderr.
void report_warning(const std::string& line);

// "note: LINE" on stderr: what -v explains.
void report_note(const std::string& line);

}  // namespace berth::cli
