//===- CpuCode.cpp - CPU baseline check and kernel shared objects ---------===//
//
// Kernel images are loaded only after the whole program validated (they are
// code: see docs/artifact-format.md, "Trust model"). The bytes go to a memfd
// that is dlopen'ed through /proc/self/fd/N; when memfd_create or that
// dlopen fails (no memfd, a noexec policy), to a mkstemp file in $TMPDIR (or
// /tmp) that is unlinked right after dlopen.
//
// glibc finds already loaded objects by name before it opens anything, so a
// /proc/self/fd/N path must not name an object that is still loaded: the fd
// stays open while the object is loaded (no other image can get the same
// number meanwhile), and a name that RTLD_NOLOAD finds loaded anyway (an
// object that dlclose could not unload) is skipped.
//
//===----------------------------------------------------------------------===//

#include "CpuCode.h"
#include "Status.h"
#include "Support.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <vector>

#include <dlfcn.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

namespace dlcc::runtime {

//===----------------------------------------------------------------------===//
// CPU baseline
//===----------------------------------------------------------------------===//

namespace {

struct Feature {
  const char *name;
  bool present;
};

} // namespace

#if defined(__x86_64__)
// __builtin_cpu_supports takes string literals only.
#define DLCC_FEATURE(name)                                                     \
  Feature { name, __builtin_cpu_supports(name) != 0 }
#endif

dlcc_status_t checkCpuBaseline(std::string_view baseline) {
  if (baseline.empty())
    baseline = "x86-64";
  int level = 0;
  if (baseline == "x86-64")
    level = 1;
  else if (baseline == "x86-64-v2")
    level = 2;
  else if (baseline == "x86-64-v3")
    level = 3;
  else if (baseline == "x86-64-v4")
    level = 4;
  else
    return setError(DLCC_STATUS_UNSUPPORTED,
                    strCat("the program's cpu_baseline ", quoted(baseline),
                           " is not known to this runtime (expected x86-64, "
                           "x86-64-v2, x86-64-v3 or x86-64-v4)"));
#if defined(__x86_64__)
  static std::once_flag once;
  std::call_once(once, [] { __builtin_cpu_init(); });
  // The psABI's levels; every level includes the ones below.
  const Feature v2[] = {DLCC_FEATURE("sse3"), DLCC_FEATURE("ssse3"),
                        DLCC_FEATURE("sse4.1"), DLCC_FEATURE("sse4.2"),
                        DLCC_FEATURE("popcnt")};
  const Feature v3[] = {
    DLCC_FEATURE("avx"),
    DLCC_FEATURE("avx2"),
    DLCC_FEATURE("bmi"),
    DLCC_FEATURE("bmi2"),
    DLCC_FEATURE("fma"),
#if !defined(__clang__) && defined(__GNUC__) && __GNUC__ >= 12
    DLCC_FEATURE("f16c"),
    DLCC_FEATURE("lzcnt"),
    DLCC_FEATURE("movbe"),
#endif
  };
  const Feature v4[] = {DLCC_FEATURE("avx512f"), DLCC_FEATURE("avx512bw"),
                        DLCC_FEATURE("avx512cd"), DLCC_FEATURE("avx512dq"),
                        DLCC_FEATURE("avx512vl")};
  std::string missing;
  auto collect = [&](const Feature *begin, const Feature *end) {
    for (const Feature *f = begin; f != end; ++f)
      if (!f->present)
        missing += strCat(missing.empty() ? "" : ", ", f->name);
  };
  if (level >= 2)
    collect(std::begin(v2), std::end(v2));
  if (level >= 3)
    collect(std::begin(v3), std::end(v3));
  if (level >= 4)
    collect(std::begin(v4), std::end(v4));
  if (!missing.empty())
    return setError(DLCC_STATUS_UNSUPPORTED,
                    strCat("the program's CPU kernels need ", baseline,
                           ", but this CPU lacks ", missing));
  return DLCC_STATUS_OK;
#else
  (void)level;
  return setError(DLCC_STATUS_UNSUPPORTED,
                  strCat("the program's CPU kernels need ", baseline,
                         ", but this host is not x86-64"));
#endif
}

//===----------------------------------------------------------------------===//
// Shared objects from memory
//===----------------------------------------------------------------------===//

namespace {

bool writeAll(int fd, const void *data, size_t size) {
  const char *p = static_cast<const char *>(data);
  while (size) {
    ssize_t n = ::write(fd, p, size);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return false;
    p += n;
    size -= size_t(n);
  }
  return true;
}

std::string procPath(int fd) { return strCat("/proc/self/fd/", fd); }

/// Whether an object is loaded under `path` already.
bool nameTaken(const std::string &path) {
  void *h = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL | RTLD_NOLOAD);
  if (!h)
    return false;
  ::dlclose(h);
  return true;
}

std::string lastDlError() {
  const char *e = ::dlerror();
  return e ? e : "unknown dlopen error";
}

} // namespace

SharedObject::~SharedObject() {
  if (handle)
    ::dlclose(handle);
  if (fd >= 0)
    ::close(fd);
}

dlcc_status_t SharedObject::load(const void *data, size_t size,
                                 const std::string &what,
                                 std::unique_ptr<SharedObject> &out) {
  std::unique_ptr<SharedObject> so(new SharedObject());
  std::string memfdError;
  int fd = ::memfd_create("dlcc-kernels", MFD_CLOEXEC);
  if (fd < 0) {
    memfdError = strCat("memfd_create: ", std::strerror(errno));
  } else if (!writeAll(fd, data, size)) {
    memfdError = strCat("writing the memfd: ", std::strerror(errno));
    ::close(fd);
  } else {
    // Move past numbers whose /proc name an unloadable object still holds.
    for (int tries = 0; tries < 8 && nameTaken(procPath(fd)); ++tries) {
      int other = ::fcntl(fd, F_DUPFD_CLOEXEC, fd + 1);
      ::close(fd);
      fd = other;
      if (fd < 0)
        break;
    }
    if (fd >= 0 && !nameTaken(procPath(fd))) {
      ::dlerror();
      so->handle = ::dlopen(procPath(fd).c_str(), RTLD_NOW | RTLD_LOCAL);
      if (so->handle) {
        so->fd = fd;
        out = std::move(so);
        return DLCC_STATUS_OK;
      }
      memfdError = strCat("dlopen of the memfd: ", lastDlError());
    } else {
      memfdError = "no unused /proc/self/fd name for the memfd";
    }
    if (fd >= 0)
      ::close(fd);
  }

  // Fallback: a temporary file, unlinked as soon as it is mapped.
  const char *dir = std::getenv("TMPDIR");
  if (!dir || !*dir)
    dir = "/tmp";
  std::string pathTemplate = strCat(dir, "/dlcc-kernels-XXXXXX");
  std::vector<char> path(pathTemplate.begin(), pathTemplate.end());
  path.push_back('\0');
  int tmp = ::mkstemp(path.data());
  if (tmp < 0)
    return setError(DLCC_STATUS_IO_ERROR,
                    strCat(what, ": cannot load (", memfdError, "; mkstemp in ",
                           dir, ": ", std::strerror(errno), ")"));
  bool written = writeAll(tmp, data, size);
  int writeErrno = errno;
  ::close(tmp);
  if (!written) {
    ::unlink(path.data());
    return setError(DLCC_STATUS_IO_ERROR,
                    strCat(what, ": cannot write ", path.data(), ": ",
                           std::strerror(writeErrno)));
  }
  ::dlerror();
  so->handle = ::dlopen(path.data(), RTLD_NOW | RTLD_LOCAL);
  std::string fileError = so->handle ? "" : lastDlError();
  ::unlink(path.data());
  if (!so->handle)
    return setError(
        DLCC_STATUS_INVALID_ARTIFACT,
        strCat(what, " is not a loadable shared object: ", fileError));
  out = std::move(so);
  return DLCC_STATUS_OK;
}

dlcc_status_t SharedObject::lookup(const char *symbol, const std::string &what,
                                   void *&out) const {
  ::dlerror();
  void *p = ::dlsym(handle, symbol);
  if (!p) {
    const char *e = ::dlerror();
    return setError(DLCC_STATUS_INVALID_ARTIFACT,
                    strCat(what, ": symbol ", quoted(symbol),
                           " not found in the x86_64-cpu kernel image",
                           e ? strCat(" (", e, ")") : std::string()));
  }
  out = p;
  return DLCC_STATUS_OK;
}

} // namespace dlcc::runtime
