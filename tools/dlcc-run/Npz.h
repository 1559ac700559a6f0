//===- Npz.h - NumPy .npz archives for dlcc-run -----------------*- C++ -*-===//
//
// Reading (np.savez and np.savez_compressed files) and atomic writing of
// .npz archives (zip files of .npy members) with libzip.
//
//===----------------------------------------------------------------------===//
#ifndef DLCC_RUN_NPZ_H
#define DLCC_RUN_NPZ_H

#include "Npy.h"

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

struct zip;

namespace dlcc::run {

/// Throws Error ("PATH: not a regular file (a FIFO)") when `path` exists
/// and is not a regular file (symbolic links followed), without opening it;
/// a missing file passes (opening it reports that).
void checkRegularFile(const std::string &path);

class NpzReader {
public:
  /// Opens and checks the archive; throws Error. Only a regular file is
  /// read (checkRegularFile), so a FIFO or a device never blocks.
  explicit NpzReader(const std::string &path);
  ~NpzReader();
  NpzReader(const NpzReader &) = delete;
  NpzReader &operator=(const NpzReader &) = delete;

  /// The arrays' names (member names without ".npy"), in archive order.
  const std::vector<std::string> &keys() const { return names; }
  bool contains(const std::string &key) const { return index.count(key); }
  /// Reads one member: its .npy header first, which `check` may reject (by
  /// throwing) before any data is read, then exactly the data the header
  /// announces, checking the CRC.
  NpyArray read(const std::string &key,
                const std::function<void(const NpyArray &)> &check);

private:
  std::string path;
  std::vector<uint8_t> file; // libzip reads from this buffer
  struct zip *archive = nullptr;
  std::vector<std::string> names;
  std::map<std::string, std::pair<uint64_t, std::string>> index; // member
};

/// Writes `arrays` (name, .npy bytes) as an uncompressed .npz at `path`
/// atomically: a temporary file in the same directory, synced, renamed over
/// `path`. On failure `path` is untouched and the temporary file removed.
void writeNpzAtomically(
    const std::string &path,
    const std::vector<std::pair<std::string, std::vector<uint8_t>>> &arrays);

} // namespace dlcc::run

#endif // DLCC_RUN_NPZ_H
