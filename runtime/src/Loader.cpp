//===- Loader.cpp - Loading and verifying train.bin -----------------------===//
//
// dlcc_program_load_file / _load_memory: the artifact is copied into one
// 64-byte aligned buffer owned by the program, then checked in the order of
// docs/artifact-format.md ("Validation order"): container header, section
// table, hashes, FlatBuffers verifier, metadata references. Nothing in the
// artifact is used before all checks pass.
//
//===----------------------------------------------------------------------===//

#include "Program.h"
#include "Status.h"
#include "Support.h"
#include "dlcc/Target/Support/FileKind.h"

#include <cerrno>
#include <cstring>
#include <memory>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error                                                                         \
    "the dlcc runtime reads train.bin in place and needs a little-endian host"
#endif

using namespace dlcc::runtime;
using dlcc::files::FdCloser;
using dlcc::files::fileKind;

namespace {

using Buffer = std::unique_ptr<uint8_t[], FreeDeleter>;

/// A 64-byte aligned allocation of at least `size` bytes (at least 64).
Buffer allocateAligned(size_t size) {
  size_t rounded = size == 0 ? kAlignment : size;
  if (rounded % kAlignment)
    rounded += kAlignment - rounded % kAlignment;
  if (rounded < size)
    return Buffer(nullptr);
  return Buffer(
      static_cast<uint8_t *>(std::aligned_alloc(kAlignment, rounded)));
}

dlcc_status_t checkOptions(const dlcc_program_options_t *options, uint64_t size,
                           const std::string &what) {
  if (!options)
    return DLCC_STATUS_OK;
  if (options->flags != 0)
    return setError(DLCC_STATUS_INVALID_ARGUMENT,
                    strCat("dlcc_program_options_t.flags is ",
                           hex(options->flags), "; no flags are defined"));
  if (options->max_artifact_bytes != 0 && size > options->max_artifact_bytes)
    return setError(DLCC_STATUS_INVALID_ARGUMENT,
                    strCat(what, " is ", size,
                           " bytes, more than "
                           "max_artifact_bytes (",
                           options->max_artifact_bytes, ")"));
  return DLCC_STATUS_OK;
}

/// Validates `bytes` (the whole artifact) and wraps it in a program.
/// `what` prefixes every message (the file name, or "artifact").
dlcc_status_t finishLoad(Buffer bytes, size_t size, const std::string &what,
                         dlcc_program_t **out) {
  auto program = std::make_unique<dlcc_program>();
  program->bytes = std::move(bytes);
  program->size = size;
  std::string message;
  switch (
      parseContainer(program->bytes.get(), size, program->container, message)) {
  case ContainerError::None:
    break;
  case ContainerError::Invalid:
    return setError(DLCC_STATUS_INVALID_ARTIFACT, strCat(what, ": ", message));
  case ContainerError::UnsupportedVersion:
    return setError(DLCC_STATUS_UNSUPPORTED_VERSION,
                    strCat(what, ": ", message));
  }
  if (!validateMetadata(program->bytes.get(), program->container,
                        program->index, message))
    return setError(DLCC_STATUS_INVALID_ARTIFACT, strCat(what, ": ", message));
  *out = program.release();
  return DLCC_STATUS_OK;
}

} // namespace

extern "C" {

dlcc_status_t dlcc_program_options_initialize(dlcc_program_options_t *options) {
  if (!options)
    return setError(DLCC_STATUS_INVALID_ARGUMENT,
                    "dlcc_program_options_initialize: options is NULL");
  std::memset(options, 0, sizeof(*options));
  return DLCC_STATUS_OK;
}

dlcc_status_t dlcc_program_load_file(const char *path,
                                     const dlcc_program_options_t *options,
                                     dlcc_program_t **out_program) {
  return apiCall("dlcc_program_load_file", [&]() -> dlcc_status_t {
    if (!path || !out_program)
      return setError(DLCC_STATUS_INVALID_ARGUMENT,
                      "dlcc_program_load_file: path and out_program must not "
                      "be NULL");
    // Only a regular file is read. O_NONBLOCK: opening a FIFO for reading
    // would otherwise wait for a writer (forever, if none comes) before
    // fstat could reject it; for a regular file the flag changes nothing.
    int fd;
    do {
      fd = ::open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0)
      return setError(DLCC_STATUS_IO_ERROR,
                      strCat(path, ": cannot open: ", std::strerror(errno)));
    FdCloser closer{fd};
    struct stat st;
    if (::fstat(fd, &st) != 0)
      return setError(DLCC_STATUS_IO_ERROR,
                      strCat(path, ": cannot stat: ", std::strerror(errno)));
    if (!S_ISREG(st.st_mode))
      return setError(DLCC_STATUS_IO_ERROR,
                      strCat(path, ": not a regular file (",
                             fileKind(st.st_mode), ")"));
    uint64_t size = uint64_t(st.st_size);
    if (dlcc_status_t s = checkOptions(options, size, path))
      return s;
    if (size > SIZE_MAX / 2)
      return setError(DLCC_STATUS_OUT_OF_MEMORY,
                      strCat(path, ": file of ", size, " bytes is too large"));
    Buffer bytes = allocateAligned(size_t(size));
    if (!bytes)
      return setError(DLCC_STATUS_OUT_OF_MEMORY,
                      strCat(path, ": cannot allocate ", size, " bytes"));
    size_t done = 0;
    while (done < size) {
      ssize_t n = ::read(fd, bytes.get() + done, size_t(size) - done);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return setError(DLCC_STATUS_IO_ERROR,
                        strCat(path, ": read failed: ", std::strerror(errno)));
      if (n == 0)
        return setError(
            DLCC_STATUS_IO_ERROR,
            strCat(path, ": file shrank to ", done, " bytes while being read"));
      done += size_t(n);
    }
    return finishLoad(std::move(bytes), size_t(size), path, out_program);
  });
}

dlcc_status_t dlcc_program_load_memory(const void *data, size_t size,
                                       const dlcc_program_options_t *options,
                                       dlcc_program_t **out_program) {
  return apiCall("dlcc_program_load_memory", [&]() -> dlcc_status_t {
    if ((!data && size != 0) || !out_program)
      return setError(DLCC_STATUS_INVALID_ARGUMENT,
                      "dlcc_program_load_memory: data and out_program must "
                      "not be NULL");
    if (dlcc_status_t s = checkOptions(options, size, "artifact"))
      return s;
    Buffer bytes = allocateAligned(size);
    if (!bytes)
      return setError(DLCC_STATUS_OUT_OF_MEMORY,
                      strCat("artifact: cannot allocate ", size, " bytes"));
    if (size)
      std::memcpy(bytes.get(), data, size);
    return finishLoad(std::move(bytes), size, "artifact", out_program);
  });
}

dlcc_status_t dlcc_program_release(dlcc_program_t *program) {
  if (!program)
    return DLCC_STATUS_OK;
  // Drops the handle's reference; sessions keep their own (Program.h), so
  // the program goes when the last of handle and sessions is released. A
  // second release of the handle can only be noticed while sessions keep
  // the program alive (otherwise it was freed: undefined, as for free()).
  if (program->handleReleased.exchange(true, std::memory_order_acq_rel))
    return setError(DLCC_STATUS_INVALID_ARGUMENT,
                    "dlcc_program_release: the program handle was already "
                    "released");
  releaseProgram(program);
  return DLCC_STATUS_OK;
}

} // extern "C"
