//===- FormDispatches.cpp - the dlcc-form-dispatches pass -----------------===//
//
// Outlines every kernel of the entry points into its own private function
// (one root op per kernel, see Passes.td) so that the later stages can
// bufferize each kernel at its function boundary, plan the inter-kernel
// tensors in one arena and map each kernel to the GPU and the CPU.
//
//===----------------------------------------------------------------------===//
#include "dlcc/Codegen/Passes.h"
#include "dlcc/Dialect/Dlcc/IR/DlccAttributeNames.h"
#include "dlcc/Codegen/RowKernels.h"
#include "dlcc/Codegen/SliceLayout.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/DestinationStyleOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Transforms/RegionUtils.h"

#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SetVector.h"

namespace mlir::dlcc {
#define GEN_PASS_DEF_FORMDISPATCHESPASS
#include "dlcc/Codegen/Passes.h.inc"

namespace {


/// Product of `shape`, a dynamic extent counting as 1.
int64_t staticProduct(ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    if (!ShapedType::isDynamic(d))
      n *= d;
  return n;
}

/// Storage bytes of one element (sub-byte types round up to a byte).
int64_t elementBytes(Type type) {
  if (auto complex = llvm::dyn_cast<ComplexType>(type))
    return 2 * elementBytes(complex.getElementType());
  if (type.isIndex())
    return 8;
  if (type.isIntOrFloat())
    return (type.getIntOrFloatBitWidth() + 7) / 8;
  return 0;
}

/// Bytes of a tensor value's type; 0 for anything else (scalars).
int64_t tensorBytes(Type type) {
  auto shaped = llvm::dyn_cast<RankedTensorType>(type);
  if (!shaped)
    return 0;
  return staticProduct(shaped.getShape()) *
         elementBytes(shaped.getElementType());
}

/// Whether a slice is one contiguous range of its source: then it is a
/// view, else a gather that needs a kernel (SliceLayout.h).
bool isContiguousSlice(tensor::ExtractSliceOp slice) {
  return contiguousSliceElementOffset(
             slice.getSourceType().getShape(), slice.getStaticOffsets(),
             slice.getStaticSizes(), slice.getStaticStrides())
      .has_value();
}

/// True for the ops that become kernels: linalg structured ops (and any other
/// op of the linalg dialect on tensors), tensor.pad, tensor.concat,
/// tensor.insert_slice (a copy into a larger tensor, not a view) and
/// tensor.extract_slice when it is not one contiguous range (a strided
/// gather, not a view).
bool isKernelRoot(Operation *op) {
  if (op->getNumResults() == 0 ||
      !llvm::all_of(op->getResultTypes(), llvm::IsaPred<RankedTensorType>))
    return false;
  if (isa<tensor::PadOp, tensor::ConcatOp, tensor::InsertSliceOp>(op))
    return true;
  if (auto slice = dyn_cast<tensor::ExtractSliceOp>(op))
    return !isContiguousSlice(slice);
  return isa<linalg::LinalgOp>(op) ||
         isa<linalg::LinalgDialect>(op->getDialect());
}

/// Arith and math ops in the regions of `op`, constants excluded: the
/// per-iteration cost of a structured op's payload.
int64_t payloadOpCount(Operation *op) {
  int64_t count = 0;
  for (Region &region : op->getRegions())
    region.walk([&](Operation *inner) {
      if (inner->hasTrait<OpTrait::ConstantLike>())
        return;
      if (isa<arith::ArithDialect, math::MathDialect>(inner->getDialect()))
        ++count;
    });
  return count;
}

/// Estimated flops of one op of a kernel: iteration space times payload ops
/// for structured ops (a multiply-add is 2), 0 for data movement.
int64_t estimateFlops(Operation *op) {
  auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
  if (!linalgOp)
    return 0;
  return staticProduct(linalgOp.getStaticLoopRanges()) * payloadOpCount(op);
}

/// Scalar arith/math ops without regions that are safe to recompute in a
/// kernel (index arithmetic, a padding value computed from a constant).
bool isClonableScalarOp(Operation *op) {
  if (!isa<arith::ArithDialect, math::MathDialect>(op->getDialect()) ||
      op->getNumRegions() != 0 || !isPure(op))
    return false;
  auto isScalar = [](Type t) { return !llvm::isa<ShapedType>(t); };
  return llvm::all_of(op->getOperandTypes(), isScalar) &&
         llvm::all_of(op->getResultTypes(), isScalar);
}

/// One kernel being formed: its ops in program order (an absorbed fill, then
/// the root), the entry-point values it takes as arguments in order of first
/// use, and the entry-point ops recreated inside it in dependence order.
struct KernelPlan {
  SmallVector<Operation *> ops;
  llvm::SetVector<Value> arguments;
  llvm::SetVector<Operation *> clonedProducers;
  /// What the kernel returns: the root's results, then the results of row
  /// kernel members that the entry point reads after the root.
  SmallVector<Value> results;
};

class DispatchFormer {
public:
  DispatchFormer(ModuleOp module, int64_t maxClonedSplatElements)
      : module(module), symbolTable(module),
        maxClonedSplatElements(maxClonedSplatElements) {}

  void formDispatches(func::FuncOp entry);

private:
  /// Whether the entry-point op defining a value a kernel reads is recreated
  /// in the kernel instead of passed in.
  bool isClonedIntoKernel(Operation *producer) const;
  void addValue(KernelPlan &plan, Value value,
                const llvm::DenseSet<Operation *> &groupOps);
  KernelPlan planKernel(ArrayRef<Operation *> ops);
  std::string uniqueKernelName(func::FuncOp entry, int64_t &next);
  func::FuncOp outline(func::FuncOp entry, const KernelPlan &plan,
                       StringRef name, Operation *insertAfter);

  ModuleOp module;
  SymbolTable symbolTable;
  int64_t maxClonedSplatElements;
};

/// A `tensor.empty`, or a view of one (elementwise fusion propagates
/// reshapes onto `outs` inits): no data, only a shape.
bool isUninitializedTensor(Operation *op) {
  while (op) {
    if (isa<tensor::EmptyOp>(op))
      return true;
    if (!isa<tensor::ExpandShapeOp, tensor::CollapseShapeOp, tensor::CastOp,
             tensor::ExtractSliceOp>(op))
      return false;
    op = op->getOperand(0).getDefiningOp();
  }
  return false;
}

bool DispatchFormer::isClonedIntoKernel(Operation *producer) const {
  if (isUninitializedTensor(producer))
    return true;
  if (producer->hasTrait<OpTrait::ConstantLike>() &&
      producer->getNumResults() == 1) {
    auto shaped = llvm::dyn_cast<ShapedType>(producer->getResult(0).getType());
    if (!shaped)
      return true; // Scalar constant.
    Attribute value;
    if (!matchPattern(producer->getResult(0), m_Constant(&value)))
      return false;
    auto elements = llvm::dyn_cast<DenseElementsAttr>(value);
    return elements && elements.isSplat() && shaped.hasStaticShape() &&
           shaped.getNumElements() <= maxClonedSplatElements;
  }
  // A scalar read stays next to its use: no kernel input is a scalar that
  // the host would have to read back from device memory.
  if (isa<tensor::ExtractOp>(producer))
    return true;
  return isClonableScalarOp(producer);
}

void DispatchFormer::addValue(KernelPlan &plan, Value value,
                              const llvm::DenseSet<Operation *> &groupOps) {
  Operation *producer = value.getDefiningOp();
  if (producer && groupOps.contains(producer))
    return;
  if (plan.arguments.contains(value) ||
      (producer && plan.clonedProducers.contains(producer)))
    return;
  if (!producer || !isClonedIntoKernel(producer)) {
    plan.arguments.insert(value);
    return;
  }
  // Post-order: the producer's own inputs first, so the clones are in
  // dependence order.
  for (Value operand : producer->getOperands())
    addValue(plan, operand, groupOps);
  plan.clonedProducers.insert(producer);
}

KernelPlan DispatchFormer::planKernel(ArrayRef<Operation *> ops) {
  KernelPlan plan;
  plan.ops.assign(ops.begin(), ops.end());
  llvm::append_range(plan.results, ops.back()->getResults());
  llvm::DenseSet<Operation *> groupOps(ops.begin(), ops.end());
  for (Operation *op : ops) {
    for (Value operand : op->getOperands())
      addValue(plan, operand, groupOps);
    llvm::SetVector<Value> captured;
    getUsedValuesDefinedAbove(op->getRegions(), captured);
    for (Value value : captured)
      addValue(plan, value, groupOps);
  }
  return plan;
}

std::string DispatchFormer::uniqueKernelName(func::FuncOp entry,
                                             int64_t &next) {
  while (true) {
    std::string name =
        (entry.getSymName() + "_kernel_" + llvm::Twine(next++)).str();
    if (!symbolTable.lookup(name))
      return name;
  }
}

func::FuncOp DispatchFormer::outline(func::FuncOp entry, const KernelPlan &plan,
                                     StringRef name, Operation *insertAfter) {
  Operation *root = plan.ops.back();
  MLIRContext *ctx = module.getContext();
  SmallVector<Type> argTypes;
  for (Value v : plan.arguments)
    argTypes.push_back(v.getType());
  SmallVector<Type> resultTypes =
      llvm::map_to_vector(plan.results, [](Value v) { return v.getType(); });
  auto type = FunctionType::get(ctx, argTypes, resultTypes);

  OpBuilder builder(ctx);
  auto kernel = func::FuncOp::create(builder, root->getLoc(), name, type);
  kernel.setPrivate();
  module.getBody()->getOperations().insertAfter(insertAfter->getIterator(),
                                                kernel);
  symbolTable.insert(kernel);

  Block *body = kernel.addEntryBlock();
  IRMapping mapping;
  for (auto [value, arg] :
       llvm::zip_equal(plan.arguments, body->getArguments()))
    mapping.map(value, arg);
  builder.setInsertionPointToStart(body);
  for (Operation *producer : plan.clonedProducers)
    builder.clone(*producer, mapping);
  int64_t flops = 0;
  for (Operation *op : plan.ops) {
    builder.clone(*op, mapping);
    flops += estimateFlops(op);
  }
  SmallVector<Value> results = llvm::map_to_vector(
      plan.results, [&](Value r) { return mapping.lookup(r); });
  func::ReturnOp::create(builder, root->getLoc(), results);

  int64_t bytes = 0;
  for (Type t : type.getInputs())
    bytes += tensorBytes(t);
  for (Type t : type.getResults())
    bytes += tensorBytes(t);
  Builder b(ctx);
  kernel->setAttr(kKernelAttr, b.getUnitAttr());
  kernel->setAttr(kKernelFlopsAttr, b.getI64IntegerAttr(flops));
  kernel->setAttr(kKernelBytesAttr, b.getI64IntegerAttr(bytes));
  return kernel;
}

/// The ops joining a row kernel, and those of them whose values the entry
/// point reads too.
struct RowGroup {
  SmallVector<Operation *> members, exported;
};

/// The row kernel (RowKernels.h) of the all-parallel `last`: row reductions
/// and row scalar ops in its block, read through the row map, for the first
/// rank k (the rank of a per-row value `last` reads) that gives any (see
/// Passes.td for which join and which are exported). A reduction's output
/// must be initialised by a fill absorbed into it (and a scalar op's, if its
/// payload reads it). `taken` ops are members of other groups and
/// `hasMembers` roots of them.

RowGroup rowKernelMembers(
    Operation *last, const llvm::DenseSet<Operation *> &rootSet,
    const llvm::DenseMap<Operation *, SmallVector<Operation *>> &absorbed,
    const llvm::DenseSet<Operation *> &taken,
    function_ref<bool(Operation *)> hasMembers) {
  auto generic = dyn_cast<linalg::GenericOp>(last);
  if (!generic || !generic.hasPureTensorSemantics())
    return {};
  SmallVector<int64_t> ranges = generic.getStaticLoopRanges();
  if (llvm::any_of(ranges, ShapedType::isDynamic))
    return {};
  llvm::SmallSetVector<unsigned, 4> ranks;
  for (OpOperand *input : generic.getDpsInputOperands())
    if (auto type = llvm::dyn_cast<RankedTensorType>(input->get().getType()))
      ranks.insert(type.getRank());
  for (unsigned rank : ranks) {
    // No rows, no blocks: the ops stay separate (and empty) kernels.
    if (rowRole(generic, rank) != RowRole::Last ||
        llvm::is_contained(ArrayRef(ranges).take_front(rank), 0))
      continue;
    // An op that may join: a per-row op over the same rows.
    auto eligible = [&](Operation *op) {
      auto g = dyn_cast_or_null<linalg::GenericOp>(op);
      if (!g || g == generic || !rootSet.contains(g) || taken.contains(g) ||
          hasMembers(g) || g->getBlock() != last->getBlock() ||
          g->getNumResults() != 1 ||
          !llvm::equal(ArrayRef(g.getStaticLoopRanges()).take_front(rank),
                       ArrayRef(ranges).take_front(rank)))
        return false;
      RowRole role = rowRole(g, rank);
      bool readsOut = !g.getBody()->getArguments().back().use_empty();
      bool filled = !absorbed.lookup(g).empty();
      return role == RowRole::Reduction ? filled
                                        : role == RowRole::Scalar &&
                                              (!readsOut || filled);
    };
    // A read of a per-row value inside the group: through the row map.
    auto rowRead = [&](OpOperand &use) {
      auto reader = dyn_cast<linalg::GenericOp>(use.getOwner());
      return reader && reader.isDpsInput(&use) &&
             isRowValueMap(reader.getMatchingIndexingMap(&use), rank);
    };
    auto candidate = [&](OpOperand &use) -> linalg::GenericOp {
      auto producer = use.get().getDefiningOp<linalg::GenericOp>();
      return producer && eligible(producer) && rowRead(use) ? producer
                                                            : nullptr;
    };
    // The per-row ops `last` reads, transitively, and the per-row ops
    // before `last` that read one of them (a statistic computed from
    // another, like an inverse standard deviation from a variance).
    llvm::SetVector<Operation *> members;
    SmallVector<linalg::GenericOp> worklist = {generic};
    while (!worklist.empty()) {
      linalg::GenericOp op = worklist.pop_back_val();
      for (OpOperand *input : op.getDpsInputOperands())
        if (linalg::GenericOp producer = candidate(*input))
          if (members.insert(producer))
            worklist.push_back(producer);
      if (op == generic)
        continue;
      for (OpOperand &use : op->getUses()) {
        auto user = dyn_cast<linalg::GenericOp>(use.getOwner());
        if (user && eligible(user) && user->isBeforeInBlock(last) &&
            rowRead(use) && members.insert(user))
          worklist.push_back(user);
      }
    }
    // A member read outside the group is also a result of the kernel (its
    // value stored, every row's) when every such read comes after `last`,
    // where the kernel is called; a member read before, or read by the
    // group other than through the row map, leaves the group (its value is
    // then a kernel argument), until no more leave.
    auto afterLast = [&](Operation *user) {
      Operation *at = last->getBlock()->findAncestorOpInBlock(*user);
      return at && last->isBeforeInBlock(at);
    };
    bool changed = true;
    while (changed) {
      changed = false;
      for (Operation *member : llvm::to_vector(members)) {
        bool leaves = llvm::any_of(member->getUses(), [&](OpOperand &use) {
          Operation *user = use.getOwner();
          if (user == last || members.contains(user))
            return !candidate(use);
          return !afterLast(user);
        });
        if (leaves) {
          members.remove(member);
          changed = true;
        }
      }
    }
    RowGroup group;
    for (Operation *member : members)
      if (llvm::any_of(member->getUsers(), [&](Operation *user) {
            return user != last && !members.contains(user);
          }))
        group.exported.push_back(member);
    group.members = members.takeVector();
    if (!group.members.empty())
      return group;
  }
  return {};
}

void DispatchFormer::formDispatches(func::FuncOp entry) {
  // Roots in program order; a root's region holds no further roots.
  SmallVector<Operation *> roots;
  entry.getBody().walk<WalkOrder::PreOrder>([&](Operation *op) {
    if (!isKernelRoot(op))
      return WalkResult::advance();
    roots.push_back(op);
    return WalkResult::skip();
  });

  // A fill whose only use is the outs init of a root in the same block goes
  // into that root's kernel.
  llvm::DenseSet<Operation *> rootSet(roots.begin(), roots.end());
  llvm::DenseMap<Operation *, SmallVector<Operation *>> absorbed;
  llvm::DenseSet<Operation *> absorbedFills;
  for (Operation *root : roots) {
    auto dps = dyn_cast<DestinationStyleOpInterface>(root);
    if (!dps)
      continue;
    for (OpOperand &init : dps.getDpsInitsMutable()) {
      auto fill = init.get().getDefiningOp<linalg::FillOp>();
      if (!fill || !rootSet.contains(fill) || !fill->hasOneUse() ||
          fill->getBlock() != root->getBlock() || absorbedFills.contains(fill))
        continue;
      absorbed[root].push_back(fill);
      absorbedFills.insert(fill);
    }
  }

  // Row kernels: the per-row ops each all-parallel root reads join its
  // kernel (RowGroup).
  llvm::DenseMap<Operation *, RowGroup> rowMembers;
  llvm::DenseSet<Operation *> inRowKernel;
  for (Operation *root : roots) {
    // A root that already has members (a row kernel of lower rank, say a
    // per-channel normalisation read by a later op) stays one.
    RowGroup group = rowKernelMembers(
        root, rootSet, absorbed, inRowKernel,
        [&](Operation *op) { return rowMembers.contains(op); });
    if (group.members.empty())
      continue;
    inRowKernel.insert(group.members.begin(), group.members.end());
    rowMembers[root] = std::move(group);
  }

  int64_t nextIndex = 0;
  Operation *insertAfter = entry;
  for (Operation *root : roots) {
    if (absorbedFills.contains(root) || inRowKernel.contains(root))
      continue;
    SmallVector<Operation *> ops = absorbed.lookup(root);
    RowGroup group = rowMembers.lookup(root);
    for (Operation *member : group.members) {
      ops.push_back(member);
      llvm::append_range(ops, absorbed.lookup(member));
    }
    llvm::sort(
        ops, [](Operation *a, Operation *b) { return a->isBeforeInBlock(b); });
    ops.push_back(root);
    KernelPlan plan = planKernel(ops);
    for (Operation *member : group.exported)
      plan.results.push_back(member->getResult(0));

    std::string name = uniqueKernelName(entry, nextIndex);
    func::FuncOp kernel = outline(entry, plan, name, insertAfter);
    insertAfter = kernel;

    OpBuilder builder(root);
    auto call = func::CallOp::create(builder, root->getLoc(), kernel,
                                     plan.arguments.getArrayRef());
    for (auto [value, result] : llvm::zip_equal(plan.results, call.getResults()))
      value.replaceAllUsesWith(result);
    for (Operation *op : llvm::reverse(plan.ops))
      op->erase();
    // Entry-point producers now recreated in the kernel go if unused.
    for (Operation *producer : llvm::reverse(plan.clonedProducers))
      if (producer->use_empty())
        producer->erase();
  }
}

struct FormDispatchesPass : impl::FormDispatchesPassBase<FormDispatchesPass> {
  using FormDispatchesPassBase::FormDispatchesPassBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<func::FuncOp> entries;
    for (auto func : module.getOps<func::FuncOp>())
      if (func.isPublic() && !func.isDeclaration() &&
          !func->hasAttr(kKernelAttr))
        entries.push_back(func);
    DispatchFormer former(module, maxClonedSplatElements);
    for (func::FuncOp entry : entries)
      former.formDispatches(entry);
    // A kernel that produces only empty tensors has nothing to compute; it
    // is neither compiled nor launched.
    for (auto func : module.getOps<func::FuncOp>())
      if (func->hasAttr(kKernelAttr) && func.getNumResults() > 0 &&
          llvm::all_of(func.getResultTypes(), [](Type t) {
            auto shaped = dyn_cast<ShapedType>(t);
            return shaped && shaped.hasStaticShape() &&
                   shaped.getNumElements() == 0;
          }))
        func->setAttr(kNoWorkAttr, UnitAttr::get(module.getContext()));
  }
};

} // namespace

} // namespace mlir::dlcc
