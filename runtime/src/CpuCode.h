//===- CpuCode.h - CPU baseline check and kernel shared objects -*- C++ -*-===//
//
// checkCpuBaseline: whether the host runs code compiled for
// Program.cpu_baseline ("x86-64", "x86-64-v2", "x86-64-v3", "x86-64-v4").
// SharedObject: an x86_64-cpu kernel image loaded from memory (memfd, or a
// temporary file when memfd or its dlopen fails).
//
//===----------------------------------------------------------------------===//
#ifndef DLCC_RUNTIME_CPUCODE_H
#define DLCC_RUNTIME_CPUCODE_H

#include "dlcc-c/dlcc.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace dlcc::runtime {

/// DLCC_STATUS_UNSUPPORTED (with a message naming the missing features) when
/// the host cannot run `baseline`, or when `baseline` is not a known level.
/// An empty baseline means "x86-64".
dlcc_status_t checkCpuBaseline(std::string_view baseline);

/// A dlopen'ed shared object; dlclose'd on destruction.
class SharedObject {
public:
  ~SharedObject();
  SharedObject(const SharedObject &) = delete;
  SharedObject &operator=(const SharedObject &) = delete;

  /// Writes `size` bytes to an anonymous file and dlopens it
  /// (RTLD_NOW | RTLD_LOCAL). `what` names the image in messages.
  static dlcc_status_t load(const void *data, size_t size,
                            const std::string &what,
                            std::unique_ptr<SharedObject> &out);

  /// The address of `symbol`, or DLCC_STATUS_INVALID_ARTIFACT.
  dlcc_status_t lookup(const char *symbol, const std::string &what,
                       void *&out) const;

private:
  SharedObject() = default;
  void *handle = nullptr;
  int fd = -1; // kept open while loaded, so that its /proc path stays unique
};

} // namespace dlcc::runtime

#endif // DLCC_RUNTIME_CPUCODE_H
