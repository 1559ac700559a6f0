//===- Commands.h - dlcc-artifact-tool subcommands in other files -*- C++ -*-//
#ifndef DLCC_ARTIFACT_TOOL_COMMANDS_H
#define DLCC_ARTIFACT_TOOL_COMMANDS_H

#include <string>
#include <vector>

namespace dlcc::tool {

/// write-cpu-sample OUT --kernels-so K.so [options] (CpuSample.cpp).
int writeCpuSample(const std::vector<std::string> &args);
/// session-selftest FILE: the session C API's argument checks on a program
/// written by write-cpu-sample (SessionSelftest.cpp).
int sessionSelftest(const std::vector<std::string> &args);

} // namespace dlcc::tool

#endif // DLCC_ARTIFACT_TOOL_COMMANDS_H
