//===- DlccAttributeNames.h - every dlcc.* discardable attribute -*- C++ -*-===//
//
// The discardable attributes by which the importer and the back end's passes
// hand entry points, state and kernels to each other, declared once. Each
// names the pass that sets it. The dialect verifies every `dlcc.*` attribute
// (DlccDialect::verifyOperationAttribute and the region argument / result
// hooks): an unknown name or a value of the wrong kind is an error.
//
//===----------------------------------------------------------------------===//
#ifndef DLCC_DIALECT_DLCC_IR_DLCCATTRIBUTENAMES_H
#define DLCC_DIALECT_DLCC_IR_DLCCATTRIBUTENAMES_H

#include "mlir/IR/Operation.h"

#include "llvm/ADT/StringRef.h"

namespace mlir::dlcc {

// --- Entry points (the importer) ---------------------------------------------

/// Argument attribute naming the state slot an entry-point argument reads
/// (a symbol reference to a `dlcc.state_slot` of the same shape).
inline constexpr llvm::StringLiteral kStateAttrName = "dlcc.state";
/// Result attribute naming the state slot an entry-point result updates.
inline constexpr llvm::StringLiteral kTiedStateAttrName = "dlcc.tied_state";
/// Argument attribute naming a data input by its ONNX name.
inline constexpr llvm::StringLiteral kInputAttrName = "dlcc.input";
/// Result attribute naming a program output by its ONNX name.
inline constexpr llvm::StringLiteral kOutputAttrName = "dlcc.output";
/// Module attributes: the model's file name, opsets and producer.
inline constexpr llvm::StringLiteral kSourceAttrName = "dlcc.source";
inline constexpr llvm::StringLiteral kOpsetsAttrName = "dlcc.opsets";
inline constexpr llvm::StringLiteral kProducerAttrName = "dlcc.producer";
/// Unit, on an input or output argument / result whose ONNX type is
/// unsigned (dlcc-convert-to-linalg makes the types signless).
inline constexpr llvm::StringLiteral kUnsignedAttrName = "dlcc.unsigned";
/// Dictionary {min, max[, ignore][, use]}, on an input used as indices: its
/// valid range (dlcc-annotate-index-bounds).
inline constexpr llvm::StringLiteral kIndexBoundsAttrName = "dlcc.index_bounds";

// --- Kernels and the program ---------------------------------------------------

/// Unit, on a kernel function (dlcc-form-dispatches).
inline constexpr llvm::StringLiteral kKernelAttr = "dlcc.kernel";
/// i64 estimates of a kernel's floating-point operations and of the bytes it
/// reads and writes (dlcc-form-dispatches).
inline constexpr llvm::StringLiteral kKernelFlopsAttr = "dlcc.kernel_flops";
inline constexpr llvm::StringLiteral kKernelBytesAttr = "dlcc.kernel_bytes";
/// Unit, on a kernel whose results all have zero elements: nothing to run
/// (dlcc-form-dispatches).
inline constexpr llvm::StringLiteral kNoWorkAttr = "dlcc.no_work";
/// On a kernel replaced by a library call: its typed descriptor,
/// #dlcc.gemm_call or #dlcc.conv_call (dlcc-select-library-calls).
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
/// i64, on an entry point with a backward pass: of the bytes live at its
/// peak (the program point where the most buffer bytes are live), those of
/// values computed before the backward pass (activations kept for it) and
/// those computed by it (gradients and its temporaries) (dlcc-plan-memory).
inline constexpr llvm::StringLiteral kPeakForwardBytesAttr =
    "dlcc.peak_forward_bytes";
inline constexpr llvm::StringLiteral kPeakBackwardBytesAttr =
    "dlcc.peak_backward_bytes";
/// The metadata of the fused location of every op of a backward pass
/// (dlcc-expand-gradients); the kernels and calls formed from them keep it.
inline constexpr llvm::StringLiteral kBackwardLocationMetadata =
    "dlcc.backward";
/// i64, on a `memref.alloc` of an entry point: the buffer is tied result N,
/// written in place into its state slot's own buffer, so it takes no arena
/// space (dlcc-plan-memory).
inline constexpr llvm::StringLiteral kInPlaceResultAttr =
    "dlcc.in_place_result";
/// i64 array, on a kernel function: the argument numbers that an in-place
/// state update passes one buffer for (dlcc-plan-memory); code generation
/// does not declare them `noalias`.
inline constexpr llvm::StringLiteral kInPlaceArgumentsAttr =
    "dlcc.in_place_arguments";
/// i64, on a CPU kernel: its number of linear blocks
/// (dlcc-map-kernels-to-cpu).
inline constexpr llvm::StringLiteral kBlockCountAttr = "dlcc.block_count";

/// Whether `loc` is an op's of a backward pass (kBackwardLocationMetadata).
inline bool isBackwardLocation(Location loc) {
  auto fused = llvm::dyn_cast<FusedLoc>(loc);
  auto metadata =
      fused ? llvm::dyn_cast_if_present<StringAttr>(fused.getMetadata())
            : StringAttr();
  return metadata && metadata.getValue() == kBackwardLocationMetadata;
}

/// Whether the function `op` is a tiled kernel that gets generated code (for
/// the CPU and the GPU): launch sizes, and neither a library call nor a
/// kernel with nothing to compute.
inline bool isGeneratedKernel(Operation *op) {
  return op->hasAttr(kKernelAttr) && op->hasAttr(kGridAttr) &&
         !op->hasAttr(kLibraryCallAttr) && !op->hasAttr(kNoWorkAttr);
}

} // namespace mlir::dlcc

#endif // DLCC_DIALECT_DLCC_IR_DLCCATTRIBUTENAMES_H
