//===- Npz.cpp - NumPy .npz archives for dlcc-run -------------------------===//

#include "Npz.h"
#include "AtomicFile.h"

#include "dlcc/Target/Support/FileKind.h"

#include <zip.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace dlcc::run {

namespace {

std::string zipErrorText(int code) {
  zip_error_t error;
  zip_error_init_with_code(&error, code);
  std::string text = zip_error_strerror(&error);
  zip_error_fini(&error);
  return text;
}

using dlcc::files::FdCloser;
using dlcc::files::fileKind;

[[noreturn]] void notRegular(const std::string &path, mode_t mode) {
  throw Error(path + ": not a regular file (" + fileKind(mode) + ")");
}

} // namespace

void checkRegularFile(const std::string &path) {
  struct stat st;
  if (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode))
    notRegular(path, st.st_mode);
}

NpzReader::NpzReader(const std::string &path) : path(path) {
  // Checked before opening (as the compiler reads models): opening a FIFO
  // would wait for a writer, and reading a directory or /dev/zero would
  // fail late or never end. The descriptor is checked again (fstat), and
  // opened with O_NONBLOCK, so that a file replaced in between cannot block
  // either.
  checkRegularFile(path);
  int fd;
  do {
    fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0)
    throw Error(path + ": cannot open: " + std::strerror(errno));
  FdCloser closer{fd};
  struct stat st;
  if (::fstat(fd, &st) != 0)
    throw Error(path + ": cannot stat: " + std::strerror(errno));
  if (!S_ISREG(st.st_mode))
    notRegular(path, st.st_mode);
  file.reserve(size_t(st.st_size));
  uint8_t chunk[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      throw Error(path + ": read failed: " + std::strerror(errno));
    if (n == 0)
      break;
    file.insert(file.end(), chunk, chunk + n);
  }
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t *source =
      zip_source_buffer_create(file.data(), file.size(), 0, &error);
  if (!source) {
    std::string text = zip_error_strerror(&error);
    zip_error_fini(&error);
    throw Error(path + ": cannot read the archive: " + text);
  }
  archive = zip_open_from_source(source, ZIP_RDONLY | ZIP_CHECKCONS, &error);
  if (!archive) {
    std::string text = zip_error_strerror(&error);
    zip_error_fini(&error);
    zip_source_free(source);
    throw Error(path + ": not a valid .npz file (zip archive): " + text);
  }
  zip_error_fini(&error);
  zip_int64_t count = zip_get_num_entries(archive, 0);
  for (zip_int64_t i = 0; i < count; ++i) {
    const char *name = zip_get_name(archive, zip_uint64_t(i), 0);
    if (!name)
      throw Error(path + ": member " + std::to_string(i) +
                  " has no name: " + zip_strerror(archive));
    std::string member = name;
    if (member.empty() || member.back() == '/')
      continue; // directory entries
    std::string key = member;
    if (key.size() > 4 && key.compare(key.size() - 4, 4, ".npy") == 0)
      key.resize(key.size() - 4);
    if (!index.emplace(key, std::make_pair(uint64_t(i), member)).second)
      throw Error(path + ": holds two arrays named '" + key + "'");
    names.push_back(key);
  }
}

NpzReader::~NpzReader() {
  if (archive)
    zip_discard(archive);
}

namespace {

/// Reads up to `size` bytes; fewer only at the member's end.
zip_int64_t readSome(zip_file_t *f, uint8_t *out, size_t size,
                     std::string &failure) {
  size_t done = 0;
  while (done < size) {
    zip_int64_t n = zip_fread(f, out + done, size - done);
    if (n < 0) {
      failure = zip_file_strerror(f);
      return -1;
    }
    if (n == 0)
      break;
    done += size_t(n);
  }
  return zip_int64_t(done);
}

struct FileCloser {
  zip_file_t *f;
  int close() {
    int e = f ? zip_fclose(f) : 0;
    f = nullptr;
    return e;
  }
  ~FileCloser() { close(); }
};

} // namespace

NpyArray NpzReader::read(const std::string &key,
                         const std::function<void(const NpyArray &)> &check) {
  auto it = index.find(key);
  if (it == index.end())
    throw Error(path + ": no array named '" + key + "'");
  uint64_t i = it->second.first;
  std::string what = path + ": member '" + it->second.second + "'";
  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_stat_index(archive, i, 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE))
    throw Error(what + ": cannot read its size: " + zip_strerror(archive));
  FileCloser file{zip_fopen_index(archive, i, 0)};
  if (!file.f)
    throw Error(what + ": cannot open: " + zip_strerror(archive));
  auto corrupt = [&](const std::string &why) {
    return Error(what + ": corrupt member: " + why);
  };

  // The header (and whatever data follows it in the first read).
  std::string failure;
  std::vector<uint8_t> bytes(
      size_t(std::min<uint64_t>(st.size, kMaxNpyHeaderBytes + 16)));
  zip_int64_t got = readSome(file.f, bytes.data(), bytes.size(), failure);
  if (got < 0)
    throw corrupt(failure);
  if (uint64_t(got) < bytes.size())
    throw corrupt("truncated (" + std::to_string(got) + " of " +
                  std::to_string(st.size) + " bytes)");
  NpyArray a = parseNpyHeader(bytes.data(), bytes.size(), what);
  check(a);
  uint64_t total = uint64_t(a.dataOffset) + a.dataSize;
  if (st.size != total) {
    uint64_t present = st.size - std::min<uint64_t>(st.size, a.dataOffset);
    throw Error(what + ": holds " + std::to_string(present) +
                " bytes of data, but '" + a.descr + "' " + shapeTuple(a.shape) +
                " needs " + std::to_string(a.dataSize) +
                (present < a.dataSize ? " (truncated)" : ""));
  }

  // The rest, plus one byte to see the end (where libzip checks the CRC).
  size_t have = bytes.size();
  bytes.resize(size_t(total) + 1);
  got = readSome(file.f, bytes.data() + have, bytes.size() - have, failure);
  if (got < 0)
    throw corrupt(failure);
  if (have + size_t(got) > total)
    throw corrupt("more data than its directory entry says");
  if (have + size_t(got) < total)
    throw corrupt("truncated (" + std::to_string(have + size_t(got)) + " of " +
                  std::to_string(total) + " bytes)");
  if (int e = file.close())
    throw corrupt(zipErrorText(e));
  bytes.resize(size_t(total));
  a.bytes = std::move(bytes);
  return a;
}

namespace {

/// The 22-byte end-of-central-directory record of an empty zip archive
/// (libzip does not write archives without members).
const uint8_t kEmptyZip[22] = {0x50, 0x4b, 0x05, 0x06};

} // namespace

void writeNpzAtomically(
    const std::string &path,
    const std::vector<std::pair<std::string, std::vector<uint8_t>>> &arrays) {
  AtomicFile file(path);
  if (arrays.empty()) {
    bool ok = ::write(file.fd(), kEmptyZip, sizeof(kEmptyZip)) ==
              ssize_t(sizeof(kEmptyZip));
    int err = errno;
    file.close();
    if (!ok)
      file.fail(std::strerror(err));
  } else {
    file.close();
    int code = 0;
    constexpr time_t kFixedMtime = 315532800 + 12 * 3600;
    zip_t *za = zip_open(file.tmpPath().c_str(), ZIP_TRUNCATE, &code);
    if (!za)
      file.fail(zipErrorText(code));
    for (const auto &[name, bytes] : arrays) {
      zip_source_t *src =
          zip_source_buffer(za, bytes.data(), bytes.size(), /*freep=*/0);
      zip_int64_t idx =
          src ? zip_file_add(za, (name + ".npy").c_str(), src, ZIP_FL_ENC_UTF_8)
              : -1;
      if (idx < 0) {
        std::string why = zip_strerror(za);
        if (src)
          zip_source_free(src);
        zip_discard(za);
        file.fail(why);
      }
      zip_set_file_compression(za, zip_uint64_t(idx), ZIP_CM_STORE, 0);
      // A fixed timestamp (1980-01-01, the first DOS date): the same
      // outputs give byte-identical files.
      zip_file_set_mtime(za, zip_uint64_t(idx), kFixedMtime, 0);
    }
    if (zip_close(za) != 0) {
      std::string why = zip_strerror(za);
      zip_discard(za);
      file.fail(why);
    }
  }
  file.commit();
}

} // namespace dlcc::run
