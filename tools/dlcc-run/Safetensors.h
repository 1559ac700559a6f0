//===- Safetensors.h - checkpoints in the safetensors format ---*- C++ -*-===//
//
// Writes named tensors as a .safetensors file (an 8-byte little-endian
// header size, a JSON header with each tensor's dtype, shape and byte
// range, then the bytes), the format torch, JAX and the Hugging Face tools
// read. Written atomically: a failed write leaves an existing file as it
// was. Errors are dlcc::run::Error.
//
//===----------------------------------------------------------------------===//
#ifndef DLCC_RUN_SAFETENSORS_H
#define DLCC_RUN_SAFETENSORS_H

#include "dlcc-c/dlcc.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace dlcc::run {

struct NamedTensor {
  std::string name;
  dlcc_dtype_t dtype;
  std::vector<int64_t> shape;
  std::vector<uint8_t> bytes;
};

/// The safetensors dtype name of `dtype` ("F32", "I64", "BOOL", ...).
std::string safetensorsDtype(dlcc_dtype_t dtype);

void writeSafetensorsAtomically(const std::string &path,
                                const std::vector<NamedTensor> &tensors,
                                const std::map<std::string, std::string> &metadata);

} // namespace dlcc::run

#endif // DLCC_RUN_SAFETENSORS_H
