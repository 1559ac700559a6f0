//===- Commands.h - dlcc-artifact-tool subcommands in other files -*- C++ -*-//
#ifndef DLCC_ARTIFACT_TOOL_COMMANDS_H
#define DLCC_ARTIFACT_TOOL_COMMANDS_H

#include "dlcc/Target/Artifact/ArtifactWriter.h"

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace dlcc::tool {

/// Helpers for the sample programs the subcommands write.
template <typename T> std::vector<uint8_t> bytesOf(const std::vector<T> &v) {
  std::vector<uint8_t> out(v.size() * sizeof(T));
  if (!out.empty())
    std::memcpy(out.data(), v.data(), out.size());
  return out;
}

inline std::vector<uint8_t> bytesOf(const std::string &s) {
  return std::vector<uint8_t>(s.begin(), s.end());
}

inline artifact::ArgumentDesc arg(std::string name, artifact::ArgumentKind kind,
                                  int32_t slot, artifact::DType dtype,
                                  std::vector<int64_t> shape) {
  artifact::ArgumentDesc d;
  d.name = std::move(name);
  d.kind = kind;
  d.stateSlot = slot;
  d.dtype = dtype;
  d.shape = std::move(shape);
  return d;
}

/// write-cpu-sample OUT --kernels-so K.so [options] (CpuSample.cpp).
int writeCpuSample(const std::vector<std::string> &args);
/// session-selftest FILE: the session C API's argument checks on a program
/// written by write-cpu-sample (SessionSelftest.cpp).
int sessionSelftest(const std::vector<std::string> &args);
/// program-lifetime-selftest FILE [ROUNDS]: the program's reference counting
/// against sessions, across threads (SessionSelftest.cpp).
int programLifetimeSelftest(const std::vector<std::string> &args);

} // namespace dlcc::tool

#endif // DLCC_ARTIFACT_TOOL_COMMANDS_H
