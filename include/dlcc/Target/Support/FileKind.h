//===- FileKind.h - refusing files that are not regular files -------------===//
//
// Dependency-free: shared by the runtime's loader and dlcc-run's .npz
// reader, which refuse FIFOs, directories and devices before reading (a FIFO
// would block forever).
//
//===----------------------------------------------------------------------===//
#ifndef DLCC_TARGET_SUPPORT_FILEKIND_H
#define DLCC_TARGET_SUPPORT_FILEKIND_H

#include <sys/stat.h>
#include <unistd.h>

namespace dlcc::files {

/// What a file that is not a regular file is, for messages.
inline const char *fileKind(mode_t mode) {
  if (S_ISDIR(mode))
    return "a directory";
  if (S_ISFIFO(mode))
    return "a FIFO";
  if (S_ISCHR(mode))
    return "a character device";
  if (S_ISBLK(mode))
    return "a block device";
  if (S_ISSOCK(mode))
    return "a socket";
  return "another kind of file";
}

/// Closes a file descriptor on scope exit.
struct FdCloser {
  int fd;
  ~FdCloser() {
    if (fd >= 0)
      ::close(fd);
  }
};

} // namespace dlcc::files

#endif // DLCC_TARGET_SUPPORT_FILEKIND_H
