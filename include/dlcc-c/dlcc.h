/*===- dlcc-c/dlcc.h - dlcc runtime C API ---------------------------------===*\
|*                                                                            *|
|* The public C API of the dlcc runtime (library dlcc_runtime). It loads a    *|
|* training program (`train.bin`, see docs/artifact-format.md), verifies it,  *|
|* answers queries about its state slots and entry points, and executes its   *|
|* entry points in sessions (see docs/runtime.md).                            *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/
/*
 * Conventions
 * -----------
 * - Every function returns a dlcc_status_t, except dlcc_status_string() and
 *   dlcc_status_message(), which return strings. Out-parameters come last and
 *   are written only when the call returns DLCC_STATUS_OK.
 * - Handles are opaque. A NULL handle or out-pointer is reported as
 *   DLCC_STATUS_INVALID_ARGUMENT, an index out of range as
 *   DLCC_STATUS_OUT_OF_RANGE; never as a crash.
 * - Option structs are filled with their defaults by *_options_initialize()
 *   before fields are changed, so that fields added later get their defaults.
 *
 * Errors
 * ------
 * A call that fails returns a non-OK status and stores a human-readable
 * message in a thread-local buffer, retrieved with dlcc_status_message() on
 * the same thread. The message stays valid (and unchanged) until the next
 * failing dlcc call on that thread; successful calls do not touch it. Loading
 * has no handle to attach a message to, which is why the message is
 * thread-local rather than per handle.
 *
 * Ownership
 * ---------
 * - dlcc_program_load_file()/_load_memory() return a new program owned by the
 *   caller, released with dlcc_program_release(). load_memory copies the
 *   bytes: the caller's buffer may be freed as soon as the call returns.
 * - Programs are reference counted. The handle a load returns is one
 *   reference; every session holds another (taken by dlcc_session_create(),
 *   dropped by dlcc_session_release()). dlcc_program_release() drops the
 *   handle's reference, whether or not sessions are alive, and the program
 *   (its memory, and every pointer obtained from it) goes when the last of
 *   handle and sessions is released, in any order, on any thread.
 * - The program pointer may be passed to a call (a query, or
 *   dlcc_session_create()) only while the caller knows a reference is held:
 *   before it released the handle, or while a session of the program that
 *   it has not released yet exists. So a thread that releases the handle
 *   while other threads create sessions from the program is safe as long
 *   as each of those threads holds a session (or the handle's release
 *   happens after their creates). Releasing the handle twice is an error:
 *   DLCC_STATUS_INVALID_ARGUMENT while sessions keep the program alive,
 *   undefined (as a double free()) once it is gone.
 * - Every pointer a query returns (names, shapes, initial data, the ONNX
 *   graph) points into memory owned by the program and stays valid as long
 *   as the program exists (see above). The caller never frees it.
 * - dlcc_session_create() returns a new session owned by the caller, released
 *   with dlcc_session_release(). The session keeps its program alive (it
 *   reads the program's tables and, on the CPU, its constants).
 * - Data passed to or returned from a session (inputs, results, state) is
 *   always copied; the session never keeps a caller's pointer.
 *
 * Thread model
 * ------------
 * A loaded program is immutable. Any number of threads may call the query
 * functions on the same program concurrently. dlcc_program_release(),
 * dlcc_session_create() and dlcc_session_release() may run concurrently on
 * the same program (the reference count is atomic); a query or create must
 * hold a reference as described under Ownership. Loading is thread-safe
 * (different threads may load concurrently).
 *
 * A session is used by one thread at a time: calls on the same session must
 * not overlap (the caller serialises them). Different sessions, also of the
 * same program, may be used concurrently from different threads; creating
 * and releasing sessions is thread-safe with respect to other sessions and to
 * queries on the program. Execution itself is parallel inside a session (the
 * runtime's CPU thread pool, see dlcc_session_options_t.cpu_threads). The
 * pool is one per process, shared by all sessions: parallel work of
 * concurrent CPU sessions queues on it and runs one region at a time, each
 * on up to its session's thread count (one-thread sessions run on the
 * calling thread and do not queue).
 *
 * Trust
 * -----
 * An artifact is trusted like an executable: its kernel images are code. The
 * loader checks the container, every hash and every table before anything in
 * it is used, but a well-formed artifact from an untrusted source is as
 * dangerous as any binary from one.
 */
#ifndef DLCC_C_DLCC_H
#define DLCC_C_DLCC_H

#include <stddef.h>
#include <stdint.h>

#if defined(_WIN32)
#if defined(DLCC_RUNTIME_BUILDING)
#define DLCC_API __declspec(dllexport)
#else
#define DLCC_API __declspec(dllimport)
#endif
#else
#define DLCC_API __attribute__((visibility("default")))
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* The newest train.bin container format version this header describes. */
#define DLCC_ARTIFACT_FORMAT_VERSION 2

/*===----------------------------------------------------------------------===*/
/* Status                                                                     */
/*===----------------------------------------------------------------------===*/

typedef enum dlcc_status_t {
  DLCC_STATUS_OK = 0,
  /* A NULL pointer, a bad option value, a handle that cannot be used. */
  DLCC_STATUS_INVALID_ARGUMENT = 1,
  /* An index past the end of a table (state slot, entry point, argument...). */
  DLCC_STATUS_OUT_OF_RANGE = 2,
  /* A lookup by name found nothing. */
  DLCC_STATUS_NOT_FOUND = 3,
  /* The file could not be opened or read. */
  DLCC_STATUS_IO_ERROR = 4,
  /* The artifact failed validation (the message names the field). */
  DLCC_STATUS_INVALID_ARTIFACT = 5,
  /* The artifact's format version is not supported by this runtime. */
  DLCC_STATUS_UNSUPPORTED_VERSION = 6,
  /* Host or device memory ran out: a buffer, or what a library call needs
   * while the session prepares it (oneDNN, cuBLASLt, cuDNN, workspaces). */
  DLCC_STATUS_OUT_OF_MEMORY = 7,
  /* A bug in the runtime; the message says where. */
  DLCC_STATUS_INTERNAL = 8,
  /* The artifact needs a feature this runtime or backend lacks (a library
   * call, a CPU instruction set the host does not have, a device that is not
   * available). */
  DLCC_STATUS_UNSUPPORTED = 9,
} dlcc_status_t;

/* A static name for `status` ("DLCC_STATUS_INVALID_ARTIFACT"); never NULL. */
DLCC_API const char *dlcc_status_string(dlcc_status_t status);

/* The message of the last failing dlcc call on the calling thread, or "" if
 * none failed yet. Valid until the next failing call on this thread. */
DLCC_API const char *dlcc_status_message(void);

/*===----------------------------------------------------------------------===*/
/* Enumerations (values are stable; the artifact may use only these)          */
/*===----------------------------------------------------------------------===*/

typedef enum dlcc_dtype_t {
  DLCC_DTYPE_F16 = 1,
  DLCC_DTYPE_BF16 = 2,
  DLCC_DTYPE_F32 = 3,
  DLCC_DTYPE_F64 = 4,
  DLCC_DTYPE_F8E4M3FN = 5,
  DLCC_DTYPE_F8E5M2 = 6,
  DLCC_DTYPE_I1 = 7, /* one byte per element, 0 or 1 */
  DLCC_DTYPE_I8 = 8,
  DLCC_DTYPE_I16 = 9,
  DLCC_DTYPE_I32 = 10,
  DLCC_DTYPE_I64 = 11,
  DLCC_DTYPE_U8 = 12,
  DLCC_DTYPE_U16 = 13,
  DLCC_DTYPE_U32 = 14,
  DLCC_DTYPE_U64 = 15,
} dlcc_dtype_t;

typedef enum dlcc_state_slot_kind_t {
  DLCC_STATE_SLOT_PARAMETER = 0,
  DLCC_STATE_SLOT_BATCH_NORM_STATISTIC = 1,
  DLCC_STATE_SLOT_OPTIMIZER = 2,
  DLCC_STATE_SLOT_RNG = 3,
  /* A read-only program constant: bound like state, never tied, never
   * updated (dlcc_session_write_state rejects it). */
  DLCC_STATE_SLOT_CONSTANT = 4,
} dlcc_state_slot_kind_t;

typedef enum dlcc_argument_kind_t {
  DLCC_ARGUMENT_INPUT = 0,      /* argument fed by the caller */
  DLCC_ARGUMENT_STATE = 1,      /* argument bound to a state slot */
  DLCC_ARGUMENT_OUTPUT = 2,     /* result returned to the caller */
  DLCC_ARGUMENT_TIED_STATE = 3, /* result: the next value of a state slot */
} dlcc_argument_kind_t;

/* How a state slot's initial value is given in the artifact. */
typedef enum dlcc_initial_value_t {
  DLCC_INITIAL_VALUE_STORED = 0, /* every byte stored */
  DLCC_INITIAL_VALUE_ZEROS = 1,  /* all zeros, nothing stored */
  DLCC_INITIAL_VALUE_SPLAT = 2,  /* one element stored, repeated */
} dlcc_initial_value_t;

/* Where a session executes. */
typedef enum dlcc_device_kind_t {
  /* CUDA when the CUDA backend, a driver and a GPU are available, else CPU.
   * (CUDA is the plugin libdlcc_cuda.so next to the runtime library, or the
   * path in $DLCC_CUDA_PLUGIN; see docs/runtime.md.) */
  DLCC_DEVICE_AUTO = 0,
  DLCC_DEVICE_CPU = 1,
  DLCC_DEVICE_CUDA = 2,
} dlcc_device_kind_t;

/* Program feature flags (dlcc_program_feature_flags). */
#define DLCC_FEATURE_HAS_CUDA_KERNELS (UINT64_C(1) << 0)
#define DLCC_FEATURE_HAS_CPU_KERNELS (UINT64_C(1) << 1)
#define DLCC_FEATURE_USES_CUDNN (UINT64_C(1) << 2)
#define DLCC_FEATURE_USES_CUBLAS (UINT64_C(1) << 3)
#define DLCC_FEATURE_USES_NCCL (UINT64_C(1) << 4)

/* Lower-case names as in the schema ("f32", "batch_norm_statistic",
 * "tied_state"). *out_name is a static string. */
DLCC_API dlcc_status_t dlcc_dtype_name(dlcc_dtype_t dtype,
                                       const char **out_name);
DLCC_API dlcc_status_t dlcc_dtype_size(dlcc_dtype_t dtype, size_t *out_bytes);
DLCC_API dlcc_status_t dlcc_state_slot_kind_name(dlcc_state_slot_kind_t kind,
                                                 const char **out_name);
DLCC_API dlcc_status_t dlcc_argument_kind_name(dlcc_argument_kind_t kind,
                                               const char **out_name);
/* "auto", "cpu", "cuda". */
DLCC_API dlcc_status_t dlcc_device_kind_name(dlcc_device_kind_t kind,
                                             const char **out_name);

/*===----------------------------------------------------------------------===*/
/* Program: load, verify, release                                             */
/*===----------------------------------------------------------------------===*/

typedef struct dlcc_program dlcc_program_t;

typedef struct dlcc_program_options_t {
  /* Reject artifacts larger than this many bytes (0: no limit). Default 0. */
  uint64_t max_artifact_bytes;
  /* Reserved; must be 0. */
  uint64_t flags;
} dlcc_program_options_t;

/* Fills `options` with the defaults. */
DLCC_API dlcc_status_t
dlcc_program_options_initialize(dlcc_program_options_t *options);

/* Reads and verifies the artifact at `path`. `options` may be NULL (defaults).
 * On success *out_program is a new program owned by the caller. The whole
 * file is read into memory (64-byte aligned) and verified before use. Only
 * a regular file (symbolic links followed) is read: a FIFO, a directory or a
 * device fails at once with DLCC_STATUS_IO_ERROR ("PATH: not a regular file
 * (a FIFO)"), never waiting for a writer. */
DLCC_API dlcc_status_t
dlcc_program_load_file(const char *path, const dlcc_program_options_t *options,
                       dlcc_program_t **out_program);

/* Same from memory; the `size` bytes at `data` are copied. */
DLCC_API dlcc_status_t dlcc_program_load_memory(
    const void *data, size_t size, const dlcc_program_options_t *options,
    dlcc_program_t **out_program);

/* Releases the caller's handle (its reference to the program); NULL is
 * accepted and ignored. The program, and every pointer obtained from it,
 * goes at once if no session of it is alive, else when the last one is
 * released (see Ownership). A second release of the same handle while
 * sessions keep the program alive fails with DLCC_STATUS_INVALID_ARGUMENT. */
DLCC_API dlcc_status_t dlcc_program_release(dlcc_program_t *program);

/*===----------------------------------------------------------------------===*/
/* Program-wide queries                                                       */
/*===----------------------------------------------------------------------===*/

DLCC_API dlcc_status_t dlcc_program_format_version(
    const dlcc_program_t *program, uint32_t *out_version);
/* The producer string ("" when absent). */
DLCC_API dlcc_status_t dlcc_program_producer(const dlcc_program_t *program,
                                             const char **out_producer);
/* DLCC_FEATURE_* bits. */
DLCC_API dlcc_status_t dlcc_program_feature_flags(const dlcc_program_t *program,
                                                  uint64_t *out_flags);
/* The CPU baseline the CPU kernels were compiled for ("" when absent). */
DLCC_API dlcc_status_t dlcc_program_cpu_baseline(const dlcc_program_t *program,
                                                 const char **out_baseline);
/* The original ONNX ModelProto without weights; *out_data is NULL and
 * *out_size 0 when the artifact carries none. */
DLCC_API dlcc_status_t dlcc_program_onnx_graph(const dlcc_program_t *program,
                                               const void **out_data,
                                               size_t *out_size);

/*===----------------------------------------------------------------------===*/
/* State slots                                                                */
/*===----------------------------------------------------------------------===*/

DLCC_API dlcc_status_t
dlcc_program_state_slot_count(const dlcc_program_t *program, size_t *out_count);
/* DLCC_STATUS_NOT_FOUND when no slot has this name. */
DLCC_API dlcc_status_t dlcc_program_find_state_slot(
    const dlcc_program_t *program, const char *name, size_t *out_index);
DLCC_API dlcc_status_t dlcc_program_state_slot_name(
    const dlcc_program_t *program, size_t index, const char **out_name);
DLCC_API dlcc_status_t
dlcc_program_state_slot_kind(const dlcc_program_t *program, size_t index,
                             dlcc_state_slot_kind_t *out_kind);
DLCC_API dlcc_status_t dlcc_program_state_slot_dtype(
    const dlcc_program_t *program, size_t index, dlcc_dtype_t *out_dtype);
/* *out_dims points to *out_rank dimensions (row-major; rank 0: a scalar, and
 * *out_dims may be NULL). */
DLCC_API dlcc_status_t
dlcc_program_state_slot_shape(const dlcc_program_t *program, size_t index,
                              size_t *out_rank, const int64_t **out_dims);
/* The slot's initial value: *out_size == dtype size * product(shape) bytes,
 * little-endian, row-major, 64-byte aligned in memory (NULL when the size is
 * 0). For a zero-initialised slot (below) the bytes are zeros the runtime
 * maps read-only (address space, no memory); for a splat slot the program
 * allocates and fills them on the first call (kept until the program is
 * destroyed); DLCC_STATUS_OUT_OF_MEMORY when either cannot be had. */
DLCC_API dlcc_status_t dlcc_program_state_slot_initial_data(
    const dlcc_program_t *program, size_t index, const void **out_data,
    size_t *out_size);
/* *out_zero_initialized is 1 when the slot is zero-initialised (its initial
 * value is all zeros and the artifact stores no bytes for it: optimizer
 * moments, RNG counters, all-zero parameters), 0 when its initial value is
 * stored in the artifact. */
DLCC_API dlcc_status_t dlcc_program_state_slot_zero_initialized(
    const dlcc_program_t *program, size_t index, int *out_zero_initialized);
/* How the slot's initial value is stored (stored, zeros, or one element
 * repeated), without materialising it. */
DLCC_API dlcc_status_t dlcc_program_state_slot_initial_value(
    const dlcc_program_t *program, size_t index, dlcc_initial_value_t *out);

/*===----------------------------------------------------------------------===*/
/* Entry points                                                               */
/*===----------------------------------------------------------------------===*/

/* One argument or result of an entry point. The pointers are owned by the
 * program. */
typedef struct dlcc_argument_descriptor_t {
  const char *name;
  dlcc_argument_kind_t kind;
  /* state / tied_state: index of the state slot; otherwise -1. */
  int64_t state_slot;
  dlcc_dtype_t dtype;
  size_t rank;
  const int64_t *dims; /* rank entries; may be NULL when rank is 0 */
  uint64_t byte_size;  /* dtype size * product(dims) */
} dlcc_argument_descriptor_t;

DLCC_API dlcc_status_t dlcc_program_entry_point_count(
    const dlcc_program_t *program, size_t *out_count);
/* DLCC_STATUS_NOT_FOUND when no entry point has this name. */
DLCC_API dlcc_status_t dlcc_program_find_entry_point(
    const dlcc_program_t *program, const char *name, size_t *out_index);
DLCC_API dlcc_status_t dlcc_program_entry_point_name(
    const dlcc_program_t *program, size_t entry_point, const char **out_name);
DLCC_API dlcc_status_t dlcc_program_entry_point_argument_count(
    const dlcc_program_t *program, size_t entry_point, size_t *out_count);
DLCC_API dlcc_status_t dlcc_program_entry_point_argument(
    const dlcc_program_t *program, size_t entry_point, size_t index,
    dlcc_argument_descriptor_t *out_descriptor);
DLCC_API dlcc_status_t dlcc_program_entry_point_result_count(
    const dlcc_program_t *program, size_t entry_point, size_t *out_count);
DLCC_API dlcc_status_t dlcc_program_entry_point_result(
    const dlcc_program_t *program, size_t entry_point, size_t index,
    dlcc_argument_descriptor_t *out_descriptor);
/* Bytes of scratch the entry point's command stream needs. */
DLCC_API dlcc_status_t dlcc_program_entry_point_arena_bytes(
    const dlcc_program_t *program, size_t entry_point, uint64_t *out_bytes);
/* Number of commands in the entry point's command stream. */
DLCC_API dlcc_status_t dlcc_program_entry_point_command_count(
    const dlcc_program_t *program, size_t entry_point, size_t *out_count);

/*===----------------------------------------------------------------------===*/
/* Kernels                                                                    */
/*===----------------------------------------------------------------------===*/

DLCC_API dlcc_status_t dlcc_program_kernel_count(const dlcc_program_t *program,
                                                 size_t *out_count);
DLCC_API dlcc_status_t dlcc_program_kernel_name(const dlcc_program_t *program,
                                                size_t index,
                                                const char **out_name);

/* A kernel's code in one image, with the resources it was compiled for (the
 * ptxas report for cubins; 0 where not known, e.g. for CPU images). The
 * symbol is owned by the program. */
typedef struct dlcc_kernel_variant_t {
  size_t image; /* index for dlcc_program_kernel_image */
  const char *symbol;
  uint32_t registers;
  uint32_t shared_mem_bytes;
  uint32_t max_threads_per_block;
} dlcc_kernel_variant_t;

/* Number of variants of kernel `kernel` (at most one per image target). */
DLCC_API dlcc_status_t dlcc_program_kernel_variant_count(
    const dlcc_program_t *program, size_t kernel, size_t *out_count);
DLCC_API dlcc_status_t dlcc_program_kernel_variant(
    const dlcc_program_t *program, size_t kernel, size_t index,
    dlcc_kernel_variant_t *out_variant);
/* Number of kernel images (code objects: cubin, PTX, CPU shared object). */
DLCC_API dlcc_status_t dlcc_program_kernel_image_count(
    const dlcc_program_t *program, size_t *out_count);
/* The image's target ("sm_80", "sm_90", "ptx", "x86_64-cpu") and bytes. */
DLCC_API dlcc_status_t dlcc_program_kernel_image(const dlcc_program_t *program,
                                                 size_t index,
                                                 const char **out_target,
                                                 const void **out_data,
                                                 size_t *out_size);

/*===----------------------------------------------------------------------===*/
/* Sessions: execution                                                        */
/*===----------------------------------------------------------------------===*/
/*
 * A session executes a program's entry points on one device. It owns the
 * current value of every state slot (one buffer per slot, initialised from
 * the program's initial data or zero-filled), one buffer per input argument
 * and per output result of every entry point, and a scratch arena.
 *
 * Entry points are pure functions: arguments of kind `input` are fed with
 * dlcc_session_set_input(), arguments of kind `state` are bound to the slot's
 * current value. State is updated in place: a `tied_state` result is bound
 * to the slot's own buffer (the state argument's buffer is donated to the
 * result, as XLA's input/output aliasing and IREE's tied operands), and the
 * program writes the next value there after its last read of the old one.
 * So state costs its size once, not twice. `output` results are read with
 * dlcc_session_get_result().
 *
 * State after a failed run (dlcc_session_run):
 * - A failure detected before any command runs leaves every slot as it was:
 *   a NULL handle, an entry point index out of range, an input never set.
 *   (Calls that fail before a run, such as dlcc_session_set_input with a
 *   wrong size or an index outside its bounds, never touch state either.)
 * - A failure while the commands run (a kernel, library or device error)
 *   may leave the slots the entry point updates partly updated: some hold
 *   the next value, some the old one, some a mix. Restore them with
 *   dlcc_session_write_state() or dlcc_session_reset_state() (a caller that
 *   needs to roll back keeps its own copy, dlcc_session_read_state()).
 * In both cases the entry point has no results until its next successful
 * run.
 *
 * Indices are those of the program queries (entry point, argument, result,
 * state slot); sizes are byte sizes and must equal the descriptor's
 * byte_size / the slot's data size exactly.
 */

typedef struct dlcc_session dlcc_session_t;

typedef struct dlcc_session_options_t {
  /* Default DLCC_DEVICE_AUTO. */
  dlcc_device_kind_t device;
  /* Threads of the CPU thread pool this session's parallel work runs on
   * (the OpenMP team of the thread that runs the session: this is the team
   * size of each of its parallel regions); 0 (the default): the environment
   * variable DLCC_NUM_THREADS if set, else the number of CPUs this process may
   * run on. At most 1024. */
  uint32_t cpu_threads;
  /* CUDA device ordinal (DLCC_DEVICE_CUDA / AUTO); default 0, must be >= 0. */
  int32_t cuda_device;
  /* Reserved; must be 0. */
  uint64_t flags;
} dlcc_session_options_t;

/* Fills `options` with the defaults. */
DLCC_API dlcc_status_t
dlcc_session_options_initialize(dlcc_session_options_t *options);

/* Creates a session of `program`, holding a reference to it (the program
 * lives at least as long as the session). `options` may be
 * NULL (defaults). Picks the device, checks that it can run every entry point
 * (DLCC_STATUS_UNSUPPORTED otherwise: a library call, a CPU baseline the host
 * lacks, no CPU kernel image, CUDA not available), loads the kernel code,
 * allocates the arena and the argument/result buffers and copies every state
 * slot's initial value (zero-fills zero-initialised slots). On success *out_session is owned by the caller. */
DLCC_API dlcc_status_t dlcc_session_create(
    const dlcc_program_t *program, const dlcc_session_options_t *options,
    dlcc_session_t **out_session);

/* Releases a session (unloading its kernel code); NULL is accepted. */
DLCC_API dlcc_status_t dlcc_session_release(dlcc_session_t *session);

/* The device the session runs on (DLCC_DEVICE_CPU or DLCC_DEVICE_CUDA, never
 * AUTO). */
DLCC_API dlcc_status_t dlcc_session_device(const dlcc_session_t *session,
                                           dlcc_device_kind_t *out_device);

/* Threads of the session's CPU thread pool (0 for a non-CPU session). */
DLCC_API dlcc_status_t dlcc_session_cpu_threads(const dlcc_session_t *session,
                                                uint32_t *out_threads);

/* Copies `size` bytes (== the argument's byte_size; row-major,
 * little-endian) into input argument `argument_index` of `entry_point`. The
 * argument must be of kind input. The value stays set for later runs until
 * set again. `data` may be NULL only when `size` is 0. */
DLCC_API dlcc_status_t dlcc_session_set_input(dlcc_session_t *session,
                                              size_t entry_point,
                                              size_t argument_index,
                                              const void *data, size_t size);

/* Runs `entry_point` to completion. Fails with DLCC_STATUS_INVALID_ARGUMENT,
 * before running anything (state untouched), when an input argument was
 * never set. On success the tied state results are the slots' values and
 * the outputs can be read. A failure while the commands run may leave the
 * updated slots partly updated (see "State after a failed run" above); the
 * entry point then has no results until its next successful run. */
DLCC_API dlcc_status_t dlcc_session_run(dlcc_session_t *session,
                                        size_t entry_point);

/* Copies result `result_index` of the last successful run of `entry_point`
 * into `dst` (`size` == its byte_size). For a tied_state result this is the
 * slot's current value (as dlcc_session_read_state). Fails with
 * DLCC_STATUS_INVALID_ARGUMENT when the entry point has not run successfully
 * since the session was created or since its last failed run. */
DLCC_API dlcc_status_t dlcc_session_get_result(dlcc_session_t *session,
                                               size_t entry_point,
                                               size_t result_index, void *dst,
                                               size_t size);

/* Copies the current value of state slot `slot` into `dst` (`size` == the
 * slot's data size). */
DLCC_API dlcc_status_t dlcc_session_read_state(dlcc_session_t *session,
                                               size_t slot, void *dst,
                                               size_t size);

/* Replaces the current value of state slot `slot` with `size` bytes from
 * `src` (== the slot's data size). Constant slots are read-only:
 * DLCC_STATUS_INVALID_ARGUMENT. */
DLCC_API dlcc_status_t dlcc_session_write_state(dlcc_session_t *session,
                                                size_t slot, const void *src,
                                                size_t size);

/* Resets every state slot to the program's initial value. */
DLCC_API dlcc_status_t dlcc_session_reset_state(dlcc_session_t *session);

/* Bytes of device memory the session holds for state: one buffer per state
 * slot, of the slot's size (constant slots that a CPU session binds to the
 * program's own copy count 0). Updated state is not double buffered, so
 * this is the sum of the slots' sizes, not twice. */
DLCC_API dlcc_status_t dlcc_session_state_bytes(const dlcc_session_t *session,
                                                uint64_t *out_bytes);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* DLCC_C_DLCC_H */
