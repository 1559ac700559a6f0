//===- SharedObject.h - CPU kernels to one shared object --------*- C++ -*-===//
//
// The last step of the CPU mapping: the LLVM-dialect kernels of the nested
// module `@dlcc_cpu_kernels` (the back-end pipeline's cpu-llvm phase) become
// LLVM IR, get one packed entry per kernel,
// are optimised at -O3 for a baseline x86-64 level, compiled to an object and
// linked into a shared object that needs only libc and libm.
//
//===----------------------------------------------------------------------===//
#ifndef DLCC_TARGET_CPU_SHAREDOBJECT_H
#define DLCC_TARGET_CPU_SHAREDOBJECT_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LLVM.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mlir::dlcc {

struct CpuSharedObjectOptions {
  /// Target CPU ("x86-64", "x86-64-v2", "x86-64-v3", "x86-64-v4").
  std::string cpu = "x86-64-v3";
  /// Linker executable; empty: ld.lld of the LLVM installation, else `cc`.
  std::string linker;
};

/// The symbol of kernel `kernel`'s packed entry:
///   void <kernel>_packed(int64_t block_begin, int64_t block_end,
///                        void **params)
/// where params[i] points to the value of the kernel's i-th parameter (for a
/// buffer, to the pointer), the convention of cuLaunchKernel's kernelParams.
std::string packedKernelSymbol(StringRef kernel);

/// A kernel to export, and the numbers of its buffer parameters that may
/// share one buffer (an in-place state update); every other buffer is
/// declared `noalias`.
struct CpuKernelExport {
  std::string name;
  std::vector<int64_t> aliasedBuffers;
};

/// Compiles `module` (LLVM dialect, every kernel an `llvm.func
/// @k(i64 block_begin, i64 block_end, params...)`) into the bytes of an ELF
/// shared object exporting `k` and `packedKernelSymbol(k)` for each kernel
/// in `kernels`. Failures are emitted as errors at the module's location.
FailureOr<std::vector<uint8_t>>
buildCpuSharedObject(ModuleOp module, ArrayRef<CpuKernelExport> kernels,
                     const CpuSharedObjectOptions &options);

} // namespace mlir::dlcc

#endif // DLCC_TARGET_CPU_SHAREDOBJECT_H
