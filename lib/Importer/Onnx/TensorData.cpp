//===- TensorData.cpp - ONNX tensor payload decoding ----------------------===//
//
// Decodes TensorProto payloads (raw_data, typed fields, external data) into
// dense little-endian bytes, validating sizes, data types and - for external
// data - that the referenced file is a plain file confined to the model's
// directory.
//
// Compiled with exceptions and RTTI; nothing here lets an exception escape.
//
//===----------------------------------------------------------------------===//

#include "dlcc/Importer/Onnx/ModelLoader.h"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

namespace dlcc::onnx_import {

// Shared with ModelLoader.cpp (declared there as well; not part of the public
// header on purpose).
namespace detail {
std::string quote(const std::string &s);
std::string dataTypeName(int32_t dataType);
bool validateTensor(const onnx::TensorProto &t, const LoadedModel &m,
                    const std::string &label, std::string &error);
} // namespace detail

namespace {

constexpr uint64_t kMaxElementsOrBytes = uint64_t(1) << 62;

std::string tensorLabel(const onnx::TensorProto &t) {
  if (t.name().empty())
    return "unnamed tensor";
  return "tensor " + detail::quote(t.name());
}

std::string formatDims(const onnx::TensorProto &t) {
  std::string s = "[";
  for (int i = 0; i < t.dims_size(); ++i) {
    if (i)
      s += ", ";
    if (i == 16 && t.dims_size() > 17) {
      s += "... (" + std::to_string(t.dims_size()) + " dims)";
      break;
    }
    s += std::to_string(t.dims(i));
  }
  return s + "]";
}

std::string describeShape(const onnx::TensorProto &t) {
  return "dims " + formatDims(t) + " of " +
         detail::dataTypeName(t.data_type());
}

/// Stores the low `n` bytes of `v` little-endian at `dst`.
inline void putLE(uint64_t v, size_t n, char *dst) {
  for (size_t i = 0; i < n; ++i)
    dst[i] = static_cast<char>((v >> (8 * i)) & 0xff);
}

bool elementCountImpl(const onnx::TensorProto &t, const std::string &label,
                      int64_t &count, std::string &error) {
  uint64_t n = 1;
  bool overflow = false;
  for (int i = 0; i < t.dims_size(); ++i) {
    int64_t d = t.dims(i);
    if (d < 0) {
      error = label + " has negative dimension " + std::to_string(d) +
              " at axis " + std::to_string(i) + " (dims " + formatDims(t) +
              ")";
      return false;
    }
    uint64_t ud = static_cast<uint64_t>(d);
    if (ud != 0 && n > kMaxElementsOrBytes / ud)
      overflow = true; // keep scanning: a later 0 or negative dim matters
    else
      n *= ud;
  }
  // A zero dimension makes the tensor empty regardless of the others.
  bool hasZero = false;
  for (int i = 0; i < t.dims_size(); ++i)
    hasZero |= t.dims(i) == 0;
  if (hasZero) {
    count = 0;
    return true;
  }
  if (overflow || n > kMaxElementsOrBytes) {
    error = label + " is too large: its element count overflows (dims " +
            formatDims(t) + ")";
    return false;
  }
  count = static_cast<int64_t>(n);
  return true;
}

/// Checks data type, dims, element count and byte size.
bool checkShapeAndType(const onnx::TensorProto &t, const std::string &label,
                       int64_t &count, uint64_t &byteSize,
                       std::string &error) {
  if (t.has_segment()) {
    error = label + " is segmented (TensorProto.segment); segmented tensors "
                    "are not supported";
    return false;
  }
  size_t elemSize = elementByteSize(t.data_type());
  if (elemSize == 0) {
    if (t.data_type() == onnx::TensorProto_DataType_UNDEFINED)
      error = label + " has no data type (UNDEFINED)";
    else
      error = label + " has unsupported data type " +
              detail::dataTypeName(t.data_type());
    return false;
  }
  if (!elementCountImpl(t, label, count, error))
    return false;
  uint64_t n = static_cast<uint64_t>(count);
  if (n > kMaxElementsOrBytes / elemSize) {
    error = label + " is too large: its byte size overflows (" +
            describeShape(t) + ")";
    return false;
  }
  byteSize = n * elemSize;
  return true;
}

//===----------------------------------------------------------------------===//
// Inline payloads
//===----------------------------------------------------------------------===//

enum class Field { Raw, Float, Int32, String, Int64, Double, UInt64, None };

const char *fieldName(Field f) {
  switch (f) {
  case Field::Raw:
    return "raw_data";
  case Field::Float:
    return "float_data";
  case Field::Int32:
    return "int32_data";
  case Field::String:
    return "string_data";
  case Field::Int64:
    return "int64_data";
  case Field::Double:
    return "double_data";
  case Field::UInt64:
    return "uint64_data";
  case Field::None:
    break;
  }
  return "no data field";
}

/// The typed field the ONNX spec uses for a (supported) data type.
Field typedFieldFor(int32_t dt) {
  switch (dt) {
  case onnx::TensorProto_DataType_FLOAT:
    return Field::Float;
  case onnx::TensorProto_DataType_UINT8:
  case onnx::TensorProto_DataType_INT8:
  case onnx::TensorProto_DataType_UINT16:
  case onnx::TensorProto_DataType_INT16:
  case onnx::TensorProto_DataType_INT32:
  case onnx::TensorProto_DataType_BOOL:
  case onnx::TensorProto_DataType_FLOAT16:
  case onnx::TensorProto_DataType_BFLOAT16:
    return Field::Int32;
  case onnx::TensorProto_DataType_INT64:
    return Field::Int64;
  case onnx::TensorProto_DataType_DOUBLE:
    return Field::Double;
  case onnx::TensorProto_DataType_UINT32:
  case onnx::TensorProto_DataType_UINT64:
    return Field::UInt64;
  default:
    return Field::None;
  }
}

int64_t typedFieldSize(const onnx::TensorProto &t, Field f) {
  switch (f) {
  case Field::Float:
    return t.float_data_size();
  case Field::Int32:
    return t.int32_data_size();
  case Field::String:
    return t.string_data_size();
  case Field::Int64:
    return t.int64_data_size();
  case Field::Double:
    return t.double_data_size();
  case Field::UInt64:
    return t.uint64_data_size();
  case Field::Raw:
    return static_cast<int64_t>(t.raw_data().size());
  case Field::None:
    break;
  }
  return 0;
}

const Field kTypedFields[] = {Field::Float,  Field::Int32,  Field::String,
                              Field::Int64,  Field::Double, Field::UInt64};

/// Validates (and, if `out` is non-null, decodes) an inline payload.
bool decodeInline(const onnx::TensorProto &t, const std::string &label,
                  int64_t count, uint64_t byteSize, std::vector<char> *out,
                  std::string &error) {
  const int32_t dt = t.data_type();
  const size_t elemSize = elementByteSize(dt);
  const Field expected = typedFieldFor(dt);

  // Which fields carry data?
  Field present = Field::None;
  int numPresent = 0;
  if (t.has_raw_data()) {
    present = Field::Raw;
    ++numPresent;
  }
  for (Field f : kTypedFields) {
    if (typedFieldSize(t, f) > 0) {
      if (numPresent == 0)
        present = f;
      ++numPresent;
    }
  }
  if (numPresent > 1) {
    std::string fields;
    if (t.has_raw_data())
      fields = "raw_data";
    for (Field f : kTypedFields)
      if (typedFieldSize(t, f) > 0)
        fields += std::string(fields.empty() ? "" : " and ") + fieldName(f);
    error = label + " stores its data in more than one field (" + fields + ")";
    return false;
  }

  if (present == Field::None) {
    if (count != 0) {
      error = label + " data size mismatch: " + describeShape(t) + " need " +
              std::to_string(count) + " elements, but the tensor has no data";
      return false;
    }
    if (out)
      out->clear();
    return true;
  }

  if (present == Field::Raw) {
    const std::string &raw = t.raw_data();
    if (static_cast<uint64_t>(raw.size()) != byteSize) {
      error = label + " data size mismatch: " + describeShape(t) + " need " +
              std::to_string(byteSize) + " bytes, but raw_data has " +
              std::to_string(raw.size()) + " bytes";
      return false;
    }
    if (out) {
      out->assign(raw.begin(), raw.end());
      if (dt == onnx::TensorProto_DataType_BOOL)
        for (char &c : *out)
          c = c != 0 ? 1 : 0;
    }
    return true;
  }

  if (present != expected) {
    error = label + " stores its data in " + fieldName(present) +
            ", which cannot hold data type " + detail::dataTypeName(dt) +
            " (expected " + fieldName(expected) + " or raw_data)";
    return false;
  }
  int64_t have = typedFieldSize(t, present);
  if (have != count) {
    error = label + " data size mismatch: " + describeShape(t) + " need " +
            std::to_string(count) + " elements, but " + fieldName(present) +
            " has " + std::to_string(have) + " elements";
    return false;
  }
  if (!out)
    return true;

  out->assign(static_cast<size_t>(byteSize), 0);
  char *dst = out->data();
  switch (present) {
  case Field::Float:
    for (int64_t i = 0; i < count; ++i, dst += 4) {
      float v = t.float_data(static_cast<int>(i));
      uint32_t bits;
      std::memcpy(&bits, &v, sizeof(bits));
      putLE(bits, 4, dst);
    }
    break;
  case Field::Double:
    for (int64_t i = 0; i < count; ++i, dst += 8) {
      double v = t.double_data(static_cast<int>(i));
      uint64_t bits;
      std::memcpy(&bits, &v, sizeof(bits));
      putLE(bits, 8, dst);
    }
    break;
  case Field::Int32:
    for (int64_t i = 0; i < count; ++i, dst += elemSize) {
      int32_t v = t.int32_data(static_cast<int>(i));
      uint64_t bits = static_cast<uint64_t>(static_cast<uint32_t>(v));
      if (dt == onnx::TensorProto_DataType_BOOL)
        bits = v != 0 ? 1 : 0;
      // int8/uint8/int16/uint16/f16/bf16 keep their low bits (two's
      // complement truncation, like onnx.numpy_helper).
      putLE(bits, elemSize, dst);
    }
    break;
  case Field::Int64:
    for (int64_t i = 0; i < count; ++i, dst += 8)
      putLE(static_cast<uint64_t>(t.int64_data(static_cast<int>(i))), 8, dst);
    break;
  case Field::UInt64:
    for (int64_t i = 0; i < count; ++i, dst += elemSize)
      putLE(t.uint64_data(static_cast<int>(i)), elemSize, dst);
    break;
  default:
    error = label + ": internal error decoding " + fieldName(present);
    return false;
  }
  return true;
}

//===----------------------------------------------------------------------===//
// External data
//===----------------------------------------------------------------------===//

/// Parses a non-negative decimal integer (digits only) without overflow.
bool parseNonNegative(const std::string &s, int64_t &v) {
  if (s.empty() || s.size() > 30)
    return false;
  uint64_t acc = 0;
  for (char c : s) {
    if (c < '0' || c > '9')
      return false;
    uint64_t digit = static_cast<uint64_t>(c - '0');
    if (acc > (static_cast<uint64_t>(INT64_MAX) - digit) / 10)
      return false;
    acc = acc * 10 + digit;
  }
  v = static_cast<int64_t>(acc);
  return true;
}

class FdCloser {
public:
  explicit FdCloser(int fd) : fd(fd) {}
  ~FdCloser() {
    if (fd >= 0)
      ::close(fd);
  }
  FdCloser(const FdCloser &) = delete;
  FdCloser &operator=(const FdCloser &) = delete;
  int fd;
};

/// Validates the external data reference of `t` and opens the file. On
/// success `fd` is an open descriptor the caller must close, `offset` the
/// start of the payload; the payload is exactly `byteSize` bytes.
bool openExternal(const onnx::TensorProto &t, const LoadedModel &m,
                  const std::string &label, uint64_t byteSize, int &fd,
                  int64_t &offset, std::string &error) {
  fd = -1;
  const std::string prefix = label + " external data: ";
  auto fail = [&](const std::string &reason) {
    error = prefix + reason;
    return false;
  };

  if (t.has_raw_data())
    return fail("the tensor also has raw_data; a tensor must store its data "
                "either inline or externally");
  for (Field f : kTypedFields)
    if (typedFieldSize(t, f) > 0)
      return fail(std::string("the tensor also has ") + fieldName(f) +
                  "; a tensor must store its data either inline or "
                  "externally");

  std::string location, offsetStr, lengthStr;
  bool haveLocation = false, haveOffset = false, haveLength = false;
  for (const auto &kv : t.external_data()) {
    const std::string &key = kv.key();
    bool *seen = nullptr;
    std::string *dst = nullptr;
    if (key == "location") {
      seen = &haveLocation;
      dst = &location;
    } else if (key == "offset") {
      seen = &haveOffset;
      dst = &offsetStr;
    } else if (key == "length") {
      seen = &haveLength;
      dst = &lengthStr;
    } else {
      continue; // "checksum" and unknown keys are ignored
    }
    if (*seen)
      return fail("key " + detail::quote(key) + " is given more than once");
    *seen = true;
    *dst = kv.value();
  }

  if (!haveLocation)
    return fail("no 'location' key");
  if (location.empty())
    return fail("the location is empty");
  if (location.find('\0') != std::string::npos)
    return fail("the location " + detail::quote(location) +
                " contains a NUL byte");
  const std::string qloc = detail::quote(location);
  if (location[0] == '/')
    return fail("the location " + qloc +
                " is an absolute path; it must be relative to the model "
                "directory");
  if (location.size() > PATH_MAX)
    return fail("the location " + qloc + " is too long");

  // Split into components; reject a lexical escape ("../x", "a/../../x").
  std::vector<std::string> components;
  {
    int depth = 0;
    size_t start = 0;
    while (start <= location.size()) {
      size_t slash = location.find('/', start);
      if (slash == std::string::npos)
        slash = location.size();
      std::string comp = location.substr(start, slash - start);
      start = slash + 1;
      if (comp.empty() || comp == ".")
        continue;
      if (comp == "..") {
        if (depth == 0)
          return fail("the location " + qloc +
                      " points outside the model directory");
        --depth;
      } else {
        ++depth;
      }
      components.push_back(comp);
    }
    if (components.empty() || depth == 0)
      return fail("the location " + qloc + " does not name a file");
  }

  offset = 0;
  if (haveOffset && !parseNonNegative(offsetStr, offset))
    return fail("the offset " + detail::quote(offsetStr) +
                " is not a non-negative decimal integer (or is too large)");
  int64_t length = -1;
  if (haveLength && !parseNonNegative(lengthStr, length))
    return fail("the length " + detail::quote(lengthStr) +
                " is not a non-negative decimal integer (or is too large)");

  if (m.directory.empty() || m.directory[0] != '/')
    return fail("the model directory is unknown, cannot resolve " + qloc);

  // lstat every component below the model directory: no symlinks anywhere.
  const std::string base = m.directory == "/" ? std::string() : m.directory;
  std::string full = base;
  std::string shown;
  struct stat st;
  std::memset(&st, 0, sizeof(st));
  for (size_t i = 0; i < components.size(); ++i) {
    full += "/" + components[i];
    shown += (i ? "/" : "") + components[i];
    if (::lstat(full.c_str(), &st) != 0) {
      int e = errno;
      return fail("cannot access " + detail::quote(shown) + " (location " +
                  qloc + "): " + std::strerror(e));
    }
    if (S_ISLNK(st.st_mode))
      return fail(detail::quote(shown) + " (location " + qloc +
                  ") is a symbolic link; symbolic links are not allowed");
    bool last = i + 1 == components.size();
    if (!last && !S_ISDIR(st.st_mode))
      return fail(detail::quote(shown) + " (location " + qloc +
                  ") is not a directory");
  }
  if (!S_ISREG(st.st_mode))
    return fail(qloc + " is not a regular file");
  if (st.st_nlink != 1)
    return fail(qloc + " has " + std::to_string(st.st_nlink) +
                " hard links; hard-linked files are not allowed");

  // Canonical containment check.
  {
    char *resolved = ::realpath(full.c_str(), nullptr);
    if (!resolved) {
      int e = errno;
      return fail("cannot resolve " + qloc + ": " + std::strerror(e));
    }
    std::string canon(resolved);
    std::free(resolved);
    std::string dirPrefix = base + "/";
    if (canon.size() <= dirPrefix.size() ||
        canon.compare(0, dirPrefix.size(), dirPrefix) != 0)
      return fail("the location " + qloc +
                  " resolves outside the model directory");
  }

  int f = ::open(full.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
  if (f < 0) {
    int e = errno;
    return fail("cannot open " + qloc + ": " + std::strerror(e));
  }
  FdCloser closer(f);
  struct stat fst;
  if (::fstat(f, &fst) != 0) {
    int e = errno;
    return fail("cannot stat " + qloc + ": " + std::strerror(e));
  }
  if (fst.st_dev != st.st_dev || fst.st_ino != st.st_ino ||
      !S_ISREG(fst.st_mode) || fst.st_nlink != 1)
    return fail(qloc + " changed while it was being validated");

  const int64_t fileSize = static_cast<int64_t>(fst.st_size);
  if (offset > fileSize)
    return fail("the offset " + std::to_string(offset) +
                " is past the end of " + qloc + " (" +
                std::to_string(fileSize) + " bytes)");
  if (length < 0)
    length = fileSize - offset;
  else if (length > fileSize - offset)
    return fail("the offset " + std::to_string(offset) + " plus length " +
                std::to_string(length) + " is past the end of " + qloc +
                " (" + std::to_string(fileSize) + " bytes)");
  if (static_cast<uint64_t>(length) != byteSize)
    return fail("the length " + std::to_string(length) +
                " does not match the tensor's size of " +
                std::to_string(byteSize) + " bytes (" + describeShape(t) +
                ")");

  fd = f;
  closer.fd = -1; // ownership passes to the caller
  return true;
}

bool readExternal(const onnx::TensorProto &t, const LoadedModel &m,
                  const std::string &label, uint64_t byteSize,
                  std::vector<char> &bytes, std::string &error) {
  int fd = -1;
  int64_t offset = 0;
  if (!openExternal(t, m, label, byteSize, fd, offset, error))
    return false;
  FdCloser closer(fd);
  if (byteSize > static_cast<uint64_t>(SIZE_MAX) ||
      byteSize > bytes.max_size()) {
    error = label + " external data: " + std::to_string(byteSize) +
            " bytes do not fit in memory";
    return false;
  }
  bytes.assign(static_cast<size_t>(byteSize), 0);
  uint64_t done = 0;
  while (done < byteSize) {
    size_t chunk = static_cast<size_t>(
        std::min<uint64_t>(byteSize - done, uint64_t(1) << 30));
    ssize_t r = ::pread(fd, bytes.data() + done, chunk,
                        static_cast<off_t>(offset + static_cast<int64_t>(done)));
    if (r < 0) {
      if (errno == EINTR)
        continue;
      int e = errno;
      error = label + " external data: read error: " + std::strerror(e);
      return false;
    }
    if (r == 0) {
      error = label + " external data: unexpected end of file (the file "
                      "shrank while it was being read)";
      return false;
    }
    done += static_cast<uint64_t>(r);
  }
  if (t.data_type() == onnx::TensorProto_DataType_BOOL)
    for (char &c : bytes)
      c = c != 0 ? 1 : 0;
  return true;
}

bool isExternal(const onnx::TensorProto &t) {
  return t.has_data_location() &&
         t.data_location() == onnx::TensorProto_DataLocation_EXTERNAL;
}

} // namespace

//===----------------------------------------------------------------------===//
// detail helpers (shared with ModelLoader.cpp)
//===----------------------------------------------------------------------===//

namespace detail {

/// Length of the valid UTF-8 sequence starting at s[i] (2..4), 0 if none.
static size_t utf8SequenceLength(const std::string &s, size_t i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = byte(i);
  size_t len;
  uint32_t cp;
  if (c >= 0xc2 && c <= 0xdf) {
    len = 2;
    cp = c & 0x1f;
  } else if (c >= 0xe0 && c <= 0xef) {
    len = 3;
    cp = c & 0x0f;
  } else if (c >= 0xf0 && c <= 0xf4) {
    len = 4;
    cp = c & 0x07;
  } else {
    return 0;
  }
  if (i + len > s.size())
    return 0;
  for (size_t k = 1; k < len; ++k) {
    if ((byte(i + k) & 0xc0) != 0x80)
      return 0;
    cp = (cp << 6) | (byte(i + k) & 0x3f);
  }
  if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
      (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
    return 0;
  return len;
}

/// Quotes a name from the model for a diagnostic: control characters, '\\'
/// and invalid UTF-8 are escaped as \xNN, very long names are shortened.
std::string quote(const std::string &s) {
  static const char hex[] = "0123456789abcdef";
  constexpr size_t kMaxShown = 200;
  std::string r = "'";
  size_t shown = 0;
  for (size_t i = 0; i < s.size();) {
    if (shown++ == kMaxShown) {
      r += "...";
      break;
    }
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      if (size_t len = utf8SequenceLength(s, i)) {
        r.append(s, i, len);
        i += len;
        continue;
      }
    }
    if (c < 0x20 || c >= 0x7f || c == '\\') {
      r += "\\x";
      r += hex[c >> 4];
      r += hex[c & 15];
    } else {
      r += static_cast<char>(c);
    }
    ++i;
  }
  return r + "'";
}

std::string dataTypeName(int32_t dt) {
  switch (dt) {
  case 0:
    return "undefined";
  case 1:
    return "float";
  case 2:
    return "uint8";
  case 3:
    return "int8";
  case 4:
    return "uint16";
  case 5:
    return "int16";
  case 6:
    return "int32";
  case 7:
    return "int64";
  case 8:
    return "string";
  case 9:
    return "bool";
  case 10:
    return "float16";
  case 11:
    return "double";
  case 12:
    return "uint32";
  case 13:
    return "uint64";
  case 14:
    return "complex64";
  case 15:
    return "complex128";
  case 16:
    return "bfloat16";
  case 17:
    return "float8e4m3fn";
  case 18:
    return "float8e4m3fnuz";
  case 19:
    return "float8e5m2";
  case 20:
    return "float8e5m2fnuz";
  case 21:
    return "uint4";
  case 22:
    return "int4";
  case 23:
    return "float4e2m1";
  default:
    return "<unknown data type " + std::to_string(dt) + ">";
  }
}

/// Full validation of a tensor without keeping its bytes: data type, dims,
/// sizes, inline payload size; for external data the file, offset and length
/// (the file is opened but not read).
bool validateTensor(const onnx::TensorProto &t, const LoadedModel &m,
                    const std::string &label, std::string &error) {
  try {
    int64_t count = 0;
    uint64_t byteSize = 0;
    if (!checkShapeAndType(t, label, count, byteSize, error))
      return false;
    if (isExternal(t)) {
      int fd = -1;
      int64_t offset = 0;
      if (!openExternal(t, m, label, byteSize, fd, offset, error))
        return false;
      ::close(fd);
      return true;
    }
    if (!t.external_data().empty()) {
      error = label + " has external_data entries but its data_location is "
                      "not EXTERNAL";
      return false;
    }
    return decodeInline(t, label, count, byteSize, nullptr, error);
  } catch (const std::bad_alloc &) {
    error = label + ": out of memory while validating the tensor";
  } catch (const std::exception &e) {
    error = label + ": internal error: " + e.what();
  } catch (...) {
    error = label + ": internal error while validating the tensor";
  }
  return false;
}

} // namespace detail

//===----------------------------------------------------------------------===//
// Public API
//===----------------------------------------------------------------------===//

size_t elementByteSize(int32_t dt) {
  switch (dt) {
  case onnx::TensorProto_DataType_BOOL:
  case onnx::TensorProto_DataType_UINT8:
  case onnx::TensorProto_DataType_INT8:
    return 1;
  case onnx::TensorProto_DataType_FLOAT16:
  case onnx::TensorProto_DataType_BFLOAT16:
  case onnx::TensorProto_DataType_UINT16:
  case onnx::TensorProto_DataType_INT16:
    return 2;
  case onnx::TensorProto_DataType_FLOAT:
  case onnx::TensorProto_DataType_INT32:
  case onnx::TensorProto_DataType_UINT32:
    return 4;
  case onnx::TensorProto_DataType_DOUBLE:
  case onnx::TensorProto_DataType_INT64:
  case onnx::TensorProto_DataType_UINT64:
    return 8;
  default:
    return 0; // undefined, string, complex, float8, int4, unknown
  }
}

bool checkedElementCount(const onnx::TensorProto &t, int64_t &count,
                         std::string &error) {
  try {
    return elementCountImpl(t, tensorLabel(t), count, error);
  } catch (...) {
    error = "out of memory while checking a tensor's element count";
    return false;
  }
}

bool readTensorData(const onnx::TensorProto &t, const LoadedModel &m,
                    std::vector<char> &bytes, std::string &error) {
  std::string label;
  try {
    label = tensorLabel(t);
    int64_t count = 0;
    uint64_t byteSize = 0;
    if (!checkShapeAndType(t, label, count, byteSize, error))
      return false;
    if (isExternal(t))
      return readExternal(t, m, label, byteSize, bytes, error);
    if (!t.external_data().empty()) {
      error = label + " has external_data entries but its data_location is "
                      "not EXTERNAL";
      return false;
    }
    return decodeInline(t, label, count, byteSize, &bytes, error);
  } catch (const std::bad_alloc &) {
    error = (label.empty() ? std::string("tensor") : label) +
            ": out of memory while reading its data";
  } catch (const std::exception &e) {
    error = (label.empty() ? std::string("tensor") : label) +
            ": internal error: " + e.what();
  } catch (...) {
    error = (label.empty() ? std::string("tensor") : label) +
            ": internal error while reading its data";
  }
  bytes.clear();
  return false;
}

} // namespace dlcc::onnx_import
