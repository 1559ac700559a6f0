//===- TensorFile.cpp - standalone TensorProto files ----------------------===//
//
// Compiled with exceptions and RTTI like the rest of the reader; nothing here
// lets an exception escape.
//
//===----------------------------------------------------------------------===//
#include "dlcc/Importer/Onnx/ModelLoader.h"

#include <fstream>
#include <iterator>

namespace dlcc::onnx_import {

bool readTensorFile(const std::string &path, onnx::TensorProto &tensor,
                    std::vector<char> &bytes, std::string &error) {
  try {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      error = "cannot open tensor file '" + path + "'";
      return false;
    }
    std::string data((std::istreambuf_iterator<char>(in)),
                     std::istreambuf_iterator<char>());
    if (in.bad() || data.size() > (size_t(1) << 31) - 1) {
      error = "cannot read tensor file '" + path + "'";
      return false;
    }
    if (!tensor.ParseFromString(data)) {
      error = "'" + path + "' is not a serialized ONNX TensorProto";
      return false;
    }
    if (tensor.data_location() == onnx::TensorProto::EXTERNAL) {
      error = "tensor file '" + path + "' refers to external data, which is not "
              "supported for compile-time inputs";
      return false;
    }
    LoadedModel none;
    return readTensorData(tensor, none, bytes, error);
  } catch (const std::exception &e) {
    error = "cannot read tensor file '" + path + "': " + e.what();
    return false;
  }
}

} // namespace dlcc::onnx_import
