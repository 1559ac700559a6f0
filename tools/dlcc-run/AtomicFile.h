//===- AtomicFile.h - files replaced whole or not at all --------*- C++ -*-===//
//
// dlcc-run's output files (.npz outputs, state, safetensors checkpoints) are
// written into a temporary file beside the target and renamed over it, so a
// failed run never leaves a truncated file or loses the previous one.
//
//===----------------------------------------------------------------------===//
#ifndef DLCC_RUN_ATOMICFILE_H
#define DLCC_RUN_ATOMICFILE_H

#include <string>

namespace dlcc::run {

/// A temporary file in `path`'s directory (so that a rename replaces `path`
/// atomically), open for writing. The caller writes through `fd()` (or
/// reopens `tmpPath()`), then calls `commit()`; a file never committed is
/// removed when the object goes.
class AtomicFile {
public:
  explicit AtomicFile(std::string path);
  ~AtomicFile();
  AtomicFile(const AtomicFile &) = delete;
  AtomicFile &operator=(const AtomicFile &) = delete;

  int fd() const { return descriptor; }
  const std::string &tmpPath() const { return temporary; }
  /// Closes the descriptor (reopened writers close theirs first).
  void close();
  /// Gives the file the permissions a new file gets (mkstemp makes 0600),
  /// syncs it, renames it over the target and syncs the directory.
  void commit();
  /// "PATH: cannot write: WHY" as an Error.
  [[noreturn]] void fail(const std::string &why) const;

private:
  std::string path, dir, temporary;
  int descriptor = -1;
  bool committed = false;
};

} // namespace dlcc::run

#endif // DLCC_RUN_ATOMICFILE_H
