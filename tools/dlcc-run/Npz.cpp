//===- Npz.cpp - NumPy .npz archives for dlcc-run -------------------------===//

#include "Npz.h"

#include <zip.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

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

constexpr uint64_t kMaxMemberBytes = uint64_t(1) << 40;

} // namespace

NpzReader::NpzReader(const std::string &path) : path(path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw Error(path + ": cannot open: " + std::strerror(errno));
  struct stat st;
  if (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode))
    throw Error(path + ": not a regular file");
  file.assign(std::istreambuf_iterator<char>(in), {});
  if (in.bad())
    throw Error(path + ": read failed");
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

NpyArray NpzReader::read(const std::string &key) {
  auto it = index.find(key);
  if (it == index.end())
    throw Error(path + ": no array named '" + key + "'");
  uint64_t i = it->second.first;
  std::string what = path + ": member '" + it->second.second + "'";
  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_stat_index(archive, i, 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE))
    throw Error(what + ": cannot read its size: " + zip_strerror(archive));
  if (st.size > kMaxMemberBytes)
    throw Error(what + ": " + std::to_string(st.size) +
                " bytes is more than dlcc-run reads");
  zip_file_t *f = zip_fopen_index(archive, i, 0);
  if (!f)
    throw Error(what + ": cannot open: " + zip_strerror(archive));
  std::vector<uint8_t> bytes(size_t(st.size) + 1);
  size_t done = 0;
  std::string failure;
  while (true) {
    // Reads until libzip reports the end, which is where it checks the CRC.
    if (done == bytes.size())
      bytes.resize(bytes.size() + 1);
    zip_int64_t n = zip_fread(f, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      failure = zip_file_strerror(f);
      break;
    }
    if (n == 0)
      break;
    done += size_t(n);
    if (done > st.size) {
      failure = "more data than its directory entry says";
      break;
    }
  }
  int closeError = zip_fclose(f);
  if (failure.empty() && closeError != 0)
    failure = zipErrorText(closeError);
  if (failure.empty() && done != st.size)
    failure = "truncated (" + std::to_string(done) + " of " +
              std::to_string(st.size) + " bytes)";
  if (!failure.empty())
    throw Error(what + ": corrupt member: " + failure);
  bytes.resize(done);
  return parseNpy(std::move(bytes), what);
}

namespace {

/// The 22-byte end-of-central-directory record of an empty zip archive
/// (libzip does not write archives without members).
const uint8_t kEmptyZip[22] = {0x50, 0x4b, 0x05, 0x06};

void syncPath(const std::string &path, int flags) {
  int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

} // namespace

void writeNpzAtomically(
    const std::string &path,
    const std::vector<std::pair<std::string, std::vector<uint8_t>>> &arrays) {
  size_t slash = path.rfind('/');
  std::string dir = slash == std::string::npos ? "." : path.substr(0, slash);
  if (dir.empty())
    dir = "/";
  std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
  std::string pattern = dir + "/." + base + ".tmp-XXXXXX";
  std::vector<char> tmp(pattern.begin(), pattern.end());
  tmp.push_back('\0');
  int fd = ::mkstemp(tmp.data());
  if (fd < 0)
    throw Error(path + ": cannot create a temporary file in " + dir + ": " +
                std::strerror(errno));
  std::string tmpPath = tmp.data();
  auto fail = [&](const std::string &why) {
    ::unlink(tmpPath.c_str());
    throw Error(path + ": cannot write: " + why);
  };
  if (arrays.empty()) {
    bool ok =
        ::write(fd, kEmptyZip, sizeof(kEmptyZip)) == ssize_t(sizeof(kEmptyZip));
    int err = errno;
    ::close(fd);
    if (!ok)
      fail(std::strerror(err));
  } else {
    ::close(fd);
    int code = 0;
    zip_t *za = zip_open(tmpPath.c_str(), ZIP_TRUNCATE, &code);
    if (!za)
      fail(zipErrorText(code));
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
        fail(why);
      }
      zip_set_file_compression(za, zip_uint64_t(idx), ZIP_CM_STORE, 0);
    }
    if (zip_close(za) != 0) {
      std::string why = zip_strerror(za);
      zip_discard(za);
      fail(why);
    }
  }
  mode_t mask = ::umask(0);
  ::umask(mask);
  ::chmod(tmpPath.c_str(), 0666 & ~mask);
  syncPath(tmpPath, O_RDONLY);
  if (::rename(tmpPath.c_str(), path.c_str()) != 0)
    fail(std::string("rename: ") + std::strerror(errno));
  syncPath(dir, O_RDONLY | O_DIRECTORY);
}

} // namespace dlcc::run
