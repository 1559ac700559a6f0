//===- Npy.cpp - NumPy .npy arrays for dlcc-run ---------------------------===//
//
// The header is a Python dict literal, e.g.
//   {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }
// parsed here by a small tokenizer that accepts exactly what numpy writes
// (and nothing that would need a Python evaluator).
//
//===----------------------------------------------------------------------===//

#include "Npy.h"

#include <cstring>
#include <map>

namespace dlcc::run {

namespace {

class HeaderParser {
public:
  HeaderParser(const std::string &text, const std::string &what)
      : text(text), what(what) {}

  void parse(std::string &descr, bool &fortran, std::vector<int64_t> &shape) {
    bool haveDescr = false, haveFortran = false, haveShape = false;
    expect('{');
    while (true) {
      skipSpace();
      if (peek() == '}') {
        ++pos;
        break;
      }
      std::string key = parseString();
      expect(':');
      skipSpace();
      if (key == "descr") {
        if (peek() == '[')
          fail("structured dtypes (records) are not supported");
        descr = parseString();
        haveDescr = true;
      } else if (key == "fortran_order") {
        fortran = parseBool();
        haveFortran = true;
      } else if (key == "shape") {
        shape = parseTuple();
        haveShape = true;
      } else {
        fail("unexpected key '" + key + "'");
      }
      skipSpace();
      if (peek() == ',') {
        ++pos;
        continue;
      }
      expect('}');
      break;
    }
    skipSpace();
    if (pos != text.size())
      fail("unexpected text after the dict");
    if (!haveDescr || !haveFortran || !haveShape)
      fail("the header lacks one of 'descr', 'fortran_order', 'shape'");
  }

private:
  [[noreturn]] void fail(const std::string &why) {
    throw Error(what + ": bad .npy header: " + why);
  }
  char peek() const { return pos < text.size() ? text[pos] : '\0'; }
  void skipSpace() {
    while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t' ||
                                 text[pos] == '\n' || text[pos] == '\r'))
      ++pos;
  }
  void expect(char c) {
    skipSpace();
    if (peek() != c)
      fail(std::string("expected '") + c + "'");
    ++pos;
  }
  std::string parseString() {
    skipSpace();
    char quote = peek();
    if (quote != '\'' && quote != '"')
      fail("expected a string");
    ++pos;
    std::string out;
    while (pos < text.size() && text[pos] != quote) {
      if (text[pos] == '\\')
        fail("escapes in strings are not supported");
      out += text[pos++];
    }
    if (pos >= text.size())
      fail("unterminated string");
    ++pos;
    return out;
  }
  bool parseBool() {
    if (text.compare(pos, 4, "True") == 0) {
      pos += 4;
      return true;
    }
    if (text.compare(pos, 5, "False") == 0) {
      pos += 5;
      return false;
    }
    fail("fortran_order is not True or False");
  }
  std::vector<int64_t> parseTuple() {
    std::vector<int64_t> dims;
    expect('(');
    while (true) {
      skipSpace();
      if (peek() == ')') {
        ++pos;
        return dims;
      }
      if (peek() < '0' || peek() > '9')
        fail("shape entries must be non-negative integers");
      int64_t v = 0;
      while (peek() >= '0' && peek() <= '9') {
        if (__builtin_mul_overflow(v, 10, &v) ||
            __builtin_add_overflow(v, peek() - '0', &v))
          fail("shape entry too large");
        ++pos;
      }
      if (peek() == 'L') // Python 2's long suffix
        ++pos;
      dims.push_back(v);
      skipSpace();
      if (peek() == ',') {
        ++pos;
        continue;
      }
      expect(')');
      return dims;
    }
  }

  const std::string &text;
  const std::string &what;
  size_t pos = 0;
};

uint32_t readLE(const uint8_t *p, int bytes) {
  uint32_t v = 0;
  for (int i = bytes - 1; i >= 0; --i)
    v = v << 8 | p[i];
  return v;
}

} // namespace

std::string shapeTuple(const std::vector<int64_t> &shape) {
  std::string s = "(";
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? ", " : "") + std::to_string(shape[i]);
  if (shape.size() == 1)
    s += ",";
  return s + ")";
}

NpyArray parseNpyHeader(const uint8_t *bytes, size_t available,
                        const std::string &what) {
  static const uint8_t magic[6] = {0x93, 'N', 'U', 'M', 'P', 'Y'};
  if (available < 10 || std::memcmp(bytes, magic, 6) != 0)
    throw Error(what + ": not a .npy array (no \\x93NUMPY magic)");
  unsigned major = bytes[6];
  if (major < 1 || major > 3)
    throw Error(what + ": unsupported .npy format version " +
                std::to_string(major) + "." + std::to_string(bytes[7]));
  size_t lenBytes = major == 1 ? 2 : 4;
  size_t start = 8 + lenBytes;
  if (available < start)
    throw Error(what + ": truncated .npy header");
  size_t headerLen = readLE(bytes + 8, int(lenBytes));
  if (headerLen > kMaxNpyHeaderBytes)
    throw Error(what + ": .npy header of " + std::to_string(headerLen) +
                " bytes is larger than dlcc-run accepts");
  if (headerLen > available - start)
    throw Error(what + ": truncated .npy header (" + std::to_string(headerLen) +
                " header bytes announced, " +
                std::to_string(available - start) + " present)");
  std::string header(reinterpret_cast<const char *>(bytes + start), headerLen);
  NpyArray a;
  bool fortran = false;
  HeaderParser(header, what).parse(a.descr, fortran, a.shape);
  if (fortran)
    throw Error(what + ": Fortran-order (column-major) arrays are not "
                       "supported; save a C-order array "
                       "(numpy.ascontiguousarray)");
  const std::string &d = a.descr;
  if (d.size() < 2)
    throw Error(what + ": unsupported dtype '" + d + "'");
  char order = d[0];
  if (order == '>')
    throw Error(what + ": big-endian dtype '" + d +
                "' is not supported; save a little-endian array "
                "(array.astype(array.dtype.newbyteorder('<')))");
  if (order != '<' && order != '|' && order != '=')
    throw Error(what + ": unsupported dtype '" + d + "'");
  a.kind = d[1];
  if (a.kind == 'O')
    throw Error(what + ": object arrays ('" + d + "') are not supported");
  std::string sizeText = d.substr(2);
  bool digits = !sizeText.empty() && sizeText.size() <= 3 &&
                sizeText.find_first_not_of("0123456789") == std::string::npos;
  a.itemSize = digits ? size_t(std::stoul(sizeText)) : 0;
  bool known = false;
  switch (a.kind) {
  case 'f':
    known = a.itemSize == 2 || a.itemSize == 4 || a.itemSize == 8;
    break;
  case 'i':
  case 'u':
    known = a.itemSize == 1 || a.itemSize == 2 || a.itemSize == 4 ||
            a.itemSize == 8;
    break;
  case 'b':
    known = a.itemSize == 1;
    break;
  case 'V':
    known = a.itemSize == 1 || a.itemSize == 2;
    break;
  default:
    break;
  }
  if (!known)
    throw Error(what + ": unsupported dtype '" + d +
                "' (supported: float16/32/64, bool, int8-64, uint8-64)");
  uint64_t elements = 1;
  for (int64_t dim : a.shape)
    if (__builtin_mul_overflow(elements, uint64_t(dim), &elements))
      throw Error(what + ": shape " + shapeTuple(a.shape) + " is too large");
  uint64_t dataBytes = 0;
  if (__builtin_mul_overflow(elements, uint64_t(a.itemSize), &dataBytes))
    throw Error(what + ": shape " + shapeTuple(a.shape) + " is too large");
  if (dataBytes > uint64_t(SIZE_MAX / 2))
    throw Error(what + ": shape " + shapeTuple(a.shape) + " is too large");
  a.dataOffset = start + headerLen;
  a.dataSize = size_t(dataBytes);
  return a;
}

bool npyMatches(const NpyArray &a, dlcc_dtype_t dtype) {
  auto is = [&](char kind, size_t size) {
    return a.kind == kind && a.itemSize == size;
  };
  switch (dtype) {
  case DLCC_DTYPE_F16:
    return is('f', 2);
  case DLCC_DTYPE_F32:
    return is('f', 4);
  case DLCC_DTYPE_F64:
    return is('f', 8);
  case DLCC_DTYPE_BF16:
    return is('u', 2) || is('V', 2);
  case DLCC_DTYPE_F8E4M3FN:
  case DLCC_DTYPE_F8E5M2:
    return is('u', 1) || is('V', 1);
  case DLCC_DTYPE_I1:
    return is('b', 1);
  case DLCC_DTYPE_I8:
    return is('i', 1);
  case DLCC_DTYPE_I16:
    return is('i', 2);
  case DLCC_DTYPE_I32:
    return is('i', 4);
  case DLCC_DTYPE_I64:
    return is('i', 8);
  case DLCC_DTYPE_U8:
    return is('u', 1);
  case DLCC_DTYPE_U16:
    return is('u', 2);
  case DLCC_DTYPE_U32:
    return is('u', 4);
  case DLCC_DTYPE_U64:
    return is('u', 8);
  }
  return false;
}

std::string npyDescr(dlcc_dtype_t dtype) {
  switch (dtype) {
  case DLCC_DTYPE_F16:
    return "<f2";
  case DLCC_DTYPE_F32:
    return "<f4";
  case DLCC_DTYPE_F64:
    return "<f8";
  case DLCC_DTYPE_BF16:
    return "<u2";
  case DLCC_DTYPE_F8E4M3FN:
  case DLCC_DTYPE_F8E5M2:
    return "|u1";
  case DLCC_DTYPE_I1:
    return "|b1";
  case DLCC_DTYPE_I8:
    return "|i1";
  case DLCC_DTYPE_I16:
    return "<i2";
  case DLCC_DTYPE_I32:
    return "<i4";
  case DLCC_DTYPE_I64:
    return "<i8";
  case DLCC_DTYPE_U8:
    return "|u1";
  case DLCC_DTYPE_U16:
    return "<u2";
  case DLCC_DTYPE_U32:
    return "<u4";
  case DLCC_DTYPE_U64:
    return "<u8";
  }
  throw Error("unknown element type " + std::to_string(int(dtype)));
}

std::vector<uint8_t> writeNpy(dlcc_dtype_t dtype,
                              const std::vector<int64_t> &shape,
                              const void *data, size_t size) {
  std::string header =
      "{'descr': '" + npyDescr(dtype) +
      "', 'fortran_order': False, 'shape': " + shapeTuple(shape) + ", }";
  // Magic (6) + version (2) + length (2) + header + '\n', padded to 64.
  size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';
  std::vector<uint8_t> out = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};
  out.push_back(uint8_t(header.size() & 0xff));
  out.push_back(uint8_t(header.size() >> 8));
  out.insert(out.end(), header.begin(), header.end());
  const auto *p = static_cast<const uint8_t *>(data);
  out.insert(out.end(), p, p + size);
  return out;
}

} // namespace dlcc::run
