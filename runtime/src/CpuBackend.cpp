//===- CpuBackend.cpp - Executing on the host CPU -------------------------===//
//
// Memory is host memory (aligned_alloc), copies are memmove/memset, a
// kernel launch runs the kernel's packed-ABI symbol over ranges of its
// blocks on the thread pool, gemm library calls run CpuGemm.cpp and
// convolutions CpuConv.cpp. The
// kernels come from the program's "x86_64-cpu" images (ELF shared objects),
// loaded from memory.
//
//===----------------------------------------------------------------------===//

#include "Backend.h"
#include "CpuCode.h"
#include "CpuConv.h"
#include "CpuGemm.h"
#include "Program.h"
#include "Status.h"
#include "Support.h"
#include "ThreadPool.h"

#include <cstdlib>
#include <cstring>
#include <map>
#include <vector>

namespace dlcc::runtime {

namespace fb = dlcc::schema;

namespace {

constexpr const char *kCpuTarget = "x86_64-cpu";

class CpuBackend final : public Backend {
public:
  explicit CpuBackend(uint32_t threads) : pool(threads) {}

  dlcc_device_kind_t kind() const override { return DLCC_DEVICE_CPU; }
  uint32_t cpuThreads() const override { return pool.threads(); }
  bool hostAddressable() const override { return true; }
  dlcc_status_t prepareGemm(const GemmParams &g, uint32_t &handle,
                            std::string &why) override {
    std::unique_ptr<CpuGemm> gemm;
    if (dlcc_status_t s = CpuGemm::create(g, pool.threads(), gemm, why))
      return s;
    if (dlcc_status_t s = reserveScratchpad(gemm->scratchpadBytes(), "gemm"))
      return s;
    gemms.reserve(gemms.size() + 1);
    handle = uint32_t(gemms.size());
    gemms.push_back(std::move(gemm));
    return DLCC_STATUS_OK;
  }
  dlcc_status_t gemm(uint32_t handle, DevicePtr a, DevicePtr b,
                     DevicePtr c) override {
    return gemms[handle]->run(a, b, c, scratchpad.get());
  }
  dlcc_status_t prepareConv(const ConvParams &c, uint32_t &handle,
                            std::string &why) override {
    std::unique_ptr<CpuConv> conv;
    if (dlcc_status_t s = CpuConv::create(c, pool.threads(), conv, why))
      return s;
    if (dlcc_status_t s =
            reserveScratchpad(conv->scratchpadBytes(), "convolution"))
      return s;
    convs.reserve(convs.size() + 1);
    handle = uint32_t(convs.size());
    convs.push_back(std::move(conv));
    return DLCC_STATUS_OK;
  }
  dlcc_status_t conv(uint32_t handle, DevicePtr x, DevicePtr w,
                     DevicePtr y) override {
    return convs[handle]->run(x, w, y, scratchpad.get());
  }

  dlcc_status_t loadKernels(const dlcc_program &program,
                            const std::vector<bool> &launched) override;

  dlcc_status_t allocate(uint64_t bytes, DevicePtr &out) override {
    uint64_t rounded = bytes == 0 ? kBufferAlignment : bytes;
    if (rounded % kBufferAlignment &&
        !checkedAdd(rounded, kBufferAlignment - rounded % kBufferAlignment,
                    rounded))
      rounded = 0;
    void *p = rounded && rounded <= SIZE_MAX
                  ? std::aligned_alloc(kBufferAlignment, size_t(rounded))
                  : nullptr;
    if (!p)
      return setError(
          DLCC_STATUS_OUT_OF_MEMORY,
          strCat("cannot allocate ", bytes, " bytes of host memory"));
    out = p;
    return DLCC_STATUS_OK;
  }
  void free(DevicePtr ptr) noexcept override { std::free(ptr); }
  dlcc_status_t copyIn(DevicePtr dst, const void *src,
                       uint64_t bytes) override {
    if (bytes)
      std::memmove(dst, src, size_t(bytes));
    return DLCC_STATUS_OK;
  }
  dlcc_status_t copyOut(void *dst, DevicePtr src, uint64_t bytes) override {
    if (bytes)
      std::memmove(dst, src, size_t(bytes));
    return DLCC_STATUS_OK;
  }
  dlcc_status_t copy(DevicePtr dst, DevicePtr src, uint64_t bytes) override {
    if (bytes)
      std::memmove(dst, src, size_t(bytes));
    return DLCC_STATUS_OK;
  }
  dlcc_status_t memset(DevicePtr dst, uint8_t value, uint64_t bytes) override {
    if (bytes)
      std::memset(dst, value, size_t(bytes));
    return DLCC_STATUS_OK;
  }
  dlcc_status_t launch(uint32_t kernel, const LaunchDims &dims,
                       void **params) override {
    CpuKernelFn fn = kernel < functions.size() ? functions[kernel] : nullptr;
    if (!fn)
      return setError(DLCC_STATUS_INTERNAL,
                      strCat("CPU backend: kernel ", kernel, " is not loaded"));
    pool.run(fn, dims.blocks, params);
    return DLCC_STATUS_OK;
  }
  dlcc_status_t synchronize() override { return DLCC_STATUS_OK; }

private:
  /// Grows the scratchpad to at least `bytes` (when preparing, so that a
  /// run allocates nothing); OUT_OF_MEMORY naming `what` if it cannot.
  dlcc_status_t reserveScratchpad(uint64_t bytes, const char *what) {
    if (bytes <= scratchpadBytes)
      return DLCC_STATUS_OK;
    uint64_t rounded = (bytes + 63) / 64 * 64;
    void *p = rounded >= bytes && rounded <= SIZE_MAX
                  ? std::aligned_alloc(64, size_t(rounded))
                  : nullptr;
    if (!p)
      return setError(DLCC_STATUS_OUT_OF_MEMORY,
                      strCat("out of memory: cannot allocate the ", bytes,
                             "-byte oneDNN scratchpad of a ", what));
    scratchpad.reset(static_cast<uint8_t *>(p));
    scratchpadBytes = bytes;
    return DLCC_STATUS_OK;
  }

  ThreadPool pool;
  std::vector<std::unique_ptr<CpuGemm>> gemms; // prepared gemm library calls
  std::vector<std::unique_ptr<CpuConv>> convs; // prepared convolutions
  /// The oneDNN primitives' scratch memory, shared by all of them (a
  /// session runs one library call at a time), as large as the largest
  /// need.
  std::unique_ptr<uint8_t[], FreeDeleter> scratchpad;
  uint64_t scratchpadBytes = 0;
  // Declared before `functions`' users need them; destroyed (dlclose) last.
  std::map<uint32_t, std::unique_ptr<SharedObject>> images;
  std::vector<CpuKernelFn> functions; // by kernel index; null if not loaded
};

dlcc_status_t CpuBackend::loadKernels(const dlcc_program &program,
                                      const std::vector<bool> &launched) {
  const fb::Program *meta = program.index.meta;
  const auto *kernels = meta->kernels();
  const auto *imageTable = meta->kernel_images();
  size_t kernelCount = kernels ? kernels->size() : 0;
  functions.assign(kernelCount, nullptr);
  if (kernelCount == 0)
    return DLCC_STATUS_OK;

  bool anyCpuImage = false;
  for (flatbuffers::uoffset_t i = 0; imageTable && i < imageTable->size(); ++i)
    anyCpuImage |= imageTable->Get(i)->target()->string_view() == kCpuTarget;
  bool anyLaunched = false;
  for (size_t k = 0; k < kernelCount; ++k)
    anyLaunched |= launched[k];
  if (!anyCpuImage && anyLaunched)
    return setError(
        DLCC_STATUS_UNSUPPORTED,
        strCat("the program has no CPU kernel image (no kernel image with "
               "target \"",
               kCpuTarget, "\"), so its ", kernelCount,
               " kernel(s) cannot run on the CPU"));

  for (flatbuffers::uoffset_t k = 0; k < kernelCount; ++k) {
    const fb::Kernel *kernel = kernels->Get(k);
    std::string what = strCat("kernel ", quoted(kernel->name()->string_view()));
    const fb::KernelVariant *variant = nullptr;
    const auto *variants = kernel->variants();
    for (flatbuffers::uoffset_t v = 0; variants && v < variants->size(); ++v)
      if (imageTable->Get(variants->Get(v)->image())->target()->string_view() ==
          kCpuTarget)
        variant = variants->Get(v);
    if (!variant) {
      if (!launched[k])
        continue;
      return setError(DLCC_STATUS_UNSUPPORTED,
                      strCat(what, " has no variant for target \"", kCpuTarget,
                             "\" and cannot run on the CPU"));
    }
    uint32_t imageIndex = variant->image();
    auto it = images.find(imageIndex);
    if (it == images.end()) {
      const fb::KernelImage *image = imageTable->Get(imageIndex);
      const uint8_t *bytes =
          program.bytes.get() +
          program.container.sections[image->section()].offset + image->offset();
      std::unique_ptr<SharedObject> so;
      if (dlcc_status_t s = SharedObject::load(
              bytes, size_t(image->size()),
              strCat("kernel image ", imageIndex, " (x86_64-cpu)"), so))
        return s;
      it = images.emplace(imageIndex, std::move(so)).first;
    }
    void *address = nullptr;
    if (dlcc_status_t s =
            it->second->lookup(variant->symbol()->c_str(), what, address))
      return s;
    functions[k] = reinterpret_cast<CpuKernelFn>(address);
  }
  return DLCC_STATUS_OK;
}

} // namespace

dlcc_status_t createCpuBackend(const dlcc_program &program, uint32_t threads,
                               std::unique_ptr<Backend> &out) {
  const flatbuffers::String *baseline = program.index.meta->cpu_baseline();
  if (dlcc_status_t s =
          checkCpuBaseline(baseline ? baseline->string_view() : ""))
    return s;
  out = std::make_unique<CpuBackend>(threads);
  return DLCC_STATUS_OK;
}

} // namespace dlcc::runtime
