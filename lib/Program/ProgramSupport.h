//===- ProgramSupport.h - shared pieces of the program builder --*- C++ -*-===//
#ifndef DLCC_LIB_TARGET_PROGRAM_PROGRAMSUPPORT_H
#define DLCC_LIB_TARGET_PROGRAM_PROGRAMSUPPORT_H

#include "dlcc/Dialect/Dlcc/IR/DlccAttributeNames.h"
#include "dlcc/Target/Artifact/ArtifactWriter.h"
#include "dlcc/Program/BuildProgram.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinAttributeInterfaces.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/BuiltinTypes.h"

#include "llvm/ADT/StringMap.h"

#include <optional>

namespace dlcc {

using mlir::dlcc::kArenaBytesAttr;
using mlir::dlcc::kArenaOffsetAttr;
using mlir::dlcc::kBlockAttr;
using mlir::dlcc::kGridAttr;
using mlir::dlcc::kInPlaceResultAttr;
using mlir::dlcc::kKernelAttr;
using mlir::dlcc::kKernelBytesAttr;
using mlir::dlcc::kKernelFlopsAttr;
using mlir::dlcc::kLibraryCallAttr;
using mlir::dlcc::kNoWorkAttr;
using mlir::dlcc::kScheduleAttr;
using mlir::dlcc::kUnplannedPeakBytesAttr;

/// The name of a library call's kind: gemm, conv_forward,
/// conv_backward_data, conv_backward_filter (the report's schedule column).
std::string libraryCallName(mlir::Attribute call);

/// The artifact's element type for an MLIR element type.
std::optional<artifact::DType> toArtifactDType(mlir::Type type);

/// Bytes of a statically shaped tensor or memref type (nullopt if the
/// element type has no artifact dtype or the shape is dynamic).
std::optional<uint64_t> byteSizeOf(mlir::ShapedType type);

/// The row-major little-endian bytes of an elements attribute (splats
/// expanded, i1 as one byte per element); nullopt for unsupported kinds.
/// Fails without allocating (nullopt, `*overBudget` set) when they would
/// exceed `maxBytes`.
std::optional<std::vector<uint8_t>>
elementsBytes(mlir::ElementsAttr attr, uint64_t maxBytes = UINT64_MAX,
              bool *overBudget = nullptr);

/// What is left of a budget of `maxBytes` after `used`.
inline uint64_t budgetLeft(uint64_t maxBytes, uint64_t used) {
  return used < maxBytes ? maxBytes - used : 0;
}

/// The error for initial values or constants beyond the budget.
mlir::InFlightDiagnostic constantBudgetError(mlir::Operation *op,
                                             uint64_t maxBytes);

/// Whether every byte of an elements attribute is zero: a splat of +0 / 0 /
/// false, or a resource blob of zero bytes (checked without expanding). Such
/// values become zero-initialised state slots (nothing stored).
bool isAllZeroBytes(mlir::ElementsAttr attr);

/// What dlcc-plan-memory recorded on the entry point `func`: its arena
/// size and the peak's forward/backward split into `entry`, its unplanned
/// peak added to `report`.
void reportPlannedMemory(mlir::func::FuncOp func, EntryPointReport &entry,
                         ProgramReport &report);

/// Adds a state slot of `type` holding `value` (null: zeros) to `builder`:
/// zero-initialised when every byte is zero (nothing stored), a splat (one
/// element stored) when every element is the same, else stored in full,
/// within what is left of the budget (`report.storedBytes` counts the
/// stored bytes, `report.stateBytes` the slot's size). Errors at `op`.
mlir::FailureOr<uint32_t>
addValueSlot(mlir::Operation *op, artifact::ArtifactBuilder &builder,
             std::string name, artifact::StateSlotKind kind,
             mlir::ShapedType type, mlir::ElementsAttr value,
             uint64_t maxConstantBytes, ProgramReport &report);

/// A kernel of the artifact's kernel table.
struct KernelTableEntry {
  uint32_t index = 0;
  int64_t grid = 0;
  int64_t block = 0;
};

/// Turns every entry point (public function with a body, not a kernel) of a
/// planned module into an EntryPointDesc of `builder`: arguments and results
/// from the `dlcc.input` / `dlcc.state` / `dlcc.output` / `dlcc.tied_state`
/// attributes, tensor constants as `constant` state slots, buffers placed by
/// `dlcc.arena_offset`, and one command per kernel call or copy.
mlir::LogicalResult
exportEntryPoints(mlir::ModuleOp module, artifact::ArtifactBuilder &builder,
                  const llvm::StringMap<uint32_t> &slotIndex,
                  const llvm::StringMap<KernelTableEntry> &kernels,
                  uint64_t maxConstantBytes, ProgramReport &report);

} // namespace dlcc

#endif // DLCC_LIB_TARGET_PROGRAM_PROGRAMSUPPORT_H
