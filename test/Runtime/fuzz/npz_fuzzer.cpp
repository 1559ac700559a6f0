//===- npz_fuzzer.cpp - libFuzzer target for dlcc-run's .npz/.npy reader --===//
//
// Writes each input to a memfd and reads it as dlcc-run reads --inputs
// (tools/dlcc-run/Npz.cpp, Npy.cpp): open the archive, list its members,
// read every member whose header passes a check like dlcc-run's (a size
// bound here, in place of the expected dtype and shape). An input that
// starts with the .npy magic is also parsed as a bare .npy header. Every
// rejection must be a dlcc::run::Error (a one-line message); any other
// exception, crash or out-of-bounds access is a bug. Built with ASan/UBSan
// (runtime/CMakeLists.txt, -DDLCC_BUILD_FUZZERS=ON):
//   build-fuzz/bin/dlcc-npz-fuzzer -max_len=8192 -max_total_time=600 \
//       test/Runtime/fuzz/npz-corpus
// test/python/test_dlcc_run.py replays the seeds through dlcc-run --inputs.
//
//===----------------------------------------------------------------------===//

#include "Touch.h"
#include "Npy.h"
#include "Npz.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <sys/mman.h>
#include <unistd.h>

namespace {

using dlcc::fuzz::touch;

/// Larger arrays are rejected by the check (dlcc-run's check requires the
/// entry point's exact shape, which bounds the size the same way).
constexpr size_t kMaxArrayBytes = size_t(16) << 20;

int memfd() {
  static int fd = [] {
    int f = memfd_create("dlcc-npz-fuzz", MFD_CLOEXEC);
    if (f < 0) {
      std::perror("memfd_create");
      std::abort();
    }
    return f;
  }();
  return fd;
}

void readNpz(const std::string &path) {
  using namespace dlcc::run;
  try {
    NpzReader npz(path);
    for (const std::string &key : npz.keys()) {
      if (!npz.contains(key))
        std::abort(); // keys() and contains() disagree
      try {
        NpyArray a = npz.read(key, [](const NpyArray &header) {
          touch(header.descr.data(), header.descr.size());
          shapeTuple(header.shape);
          for (int dtype = DLCC_DTYPE_F16; dtype <= DLCC_DTYPE_U64; ++dtype)
            npyMatches(header, dlcc_dtype_t(dtype));
          if (header.dataSize > kMaxArrayBytes)
            throw Error("too large for the fuzzer");
        });
        if (a.dataOffset + a.dataSize != a.bytes.size())
          std::abort(); // read() returns exactly header + data
        touch(a.bytes.data() + a.dataOffset, a.dataSize);
      } catch (const Error &e) {
        touch(e.what(), std::char_traits<char>::length(e.what()));
      }
    }
  } catch (const Error &e) {
    touch(e.what(), std::char_traits<char>::length(e.what()));
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  int fd = memfd();
  if (ftruncate(fd, 0) != 0 ||
      (size && pwrite(fd, data, size, 0) != ssize_t(size))) {
    std::perror("memfd write");
    std::abort();
  }
  readNpz("/proc/self/fd/" + std::to_string(fd));
  if (size >= 6 && data[0] == 0x93 && data[1] == 'N') {
    try {
      dlcc::run::NpyArray a = dlcc::run::parseNpyHeader(data, size, "fuzz");
      if (a.dataOffset > size)
        std::abort(); // the header lies within what was given
    } catch (const dlcc::run::Error &e) {
      touch(e.what(), std::char_traits<char>::length(e.what()));
    }
  }
  return 0;
}
