//===- AtomicFile.cpp - files replaced whole or not at all ----------------===//
#include "AtomicFile.h"
#include "Npy.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace dlcc::run {

namespace {

void syncPath(const std::string &path, int flags) {
  int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

} // namespace

AtomicFile::AtomicFile(std::string target) : path(std::move(target)) {
  size_t slash = path.rfind('/');
  dir = slash == std::string::npos ? "." : path.substr(0, slash);
  if (dir.empty())
    dir = "/";
  std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
  std::string pattern = dir + "/." + base + ".tmp-XXXXXX";
  std::vector<char> tmp(pattern.begin(), pattern.end());
  tmp.push_back('\0');
  descriptor = ::mkstemp(tmp.data());
  if (descriptor < 0)
    throw Error(path + ": cannot create a temporary file in " + dir + ": " +
                std::strerror(errno));
  temporary = tmp.data();
}

AtomicFile::~AtomicFile() {
  close();
  if (!committed)
    ::unlink(temporary.c_str());
}

void AtomicFile::close() {
  if (descriptor >= 0)
    ::close(descriptor);
  descriptor = -1;
}

void AtomicFile::fail(const std::string &why) const {
  throw Error(path + ": cannot write: " + why);
}

void AtomicFile::commit() {
  close();
  mode_t mask = ::umask(0);
  ::umask(mask);
  ::chmod(temporary.c_str(), 0666 & ~mask);
  syncPath(temporary, O_RDONLY);
  if (::rename(temporary.c_str(), path.c_str()) != 0)
    fail(std::string("rename: ") + std::strerror(errno));
  committed = true;
  syncPath(dir, O_RDONLY | O_DIRECTORY);
}

} // namespace dlcc::run
