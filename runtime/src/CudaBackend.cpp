//===- CudaBackend.cpp - The CUDA backend: loading the plugin -------------===//
//
// The CUDA backend lives in libdlcc_cuda.so (runtime/cuda/), so that
// libdlcc_runtime itself links no CUDA library. This file finds and loads
// it (next to libdlcc_runtime.so, found with dladdr; or the path in
// $DLCC_CUDA_PLUGIN), checks the C ABI of BackendPlugin.h, and wraps the
// plugin's table in a Backend. The plugin reports its error messages through
// the host callback, which stores them as this thread's message.
//
// A plugin that loaded stays loaded for the life of the process (it pulls
// in cuBLASLt, the driver and cuDNN, which are not made to be unloaded).
//
//===----------------------------------------------------------------------===//

#include "Backend.h"
#include "BackendPlugin.h"
#include "Program.h"
#include "Status.h"
#include "Support.h"

#include <dlfcn.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <string>

namespace dlcc::runtime {

namespace fb = dlcc::schema;

namespace {

dlcc_status_t hostReport(dlcc_status_t status, const char *message) {
  return setError(status, std::string(message ? message : ""));
}

const dlcc_plugin_host_t kHost = {DLCC_BACKEND_PLUGIN_ABI_VERSION,
                                  uint32_t(sizeof(dlcc_plugin_host_t)),
                                  hostReport};

/// The plugin's path: $DLCC_CUDA_PLUGIN, else libdlcc_cuda.so in the
/// directory libdlcc_runtime.so was loaded from.
std::string pluginPath() {
  if (const char *env = std::getenv("DLCC_CUDA_PLUGIN"); env && *env)
    return env;
  Dl_info info;
  if (dladdr(reinterpret_cast<void *>(&hostReport), &info) && info.dli_fname) {
    std::string self = info.dli_fname;
    size_t slash = self.rfind('/');
    if (slash != std::string::npos)
      return self.substr(0, slash + 1) + DLCC_CUDA_PLUGIN_FILE;
  }
  return DLCC_CUDA_PLUGIN_FILE; // the dynamic linker's search path
}

/// The plugin's table, loaded once per path; null with `why` (a phrase for
/// "CUDA backend not available: ..."). Sets no error message.
const dlcc_backend_plugin_t *loadPlugin(std::string &why) {
  static std::mutex mutex;
  static std::map<std::string, const dlcc_backend_plugin_t *> loaded;
  std::string path = pluginPath();
  std::lock_guard<std::mutex> lock(mutex);
  if (auto it = loaded.find(path); it != loaded.end())
    return it->second;
  dlerror();
  void *handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char *e = dlerror();
    why = strCat("cannot load the CUDA plugin ", quoted(path), ": ",
                 e ? e : "dlopen failed");
    return nullptr;
  }
  dlerror();
  void *symbol = dlsym(handle, DLCC_CUDA_PLUGIN_FACTORY);
  if (!symbol) {
    dlclose(handle);
    why = strCat(quoted(path), " is not a dlcc CUDA plugin for this runtime "
                               "(it has no symbol " DLCC_CUDA_PLUGIN_FACTORY
                               ")");
    return nullptr;
  }
  auto factory = reinterpret_cast<dlcc_backend_plugin_factory_t>(symbol);
  const dlcc_backend_plugin_t *table =
      factory(DLCC_BACKEND_PLUGIN_ABI_VERSION);
  if (!table) {
    dlclose(handle);
    why = strCat("the CUDA plugin ", quoted(path), " returned no plugin table");
    return nullptr;
  }
  if (table->abi_version != DLCC_BACKEND_PLUGIN_ABI_VERSION ||
      table->struct_size < sizeof(dlcc_backend_plugin_t)) {
    why = strCat("the CUDA plugin ", quoted(path), " has plugin ABI version ",
                 table->abi_version, " (table of ", table->struct_size,
                 " bytes), this runtime needs version ",
                 DLCC_BACKEND_PLUGIN_ABI_VERSION, " (",
                 sizeof(dlcc_backend_plugin_t),
                 " bytes): rebuild the plugin with this runtime");
    dlclose(handle);
    return nullptr;
  }
  loaded.emplace(path, table); // never dlclosed
  return table;
}

DevicePtr toPtr(uint64_t p) { return reinterpret_cast<DevicePtr>(uintptr_t(p)); }
uint64_t fromPtr(DevicePtr p) { return uint64_t(reinterpret_cast<uintptr_t>(p)); }

/// Backend.h over the plugin's C table.
class PluginBackend final : public Backend {
public:
  PluginBackend(const dlcc_backend_plugin_t &t, dlcc_plugin_backend_t *b)
      : t(t), b(b) {}
  ~PluginBackend() override { t.destroy(b); }

  dlcc_device_kind_t kind() const override { return DLCC_DEVICE_CUDA; }
  bool hostAddressable() const override { return false; }
  // The plugin answers UNSUPPORTED with its reason in the buffer (nothing
  // reported) and reports every other failure (out of memory included)
  // itself: those statuses pass through unchanged.
  dlcc_status_t prepareGemm(const GemmParams &g, uint32_t &handle,
                            std::string &why) override {
    dlcc_plugin_gemm_t p{};
    p.trans_a = g.transA, p.trans_b = g.transB;
    p.m = g.m, p.n = g.n, p.k = g.k, p.batch = g.batch;
    p.lda = g.lda, p.ldb = g.ldb, p.ldc = g.ldc;
    p.stride_a = g.strideA, p.stride_b = g.strideB, p.stride_c = g.strideC;
    p.alpha = g.alpha, p.beta = g.beta;
    p.a_dtype = g.aType, p.b_dtype = g.bType, p.c_dtype = g.cType;
    p.compute_dtype = g.computeType;
    p.align_a = g.alignA, p.align_b = g.alignB, p.align_c = g.alignC;
    char reason[512] = {};
    dlcc_status_t s = t.prepare_gemm(b, &p, &handle, reason, sizeof reason);
    if (s == DLCC_STATUS_UNSUPPORTED)
      why = reason;
    return s;
  }
  dlcc_status_t prepareConv(const ConvParams &c, uint32_t &handle,
                            std::string &why) override {
    dlcc_plugin_conv_t p{};
    p.spatial = c.spatial;
    for (int i = 0; i < 5; ++i) {
      p.input[i] = c.input[i];
      p.filter[i] = c.filter[i];
      p.output[i] = c.output[i];
    }
    for (int i = 0; i < 3; ++i) {
      p.strides[i] = c.strides[i];
      p.pad_begin[i] = c.padBegin[i];
      p.pad_end[i] = c.padEnd[i];
      p.dilations[i] = c.dilations[i];
    }
    p.groups = c.groups;
    p.dtype = c.dtype;
    p.compute_dtype = c.computeType;
    p.direction = int32_t(c.direction);
    char reason[1024] = {}; // the reasons name the shapes
    dlcc_status_t s = t.prepare_conv(b, &p, &handle, reason, sizeof reason);
    if (s == DLCC_STATUS_UNSUPPORTED)
      why = reason;
    return s;
  }
  dlcc_status_t loadKernels(const dlcc_program &program,
                            const std::vector<bool> &launched) override;
  dlcc_status_t allocate(uint64_t bytes, DevicePtr &out) override {
    uint64_t p = 0;
    if (dlcc_status_t s = t.allocate(b, bytes, &p))
      return s;
    out = toPtr(p);
    return DLCC_STATUS_OK;
  }
  void free(DevicePtr ptr) noexcept override { t.free_buffer(b, fromPtr(ptr)); }
  dlcc_status_t copyIn(DevicePtr dst, const void *src,
                       uint64_t bytes) override {
    return t.copy_in(b, fromPtr(dst), src, bytes);
  }
  dlcc_status_t copyOut(void *dst, DevicePtr src, uint64_t bytes) override {
    return t.copy_out(b, dst, fromPtr(src), bytes);
  }
  dlcc_status_t copy(DevicePtr dst, DevicePtr src, uint64_t bytes) override {
    return t.copy(b, fromPtr(dst), fromPtr(src), bytes);
  }
  dlcc_status_t memset(DevicePtr dst, uint8_t value, uint64_t bytes) override {
    return t.fill(b, fromPtr(dst), value, bytes);
  }
  dlcc_status_t launch(uint32_t kernel, const LaunchDims &dims,
                       void **params) override {
    return t.launch(b, kernel, dims.grid, dims.block, dims.sharedMemBytes,
                    params);
  }
  dlcc_status_t gemm(uint32_t handle, DevicePtr a, DevicePtr bb,
                     DevicePtr c) override {
    return t.gemm(b, handle, fromPtr(a), fromPtr(bb), fromPtr(c));
  }
  dlcc_status_t conv(uint32_t handle, DevicePtr x, DevicePtr w,
                     DevicePtr y) override {
    return t.conv(b, handle, fromPtr(x), fromPtr(w), fromPtr(y));
  }
  dlcc_status_t synchronize() override { return t.synchronize(b); }
  dlcc_status_t prepareStreams(uint32_t streams, uint32_t events) override {
    return t.prepare_streams(b, streams, events);
  }
  dlcc_status_t setStream(uint32_t stream) override {
    return t.set_stream(b, stream);
  }
  dlcc_status_t recordEvent(uint32_t event, uint32_t stream) override {
    return t.record_event(b, event, stream);
  }
  dlcc_status_t waitEvent(uint32_t event, uint32_t stream) override {
    return t.wait_event(b, event, stream);
  }
  dlcc_status_t beginRun(const RunKey &key, bool &replayed) override {
    keyBuffers.resize(key.count);
    for (size_t i = 0; i < key.count; ++i)
      keyBuffers[i] = fromPtr(key.buffers[i]);
    int r = 0;
    dlcc_status_t s =
        t.begin_run(b, key.entryPoint, keyBuffers.data(), key.count, &r);
    replayed = r != 0;
    return s;
  }
  dlcc_status_t endRun(bool issued, bool &again) override {
    int a = 0;
    dlcc_status_t s;
    if (issued) {
      s = t.end_run(b, 1, &a);
    } else {
      // The run already failed with its own message: keep it.
      std::string message = dlcc_status_message();
      s = t.end_run(b, 0, &a);
      setError(DLCC_STATUS_OK, std::move(message));
      s = DLCC_STATUS_OK;
    }
    again = a != 0;
    return s;
  }

private:
  const dlcc_backend_plugin_t &t;
  dlcc_plugin_backend_t *b;
  std::vector<uint64_t> keyBuffers;
};

dlcc_status_t PluginBackend::loadKernels(const dlcc_program &program,
                                         const std::vector<bool> &launched) {
  const fb::Program *meta = program.index.meta;
  const auto *kernels = meta->kernels();
  const auto *imageTable = meta->kernel_images();
  size_t kernelCount = kernels ? kernels->size() : 0;
  size_t imageCount = imageTable ? imageTable->size() : 0;

  std::vector<dlcc_plugin_image_t> images(imageCount);
  for (flatbuffers::uoffset_t i = 0; i < imageCount; ++i) {
    const fb::KernelImage *image = imageTable->Get(i);
    images[i].target = image->target()->c_str();
    images[i].data = program.bytes.get() +
                     program.container.sections[image->section()].offset +
                     image->offset();
    images[i].size = image->size();
  }
  std::vector<dlcc_plugin_kernel_t> ks(kernelCount);
  std::vector<std::vector<dlcc_plugin_variant_t>> variants(kernelCount);
  for (flatbuffers::uoffset_t k = 0; k < kernelCount; ++k) {
    const fb::Kernel *kernel = kernels->Get(k);
    ks[k].name = kernel->name()->c_str();
    ks[k].launched = launched[k] ? 1 : 0;
    const auto *vs = kernel->variants();
    for (flatbuffers::uoffset_t v = 0; vs && v < vs->size(); ++v) {
      const fb::KernelVariant *kv = vs->Get(v);
      dlcc_plugin_variant_t pv{};
      pv.image = kv->image();
      pv.symbol = kv->symbol()->c_str();
      pv.registers = kv->registers();
      pv.shared_mem_bytes = kv->shared_mem_bytes();
      pv.max_threads_per_block = kv->max_threads_per_block();
      variants[k].push_back(pv);
    }
    ks[k].variant_count = uint32_t(variants[k].size());
    ks[k].variants = variants[k].data();
  }
  // The largest block and dynamic shared memory of each kernel's launches.
  const auto *eps = meta->entry_points();
  for (flatbuffers::uoffset_t e = 0; eps && e < eps->size(); ++e) {
    const auto *commands = eps->Get(e)->commands();
    for (flatbuffers::uoffset_t c = 0; commands && c < commands->size(); ++c) {
      const fb::LaunchKernel *l = commands->Get(c)->op_as_LaunchKernel();
      if (!l)
        continue;
      dlcc_plugin_kernel_t &pk = ks[l->kernel()];
      const fb::Dim3 *block = l->block();
      // The loader checked that a block has at most 1024 threads.
      uint64_t threads = uint64_t(block->x()) * block->y() * block->z();
      pk.max_block_threads =
          std::max(pk.max_block_threads, uint32_t(std::min<uint64_t>(
                                             threads, UINT32_MAX)));
      pk.max_dynamic_shared_bytes =
          std::max(pk.max_dynamic_shared_bytes, l->shared_mem_bytes());
    }
  }
  dlcc_plugin_kernels_t description{};
  description.image_count = uint32_t(imageCount);
  description.images = images.data();
  description.kernel_count = uint32_t(kernelCount);
  description.kernels = ks.data();
  return t.load_kernels(b, &description);
}

} // namespace

bool cudaBackendAvailable() {
  try {
    std::string why;
    const dlcc_backend_plugin_t *table = loadPlugin(why);
    return table && table->available() != 0;
  } catch (...) {
    return false;
  }
}

dlcc_status_t createCudaBackend(const dlcc_program &, int32_t device,
                                std::unique_ptr<Backend> &out) {
  std::string why;
  const dlcc_backend_plugin_t *table = loadPlugin(why);
  if (!table)
    return setError(DLCC_STATUS_UNSUPPORTED,
                    strCat("CUDA backend not available: ", why));
  dlcc_plugin_backend_t *handle = nullptr;
  if (dlcc_status_t s = table->create(&kHost, device, &handle))
    return s;
  try {
    out = std::make_unique<PluginBackend>(*table, handle);
  } catch (...) {
    table->destroy(handle);
    throw; // apiCall turns it into a status
  }
  return DLCC_STATUS_OK;
}

} // namespace dlcc::runtime
