//===- Npy.h - NumPy .npy arrays for dlcc-run -------------------*- C++ -*-===//
//
// Parsing and writing of the .npy format (versions 1.0, 2.0 and 3.0), for
// little-endian ('<' or '|') C-order arrays of the element types dlcc has.
// Errors are thrown as dlcc::run::Error with a one-line message.
//
//===----------------------------------------------------------------------===//
#ifndef DLCC_RUN_NPY_H
#define DLCC_RUN_NPY_H

#include "dlcc-c/dlcc.h"

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace dlcc::run {

/// A user-facing error: dlcc-run prints "dlcc-run: error: " + what().
struct Error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// A parsed .npy file. `descr` is the header's dtype string ("<f4"); the
/// element data are bytes [dataOffset, dataOffset + dataSize) of `bytes`.
struct NpyArray {
  std::vector<uint8_t> bytes;
  std::string descr;
  char kind = 0; // 'f', 'i', 'u', 'b', 'V'
  size_t itemSize = 0;
  std::vector<int64_t> shape;
  size_t dataOffset = 0;
  size_t dataSize = 0;
};

/// Headers longer than this are rejected (numpy's own limit is 10000).
inline constexpr size_t kMaxNpyHeaderBytes = size_t(1) << 20;

/// Parses the header at the start of a .npy file from the first `available`
/// bytes at `data`; `what` names the file in messages. Sets everything but
/// `bytes`: dataOffset is the header's size, dataSize what shape and dtype
/// need (the caller checks the file has exactly that much data).
NpyArray parseNpyHeader(const uint8_t *data, size_t available,
                        const std::string &what);

/// Whether `array`'s element type is `dtype` (bool is i1; bf16 and the f8
/// types, which NumPy lacks, are accepted as same-width unsigned integers
/// or void, holding the bits).
bool npyMatches(const NpyArray &array, dlcc_dtype_t dtype);

/// The NumPy descr dlcc-run writes for `dtype` ("<f4", "|b1"; "<u2" for
/// bf16 and "|u1" for the f8 types, which hold their bits).
std::string npyDescr(dlcc_dtype_t dtype);

/// "(2, 3)", "(3,)", "()" as NumPy prints shapes.
std::string shapeTuple(const std::vector<int64_t> &shape);

/// A version 1.0 .npy file of `dtype` with `shape` and the `size` bytes at
/// `data`.
std::vector<uint8_t> writeNpy(dlcc_dtype_t dtype,
                              const std::vector<int64_t> &shape,
                              const void *data, size_t size);

} // namespace dlcc::run

#endif // DLCC_RUN_NPY_H
