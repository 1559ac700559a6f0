//===- KernelAttributes.h - attributes that carry kernels between passes -*- C++ -*-===//
//
// The discardable attributes by which the back end's passes hand kernels and
// entry points to each other, declared once. Each names the pass that sets
// it; later passes read it.
//
//===----------------------------------------------------------------------===//
#ifndef DLCC_CODEGEN_KERNELATTRIBUTES_H
#define DLCC_CODEGEN_KERNELATTRIBUTES_H

#include "llvm/ADT/StringRef.h"

namespace mlir::dlcc {

/// Unit, on a kernel function (dlcc-form-dispatches).
inline constexpr llvm::StringLiteral kKernelAttr = "dlcc.kernel";
/// i64 estimates of a kernel's floating-point operations and of the bytes it
/// reads and writes (dlcc-form-dispatches).
inline constexpr llvm::StringLiteral kKernelFlopsAttr = "dlcc.kernel_flops";
inline constexpr llvm::StringLiteral kKernelBytesAttr = "dlcc.kernel_bytes";
/// Unit, on a kernel whose results all have zero elements: nothing to run
/// (dlcc-form-dispatches).
inline constexpr llvm::StringLiteral kNoWorkAttr = "dlcc.no_work";
/// On a kernel replaced by a library call: its descriptor
/// (dlcc-select-library-calls).
inline constexpr llvm::StringLiteral kLibraryCallAttr = "dlcc.library_call";
/// i64 launch sizes and the schedule's name of a tiled kernel
/// (dlcc-tile-kernels).
inline constexpr llvm::StringLiteral kGridAttr = "dlcc.grid";
inline constexpr llvm::StringLiteral kBlockAttr = "dlcc.block";
inline constexpr llvm::StringLiteral kScheduleAttr = "dlcc.schedule";
/// i64, on a buffer allocation of an entry point: its offset in the arena;
/// on the entry point: the arena's size and the peak without the plan
/// (dlcc-plan-memory).
inline constexpr llvm::StringLiteral kArenaOffsetAttr = "dlcc.arena_offset";
inline constexpr llvm::StringLiteral kArenaBytesAttr = "dlcc.arena_bytes";
inline constexpr llvm::StringLiteral kUnplannedPeakBytesAttr =
    "dlcc.unplanned_peak_bytes";
/// i64, on a CPU kernel: its number of linear blocks
/// (dlcc-map-kernels-to-cpu).
inline constexpr llvm::StringLiteral kBlockCountAttr = "dlcc.block_count";

} // namespace mlir::dlcc

#endif // DLCC_CODEGEN_KERNELATTRIBUTES_H
