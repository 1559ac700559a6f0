/*===- BackendPlugin.h - The boundary between the runtime and a plugin ----===*\
|*                                                                            *|
|* A device backend that lives in its own shared library (the CUDA backend,   *|
|* libdlcc_cuda.so) is reached through this C ABI only, never through C++     *|
|* objects: no std::string, std::vector, exception or dlcc_program crosses    *|
|* it. The runtime (CudaBackend.cpp) wraps the table in a Backend (Backend.h) *|
|* and fills the plain descriptions below from the validated program.        *|
|*                                                                            *|
|* Loading: dlopen(RTLD_NOW | RTLD_LOCAL), dlsym(DLCC_CUDA_PLUGIN_FACTORY),   *|
|* factory(DLCC_BACKEND_PLUGIN_ABI_VERSION) returns the plugin's table, whose *|
|* abi_version must equal the runtime's and whose struct_size must be at      *|
|* least sizeof(dlcc_backend_plugin_t). Bump the version (and the factory     *|
|* symbol's suffix) for any change to this file.                              *|
|*                                                                            *|
|* Errors: every call that can fail returns a dlcc_status_t. Before returning *|
|* a failure it calls host->report(status, message) exactly once, on the      *|
|* calling thread; the runtime stores the message as that thread's           *|
|* dlcc_status_message(). The plugin never links libdlcc_runtime. Calls never *|
|* throw: the plugin catches everything at this boundary.                     *|
|*                                                                            *|
|* Device addresses are uint64_t (a CUdeviceptr).                             *|
\*===----------------------------------------------------------------------===*/
#ifndef DLCC_RUNTIME_BACKENDPLUGIN_H
#define DLCC_RUNTIME_BACKENDPLUGIN_H

#include "dlcc-c/dlcc.h"

#include <stddef.h>
#include <stdint.h>

#define DLCC_BACKEND_PLUGIN_ABI_VERSION 3u
/* The one symbol a CUDA plugin exports (its suffix is the ABI version). */
#define DLCC_CUDA_PLUGIN_FACTORY "dlcc_cuda_backend_plugin_v3"
/* The plugin's file name, looked up next to libdlcc_runtime.so unless the
 * environment variable DLCC_CUDA_PLUGIN names a path. */
#define DLCC_CUDA_PLUGIN_FILE "libdlcc_cuda.so"

#ifdef __cplusplus
extern "C" {
#endif

/* What the runtime passes to the plugin (valid for the backend's lifetime). */
typedef struct dlcc_plugin_host_t {
  uint32_t abi_version; /* DLCC_BACKEND_PLUGIN_ABI_VERSION */
  uint32_t struct_size; /* sizeof(dlcc_plugin_host_t) */
  /* Stores `message` as the calling thread's error message; returns status. */
  dlcc_status_t (*report)(dlcc_status_t status, const char *message);
} dlcc_plugin_host_t;

/* One kernel image of the program (Program.kernel_images[i]). */
typedef struct dlcc_plugin_image_t {
  const char *target; /* "sm_90", "ptx", "x86_64-cpu", ... */
  const void *data;   /* the image's bytes (PTX is NUL-terminated) */
  uint64_t size;
} dlcc_plugin_image_t;

/* A kernel's code in one image (KernelVariant). */
typedef struct dlcc_plugin_variant_t {
  uint32_t image; /* index into dlcc_plugin_kernels_t.images */
  const char *symbol;
  uint32_t registers;
  uint32_t shared_mem_bytes; /* static */
  uint32_t max_threads_per_block;
} dlcc_plugin_variant_t;

typedef struct dlcc_plugin_kernel_t {
  const char *name;
  /* Non-zero when some entry point launches it (it must then load). */
  uint32_t launched;
  /* Over all its launches: the largest block (threads) and dynamic shared
   * memory (bytes). */
  uint32_t max_block_threads;
  uint32_t max_dynamic_shared_bytes;
  uint32_t variant_count;
  const dlcc_plugin_variant_t *variants;
} dlcc_plugin_kernel_t;

typedef struct dlcc_plugin_kernels_t {
  uint32_t image_count;
  const dlcc_plugin_image_t *images;
  uint32_t kernel_count;
  const dlcc_plugin_kernel_t *kernels; /* launch() takes an index here */
} dlcc_plugin_kernels_t;

/* A gemm library call, as GemmParams in Backend.h (row-major). */
typedef struct dlcc_plugin_gemm_t {
  int32_t trans_a, trans_b;
  int64_t m, n, k, batch;
  int64_t lda, ldb, ldc;
  int64_t stride_a, stride_b, stride_c;
  double alpha, beta;
  int32_t a_dtype, b_dtype, c_dtype, compute_dtype; /* dlcc_dtype_t */
  /* Alignment (bytes, a power of two <= 256) every address of A, B, C has. */
  uint32_t align_a, align_b, align_c;
} dlcc_plugin_gemm_t;

/* A convolution library call (forward, or a gradient: see `direction`), as
 * ConvParams in Backend.h, described by the forward convolution: NCHW-like
 * dense row-major layouts, input [N, C, D...], filter [O, C/groups, K...],
 * output [N, O, E...] with `spatial` (1 to 3) spatial dims; entries past
 * 2 + spatial are 0. Padding is explicit (begin and end per spatial dim);
 * dilations are ONNX's (1 = dense). */
typedef struct dlcc_plugin_conv_t {
  int32_t spatial;
  int64_t input[5], filter[5], output[5];
  int64_t strides[3], pad_begin[3], pad_end[3], dilations[3];
  int64_t groups;
  int32_t dtype, compute_dtype; /* dlcc_dtype_t */
  /* What the call computes of the convolution these fields describe:
   * 0 the convolution (operands X, W, Y), 1 the input's gradient (dY, W,
   * dX: a transposed convolution), 2 the filter's gradient (X, dY, dW). */
  int32_t direction;
} dlcc_plugin_conv_t;

typedef struct dlcc_plugin_backend dlcc_plugin_backend_t; /* opaque */

typedef struct dlcc_backend_plugin_t {
  uint32_t abi_version; /* DLCC_BACKEND_PLUGIN_ABI_VERSION */
  uint32_t struct_size; /* sizeof(dlcc_backend_plugin_t) */
  const char *description; /* e.g. "dlcc CUDA backend (CUDA 13.0 headers)" */

  /* 1 when a backend could be created: the driver loads, cuInit succeeds
   * and there is a device. Reports nothing; never fails otherwise. */
  int (*available)(void);
  /* A backend on CUDA device `device`, or a failure (reported; UNSUPPORTED
   * with "CUDA backend not available: ..." when there is no driver or
   * device). */
  dlcc_status_t (*create)(const dlcc_plugin_host_t *host, int32_t device,
                          dlcc_plugin_backend_t **out);
  void (*destroy)(dlcc_plugin_backend_t *backend);

  /* Backend::prepareGemm: DLCC_STATUS_OK with *handle, or
   * DLCC_STATUS_UNSUPPORTED with a phrase in why[0..why_size) (not
   * reported); other failures are reported. */
  dlcc_status_t (*prepare_gemm)(dlcc_plugin_backend_t *backend,
                                const dlcc_plugin_gemm_t *gemm,
                                uint32_t *handle, char *why, size_t why_size);
  dlcc_status_t (*load_kernels)(dlcc_plugin_backend_t *backend,
                                const dlcc_plugin_kernels_t *kernels);
  /* The largest stream_count and event_count of the program. */
  dlcc_status_t (*prepare_streams)(dlcc_plugin_backend_t *backend,
                                   uint32_t streams, uint32_t events);

  dlcc_status_t (*allocate)(dlcc_plugin_backend_t *backend, uint64_t bytes,
                            uint64_t *out);
  void (*free_buffer)(dlcc_plugin_backend_t *backend, uint64_t ptr);
  /* Synchronous: complete when they return. */
  dlcc_status_t (*copy_in)(dlcc_plugin_backend_t *backend, uint64_t dst,
                           const void *src, uint64_t bytes);
  dlcc_status_t (*copy_out)(dlcc_plugin_backend_t *backend, void *dst,
                            uint64_t src, uint64_t bytes);
  /* Queued on the current stream (stream 0 outside runs). */
  dlcc_status_t (*copy)(dlcc_plugin_backend_t *backend, uint64_t dst,
                        uint64_t src, uint64_t bytes);
  dlcc_status_t (*fill)(dlcc_plugin_backend_t *backend, uint64_t dst,
                        uint8_t value, uint64_t bytes);
  dlcc_status_t (*launch)(dlcc_plugin_backend_t *backend, uint32_t kernel,
                          const uint32_t grid[3], const uint32_t block[3],
                          uint32_t shared_mem_bytes, void **params);
  dlcc_status_t (*gemm)(dlcc_plugin_backend_t *backend, uint32_t handle,
                        uint64_t a, uint64_t b, uint64_t c);

  dlcc_status_t (*set_stream)(dlcc_plugin_backend_t *backend,
                              uint32_t stream);
  dlcc_status_t (*record_event)(dlcc_plugin_backend_t *backend,
                                uint32_t event, uint32_t stream);
  dlcc_status_t (*wait_event)(dlcc_plugin_backend_t *backend, uint32_t event,
                              uint32_t stream);
  /* Backend::beginRun / endRun (graph capture and replay). */
  dlcc_status_t (*begin_run)(dlcc_plugin_backend_t *backend,
                             uint32_t entry_point, const uint64_t *buffers,
                             size_t buffer_count, int *replayed);
  dlcc_status_t (*end_run)(dlcc_plugin_backend_t *backend, int issued,
                           int *again);
  dlcc_status_t (*synchronize)(dlcc_plugin_backend_t *backend);

  /* Backend::prepareConv: DLCC_STATUS_OK with *handle, or
   * DLCC_STATUS_UNSUPPORTED with a phrase in why[0..why_size) (not
   * reported; e.g. cuDNN is not installed); other failures are reported. */
  dlcc_status_t (*prepare_conv)(dlcc_plugin_backend_t *backend,
                                const dlcc_plugin_conv_t *conv,
                                uint32_t *handle, char *why, size_t why_size);
  /* Runs the prepared convolution on the current stream on its operands in
   * the artifact's order, the last one written: (X, W, Y), (dY, W, dX) or
   * (X, dY, dW). */
  dlcc_status_t (*conv)(dlcc_plugin_backend_t *backend, uint32_t handle,
                        uint64_t x, uint64_t w, uint64_t y);
} dlcc_backend_plugin_t;

/* The factory: the plugin's table (never NULL), whatever the version the
 * runtime asks for; the runtime compares the table's abi_version. */
typedef const dlcc_backend_plugin_t *(*dlcc_backend_plugin_factory_t)(
    uint32_t runtime_abi_version);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* DLCC_RUNTIME_BACKENDPLUGIN_H */
