//===- ModelLoader.h - ONNX model loading and validation --------*- C++ -*-===//
//
// Reads an ONNX model file, parses it with protobuf and validates it before
// any MLIR is built: graph structure (single producer per value, every use
// defined, acyclic), tensor payloads (dims, sizes, supported types), external
// data (path confinement, symlinks, hard links, bounds) and the unsupported
// features (subgraphs, local functions, sparse tensors, non-tensor types,
// foreign operator domains).
//
// This interface deliberately uses plain std types only: its implementation is
// compiled with exceptions and RTTI (protobuf needs them) while the rest of the
// compiler is not. No exception escapes any of these functions.
//
//===----------------------------------------------------------------------===//

#ifndef DLCC_IMPORTER_ONNX_MODELLOADER_H
#define DLCC_IMPORTER_ONNX_MODELLOADER_H

#include <onnx/onnx_pb.h> // libonnx-dev 1.12, ONNX_NAMESPACE=onnx, ONNX_ML=1

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace dlcc::onnx_import {

struct LoadedModel {
  onnx::ModelProto model;
  /// The model path as given by the user.
  std::string path;
  /// Canonical (realpath) directory holding the model file; external data
  /// locations are resolved relative to it and must stay inside it.
  std::string directory;
  /// The graph's nodes in topological order (stable: among the nodes that are
  /// ready, the original order is kept). Points into `model`.
  std::vector<const onnx::NodeProto *> sortedNodes;
  /// opset_import: domain -> version. "" stands for ai.onnx ("ai.onnx" is
  /// normalised to ""). Models without opset_import and ir_version < 3 get
  /// {"" -> 1}.
  std::map<std::string, int64_t> opsets;
};

/// Reads, parses and validates the model at `path`. Returns true on success.
/// On failure returns false and sets `error` to one human-readable message
/// (no trailing newline, no "error:" prefix). `out` is left in an unspecified
/// state on failure.
///
/// Note: a graph input that has the same name as an initializer is accepted
/// for every IR version (the ONNX spec allows it); the initializer wins.
bool loadModel(const std::string &path, LoadedModel &out, std::string &error);

/// Element size in bytes of an ONNX TensorProto data type, 0 if unsupported
/// (undefined, string, complex, float8, int4, ...). Bool is 1 byte.
size_t elementByteSize(int32_t onnxDataType);

/// Number of elements of a tensor, with overflow check. Returns false (and
/// sets `error`) on a negative dim or when the element count exceeds 2^62.
bool checkedElementCount(const onnx::TensorProto &t, int64_t &count,
                         std::string &error);

/// Decodes a tensor's payload into dense little-endian bytes of its data type
/// (bool/uint8/int8: 1 byte, f16/bf16: 2 bytes, ...). Bool bytes are
/// normalised to 0/1. The payload comes from raw_data, the typed fields
/// (float_data, double_data, int32_data - which also holds
/// int8/uint8/int16/uint16/bool/f16/bf16 values one per entry -, int64_data,
/// uint64_data - which holds uint32/uint64 -) or external data
/// (data_location == EXTERNAL, resolved against `m.directory`). Validates that
/// the payload size matches dims exactly.
bool readTensorData(const onnx::TensorProto &t, const LoadedModel &m,
                    std::vector<char> &bytes, std::string &error);

/// Reads a serialized TensorProto file (the format of ONNX's test data,
/// `input_0.pb`), validating it like an initializer; external data is
/// rejected. On success `bytes` holds its dense little-endian payload.
bool readTensorFile(const std::string &path, onnx::TensorProto &tensor,
                    std::vector<char> &bytes, std::string &error);

} // namespace dlcc::onnx_import

#endif // DLCC_IMPORTER_ONNX_MODELLOADER_H
