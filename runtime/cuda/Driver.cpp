//===- Driver.cpp - Loading libcuda.so.1 at run time ----------------------===//

#include "Driver.h"

#include <dlfcn.h>

#include <mutex>

namespace dlcc::cuda {

std::string Driver::errorText(CUresult r) const {
  const char *name = nullptr, *text = nullptr;
  if (getErrorName && getErrorName(r, &name) != CUDA_SUCCESS)
    name = nullptr;
  if (getErrorString && getErrorString(r, &text) != CUDA_SUCCESS)
    text = nullptr;
  if (!name) // the driver stub names nothing; the codes cuInit gives most
    switch (r) {
    case CUDA_ERROR_STUB_LIBRARY:
      name = "CUDA_ERROR_STUB_LIBRARY";
      text = "the CUDA driver is the toolkit's stub library, not a driver";
      break;
    case CUDA_ERROR_NO_DEVICE:
      name = "CUDA_ERROR_NO_DEVICE";
      break;
    default:
      break;
    }
  std::string s = name ? name : "CUDA error " + std::to_string(int(r));
  if (text)
    s += std::string(" (") + text + ")";
  return s;
}

namespace {

struct Loaded {
  Driver driver;
  bool ok = false;
  std::string why;
};

void load(Loaded &l) {
  // RTLD_LOCAL: the driver's symbols never interpose on anything else.
  void *handle = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char *e = dlerror();
    l.why = std::string("no CUDA driver (libcuda.so.1 not found: ") +
            (e ? e : "dlopen failed") + ")";
    return;
  }
  Driver &d = l.driver;
  std::string missing;
#define DLCC_CUDA_RESOLVE(member, symbol)                                      \
  d.member = reinterpret_cast<decltype(d.member)>(dlsym(handle, #symbol));     \
  if (!d.member)                                                               \
    missing += std::string(missing.empty() ? "" : ", ") + #symbol;
  DLCC_CUDA_DRIVER_FUNCTIONS(DLCC_CUDA_RESOLVE)
#undef DLCC_CUDA_RESOLVE
  if (!missing.empty()) {
    // The handle stays open: unloading a driver is never worth the risk.
    l.why = "the CUDA driver (libcuda.so.1) is too old: it lacks " + missing;
    return;
  }
  if (CUresult r = d.init(0)) {
    l.why = "cuInit failed: " + d.errorText(r);
    return;
  }
  if (d.driverGetVersion(&d.version) != CUDA_SUCCESS)
    d.version = 0;
  if (CUresult r = d.deviceGetCount(&d.deviceCount)) {
    l.why = "cuDeviceGetCount failed: " + d.errorText(r);
    return;
  }
  if (d.deviceCount <= 0) {
    l.why = "the CUDA driver reports no device";
    return;
  }
  l.ok = true;
}

} // namespace

const Driver *loadDriver(std::string &why) {
  static Loaded loaded;
  static std::once_flag once;
  std::call_once(once, [] { load(loaded); });
  if (!loaded.ok) {
    why = loaded.why;
    return nullptr;
  }
  return &loaded.driver;
}

} // namespace dlcc::cuda
