//===- Safetensors.cpp - checkpoints in the safetensors format ------------===//
#include "Safetensors.h"
#include "AtomicFile.h"
#include "Npy.h"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstring>
#include <unistd.h>

namespace dlcc::run {

std::string safetensorsDtype(dlcc_dtype_t dtype) {
  switch (dtype) {
  case DLCC_DTYPE_F16: return "F16";
  case DLCC_DTYPE_BF16: return "BF16";
  case DLCC_DTYPE_F32: return "F32";
  case DLCC_DTYPE_F64: return "F64";
  case DLCC_DTYPE_F8E4M3FN: return "F8_E4M3";
  case DLCC_DTYPE_F8E5M2: return "F8_E5M2";
  case DLCC_DTYPE_I1: return "BOOL";
  case DLCC_DTYPE_I8: return "I8";
  case DLCC_DTYPE_I16: return "I16";
  case DLCC_DTYPE_I32: return "I32";
  case DLCC_DTYPE_I64: return "I64";
  case DLCC_DTYPE_U8: return "U8";
  case DLCC_DTYPE_U16: return "U16";
  case DLCC_DTYPE_U32: return "U32";
  case DLCC_DTYPE_U64: return "U64";
  }
  throw Error("no safetensors dtype for dlcc dtype " +
              std::to_string(int(dtype)));
}


void writeSafetensorsAtomically(
    const std::string &path, const std::vector<NamedTensor> &tensors,
    const std::map<std::string, std::string> &metadata) {
  nlohmann::ordered_json header = nlohmann::ordered_json::object();
  if (!metadata.empty())
    header["__metadata__"] = metadata;
  uint64_t offset = 0;
  for (const NamedTensor &t : tensors) {
    header[t.name] = {{"dtype", safetensorsDtype(t.dtype)},
                      {"shape", t.shape},
                      {"data_offsets", {offset, offset + t.bytes.size()}}};
    offset += t.bytes.size();
  }
  std::string text = header.dump();
  text.append((8 - text.size() % 8) % 8, ' '); // data 8-byte aligned
  uint8_t size[8];
  for (int i = 0; i < 8; ++i)
    size[i] = uint8_t(uint64_t(text.size()) >> (8 * i));

  AtomicFile file(path);
  auto write = [&](const void *data, size_t bytes) {
    const auto *p = static_cast<const uint8_t *>(data);
    while (bytes) {
      ssize_t n = ::write(file.fd(), p, bytes);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        file.fail(std::strerror(errno));
      p += n;
      bytes -= size_t(n);
    }
  };
  write(size, sizeof(size));
  write(text.data(), text.size());
  for (const NamedTensor &t : tensors)
    write(t.bytes.data(), t.bytes.size());
  file.commit();
}

} // namespace dlcc::run
