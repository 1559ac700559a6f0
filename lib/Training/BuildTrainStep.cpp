//===- BuildTrainStep.cpp - the dlcc-build-train-step pass ----------------===//
//
// train_step = forward + loss + dlcc.gradient + optimizer update (see
// Passes.td). The gradient stays a request here; dlcc-expand-gradients
// builds it.
//
//===----------------------------------------------------------------------===//
#include "Optimizers.h"
#include "TrainingBuilders.h"
#include "dlcc/Training/Passes.h"

#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/SymbolTable.h"

#include "llvm/ADT/DenseSet.h"
#include "llvm/Support/Regex.h"

#include <cstring>

namespace mlir::dlcc {
#define GEN_PASS_DEF_BUILDTRAINSTEPPASS
#include "dlcc/Training/Passes.h.inc"

namespace {

using training::splat;

/// The model's forward entry point: `forward`, else the only public
/// function with a body.
func::FuncOp forwardEntry(ModuleOp module) {
  if (auto f = module.lookupSymbol<func::FuncOp>("forward"))
    return f;
  func::FuncOp found;
  for (auto f : module.getOps<func::FuncOp>())
    if (f.isPublic() && !f.isDeclaration()) {
      if (found)
        return nullptr;
      found = f;
    }
  return found;
}

struct LossBuilder {
  OpBuilder &b;
  Location loc;
  struct {
    std::string loss, labelsKind;
    int64_t classAxis, ignoreIndex;
    double labelSmoothing;
  } options;

  /// The labels' type for `output`, or failure with a message.
  FailureOr<RankedTensorType> labelsType(func::FuncOp fn, Value output,
                                         int64_t &axis) {
    auto type = dyn_cast<RankedTensorType>(output.getType());
    if (!type || !type.hasStaticShape() ||
        !isa<FloatType>(type.getElementType()))
      return fn.emitError("the loss needs a statically shaped float output, "
                          "got ")
             << output.getType();
    if (options.loss == "mse")
      return type;
    int64_t rank = type.getRank();
    axis = options.classAxis < 0 ? options.classAxis + rank : options.classAxis;
    if (rank == 0 || axis < 0 || axis >= rank)
      return fn.emitError("--class-axis ")
             << options.classAxis << " is not a dimension of the output "
             << type;
    if (options.labelsKind == "probabilities")
      return type;
    SmallVector<int64_t> shape(type.getShape());
    shape.erase(shape.begin() + axis);
    return RankedTensorType::get(shape, b.getI64Type());
  }

  Value meanSquaredError(Value y, Value t) {
    Value d = SubOp::create(b, loc, y, t);
    Value sum = training::sumAll(b, loc, MulOp::create(b, loc, d, d));
    auto type = cast<RankedTensorType>(y.getType());
    return DivOp::create(b, loc, sum,
                         splat(b, loc, cast<RankedTensorType>(sum.getType()),
                               double(type.getNumElements())));
  }

  /// Logits moved to [N, C, D...] (classes second) for dlcc.cross_entropy,
  /// labels to [N, D...].
  std::pair<Value, Value> classesSecond(Value logits, Value labels,
                                        int64_t axis) {
    auto type = cast<RankedTensorType>(logits.getType());
    auto labelType = cast<RankedTensorType>(labels.getType());
    int64_t rank = type.getRank();
    if (axis == rank - 1 && rank != 2) {
      // [..., C] as [P, C]: positions first (a language model's tokens).
      int64_t c = type.getShape().back();
      int64_t positions = type.getNumElements() / std::max<int64_t>(c, 1);
      logits = ReshapeOp::create(
          b, loc, RankedTensorType::get({positions, c}, type.getElementType()),
          logits);
      labels = ReshapeOp::create(
          b, loc,
          RankedTensorType::get({positions}, labelType.getElementType()),
          labels);
      return {logits, labels};
    }
    if (axis != 1) {
      SmallVector<int64_t> perm{0, axis};
      for (int64_t d = 1; d < rank; ++d)
        if (d != axis)
          perm.push_back(d);
      logits = TransposeOp::create(b, loc, logits, perm);
    }
    return {logits, labels};
  }

  Value crossEntropy(Value logits, Value labels, int64_t axis) {
    double eps = options.labelSmoothing;
    if (options.labelsKind == "probabilities") {
      auto type = cast<RankedTensorType>(logits.getType());
      Value logp = LogSoftmaxOp::create(b, loc, logits, uint64_t(axis));
      // Smoothed targets (1 - eps) p + eps / C, as PyTorch.
      if (eps > 0)
        labels = AddOp::create(
            b, loc, MulOp::create(b, loc, labels, splat(b, loc, type, 1 - eps)),
            splat(b, loc, type, eps / double(type.getDimSize(axis))));
      Value perPosition =
          ReduceOp::create(b, loc, ReduceKind::sum,
                           MulOp::create(b, loc, labels, logp),
                           ArrayRef<int64_t>{axis});
      Value sum = training::sumAll(b, loc, perPosition);
      double positions =
          double(type.getNumElements()) / double(type.getDimSize(axis));
      return NegOp::create(
          b, loc,
          DivOp::create(b, loc, sum,
                        splat(b, loc, cast<RankedTensorType>(sum.getType()),
                              positions)));
    }
    auto [x, t] = classesSecond(logits, labels, axis);
    Value logp = LogSoftmaxOp::create(b, loc, x, uint64_t(1));
    auto xType = cast<RankedTensorType>(x.getType());
    auto scalar = RankedTensorType::get({}, xType.getElementType());
    Value nll = CrossEntropyOp::create(b, loc, scalar, logp, t, Value(),
                                       uint64_t(options.ignoreIndex),
                                       LossReduction::mean);
    if (eps <= 0)
      return nll;
    // Label smoothing (PyTorch): (1 - eps) nll + eps * the mean over the
    // counted positions of -mean_c log p.
    auto tType = cast<RankedTensorType>(t.getType());
    auto positionsType = tType.clone(xType.getElementType());
    Value perPosition = ReduceOp::create(b, loc, ReduceKind::sum, logp,
                                         ArrayRef<int64_t>{1});
    Value counted = CompareOp::create(
        b, loc, ComparisonDirection::ne, t,
        splat(b, loc, tType, double(options.ignoreIndex)));
    Value zeros = splat(b, loc, positionsType, 0.0);
    Value kept = SelectOp::create(b, loc, counted, perPosition, zeros);
    Value count = training::sumAll(
        b, loc,
        SelectOp::create(b, loc, counted, splat(b, loc, positionsType, 1.0),
                         zeros));
    Value smooth = NegOp::create(
        b, loc,
        DivOp::create(b, loc, training::sumAll(b, loc, kept),
                      MulOp::create(b, loc, count,
                                    splat(b, loc, scalar,
                                          double(xType.getDimSize(1))))));
    return AddOp::create(
        b, loc, MulOp::create(b, loc, nll, splat(b, loc, scalar, 1 - eps)),
        MulOp::create(b, loc, smooth, splat(b, loc, scalar, eps)));
  }
};

/// The raw little-endian bytes of a slot's initial value (dense or
/// resource), empty when there are none to compare.
ArrayRef<char> initialBytes(StateSlotOp slot) {
  ElementsAttr value = slot.getInitialValueAttr();
  if (auto dense = dyn_cast_if_present<DenseElementsAttr>(value))
    return dense.isSplat() ? ArrayRef<char>() : dense.getRawData();
  if (auto resource = dyn_cast_if_present<DenseResourceElementsAttr>(value))
    if (AsmResourceBlob *blob = resource.getRawHandle().getBlob())
      return blob->getData();
  return {};
}

/// Whether matrices `a` ([rows, cols], elements of `width` bytes) and `b`
/// hold the same values, b stored transposed when `transposed`.
bool sameMatrix(ArrayRef<char> a, ArrayRef<char> b, int64_t rows,
                int64_t cols, size_t width, bool transposed) {
  if (a.size() != b.size() || a.size() != size_t(rows * cols) * width)
    return false;
  if (!transposed)
    return a == b;
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c)
      if (std::memcmp(a.data() + (r * cols + c) * width,
                      b.data() + (c * rows + r) * width, width) != 0)
        return false;
  return true;
}

/// Warns about trained parameters whose initial values are equal, or equal
/// up to a transpose: weights tied in the model (a language model's
/// embedding and output layer) that the export turned into two tensors,
/// which now train apart.
void warnAboutBrokenTying(MutableArrayRef<StateSlotOp> slots) {
  for (size_t i = 0; i < slots.size(); ++i)
    for (size_t j = i + 1; j < slots.size(); ++j) {
      auto a = cast<RankedTensorType>(slots[i].getType());
      auto b = cast<RankedTensorType>(slots[j].getType());
      if (a.getRank() != 2 || b.getRank() != 2 ||
          a.getElementType() != b.getElementType() ||
          a.getNumElements() < 2)
        continue;
      bool same = a.getShape() == b.getShape();
      bool swapped = a.getDimSize(0) == b.getDimSize(1) &&
                     a.getDimSize(1) == b.getDimSize(0);
      ArrayRef<char> x = initialBytes(slots[i]), y = initialBytes(slots[j]);
      size_t width = a.getElementTypeBitWidth() / 8;
      if (x.empty() || y.empty() || width == 0)
        continue;
      bool equal = same && sameMatrix(x, y, a.getDimSize(0), a.getDimSize(1),
                                      width, false);
      bool transposed = !equal && swapped &&
                        sameMatrix(x, y, a.getDimSize(0), a.getDimSize(1),
                                   width, true);
      if (equal || transposed)
        slots[j].emitWarning("parameters '")
            << slots[i].getSymName() << "' and '" << slots[j].getSymName()
            << "' start equal" << (transposed ? " up to a transpose" : "")
            << ": weights tied in the model were exported as two tensors "
               "and will train apart (export with do_constant_folding=False "
               "keeps the tie)";
    }
}

struct BuildTrainStepPass
    : impl::BuildTrainStepPassBase<BuildTrainStepPass> {
  using BuildTrainStepPassBase::BuildTrainStepPassBase;

  void runOnOperation() override {
    if (failed(build()))
      signalPassFailure();
  }

  LogicalResult build();
};

LogicalResult BuildTrainStepPass::build() {
  ModuleOp module = getOperation();
  if (loss != "cross_entropy" && loss != "mse" && loss != "none")
    return module.emitError("--loss must be cross_entropy, mse or none, not '")
           << loss << "'";
  if (labelsKind != "indices" && labelsKind != "probabilities")
    return module.emitError(
               "--labels-kind must be indices or probabilities, not '")
           << labelsKind << "'";
  std::string regexError;
  SmallVector<double> decayRates(betas.begin(), betas.end());
  if (decayRates.empty())
    decayRates = {0.9, 0.999};
  if (!training::isOptimizer(optimizer))
    return module.emitError("--optimizer must be sgd, momentum, nesterov, "
                            "adagrad, adam or adamw, not '")
           << optimizer << "'";
  if (labelSmoothing < 0 || labelSmoothing > 1)
    return module.emitError("--label-smoothing must be in [0, 1], got ")
           << labelSmoothing;
  if (!training::isSchedule(schedule))
    return module.emitError("--lr-schedule must be constant, warmup, linear, "
                            "cosine or step, not '")
           << schedule << "'";
  if (schedule == "warmup" && warmupSteps < 1)
    return module.emitError("--lr-schedule=warmup needs --warmup-steps >= 1");
  if ((schedule == "linear" || schedule == "cosine") &&
      (totalSteps <= std::max<int64_t>(warmupSteps, 0)))
    return module.emitError("--lr-schedule=")
           << schedule << " needs --total-steps above --warmup-steps";
  if (schedule == "step" && stepSize < 1)
    return module.emitError("--lr-schedule=step needs --lr-step-size >= 1");
  if (decayRates.size() != 2 || decayRates[0] < 0 || decayRates[0] >= 1 ||
      decayRates[1] < 0 || decayRates[1] >= 1)
    return module.emitError("--betas must be two numbers in [0, 1)");
  llvm::Regex noDecayCheck(noDecay);
  if (!noDecay.empty() && !noDecayCheck.isValid(regexError))
    return module.emitError("--no-decay is not a regular expression: ")
           << regexError;
  llvm::Regex frozen(freeze);
  if (!freeze.empty() && !frozen.isValid(regexError))
    return module.emitError("--freeze is not a regular expression: ")
           << regexError;
  func::FuncOp forward = forwardEntry(module);
  if (!forward)
    return module.emitError("a training program needs one entry point "
                            "(`forward`) to train");
  SymbolTable symbols(module);
  if (symbols.lookup("train_step"))
    return module.emitError("the program already has a train_step");

  // The copy, after forward.
  func::FuncOp step = forward.clone();
  step.setSymName("train_step");
  module.getBody()->getOperations().insertAfter(forward->getIterator(), step);
  auto ret = cast<func::ReturnOp>(step.getBody().front().getTerminator());
  std::optional<unsigned> firstOutput;
  for (unsigned i = 0; i < step.getNumResults(); ++i)
    if (step.getResultAttr(i, kOutputAttrName) && !firstOutput)
      firstOutput = i;
  if (!firstOutput)
    return forward.emitError("the model has no output to compute a loss of");
  Value output = ret.getOperand(*firstOutput);
  Location loc = ret.getLoc();
  OpBuilder b(ret);
  LossBuilder losses{
      b, loc, {loss, labelsKind, classAxis, ignoreIndex, labelSmoothing}};

  // The loss.
  Value lossValue;
  if (loss == "none") {
    auto type = dyn_cast<RankedTensorType>(output.getType());
    if (!type || type.getRank() != 0 || !isa<FloatType>(type.getElementType()))
      return forward.emitError("--loss none needs the model's first output to "
                               "be a 0-d float loss, got ")
             << output.getType();
    lossValue = output;
  } else {
    int64_t axis = 0;
    FailureOr<RankedTensorType> labelsType =
        losses.labelsType(forward, output, axis);
    if (failed(labelsType))
      return failure();
    unsigned index = step.getNumArguments();
    if (failed(step.insertArgument(
            index, *labelsType,
            b.getDictionaryAttr(b.getNamedAttr(
                kInputAttrName, b.getStringAttr(labelsName))),
            loc)))
      return failure();
    Value labels = step.getArgument(index);
    lossValue = loss == "mse" ? losses.meanSquaredError(output, labels)
                              : losses.crossEntropy(output, labels, axis);
  }

  // Trainable parameters: parameter slots' float arguments the loss reads.
  llvm::DenseSet<Value> useful = training::valuesReaching(lossValue, ret);
  SmallVector<BlockArgument> params;
  SmallVector<FlatSymbolRefAttr> paramSlots;
  for (BlockArgument arg : step.getArguments()) {
    auto ref = step.getArgAttrOfType<FlatSymbolRefAttr>(arg.getArgNumber(),
                                                        kStateAttrName);
    auto slot = ref ? symbols.lookup<StateSlotOp>(ref.getValue()) : nullptr;
    if (!slot || slot.getKind() != StateKind::parameter ||
        !isa<FloatType>(getElementTypeOrSelf(arg.getType())) ||
        !useful.contains(arg) ||
        (!freeze.empty() && frozen.match(ref.getValue())))
      continue;
    params.push_back(arg);
    paramSlots.push_back(ref);
  }
  if (params.empty())
    return forward.emitError("no trainable parameter reaches the loss (every "
                             "float parameter is frozen or unused)");
  SmallVector<StateSlotOp> trainedSlots;
  for (FlatSymbolRefAttr ref : paramSlots)
    trainedSlots.push_back(symbols.lookup<StateSlotOp>(ref.getValue()));
  warnAboutBrokenTying(trainedSlots);

  // The gradient request.
  SmallVector<Type> types;
  SmallVector<Value> xs;
  for (BlockArgument p : params) {
    types.push_back(p.getType());
    xs.push_back(p);
  }
  auto grad = GradientOp::create(b, loc, types, lossValue, xs);

  // Optimizer state: slots bound to new arguments, updated as tied results.
  OpBuilder mb(module.getBodyRegion());
  SmallVector<std::pair<Value, FlatSymbolRefAttr>> stateUpdates;
  llvm::StringMap<FlatSymbolRefAttr> created;
  auto createState = [&](StringRef name, RankedTensorType type,
                         Attribute initial) -> Value {
    auto slot = StateSlotOp::create(mb, loc, StateKind::optimizer, name, type,
                                    cast_if_present<ElementsAttr>(initial));
    symbols.insert(slot); // renamed if the name is taken
    auto ref = FlatSymbolRefAttr::get(slot.getSymNameAttr());
    created[name] = ref;
    unsigned index = step.getNumArguments();
    (void)step.insertArgument(
        index, type,
        b.getDictionaryAttr(b.getNamedAttr(kStateAttrName, ref)), loc);
    return step.getArgument(index);
  };
  auto nextState = [&](StringRef name, Value next) {
    stateUpdates.push_back({next, created.lookup(name)});
  };
  training::OptimizerState state{createState, nextState};

  // The learning rate: a state slot the runtime may rewrite.
  auto scalar = RankedTensorType::get({}, b.getF32Type());
  Value lr = createState(
      "optimizer.lr", scalar,
      DenseElementsAttr::get(scalar, b.getF32FloatAttr(float(learningRate))));

  training::OptimizerConfig config;
  config.kind = optimizer;
  config.momentum = momentum;
  config.beta1 = decayRates[0];
  config.beta2 = decayRates[1];
  config.eps = eps;
  config.weightDecay = weightDecay;
  config.clipGradNorm = clipGradNorm;
  config.schedule = schedule;
  config.warmupSteps = warmupSteps;
  config.totalSteps = totalSteps;
  config.stepSize = stepSize;
  config.gamma = gamma;
  llvm::Regex noDecayRegex(noDecay);
  SmallVector<training::TrainedParameter> trained;
  for (auto [p, g, slot] :
       llvm::zip_equal(params, grad.getResults(), paramSlots))
    trained.push_back({p, g, slot.getValue().str(),
                       noDecay.empty() || !noDecayRegex.match(slot.getValue())});
  SmallVector<Value> updated =
      training::buildOptimizerStep(b, loc, config, trained, lr, state);

  // Results: the loss, forward's in-place updates, the parameters.
  SmallVector<Value> results{lossValue};
  SmallVector<DictionaryAttr> resultAttrs{b.getDictionaryAttr(
      b.getNamedAttr(kOutputAttrName, b.getStringAttr("loss")))};
  for (unsigned i = 0; i < step.getNumResults(); ++i)
    if (step.getResultAttr(i, kTiedStateAttrName)) {
      results.push_back(ret.getOperand(i));
      resultAttrs.push_back(step.getResultAttrDict(i));
    }
  for (auto [value, slot] : llvm::zip_equal(updated, paramSlots))
    stateUpdates.push_back({value, slot});
  for (auto [value, slot] : stateUpdates) {
    results.push_back(value);
    resultAttrs.push_back(
        b.getDictionaryAttr(b.getNamedAttr(kTiedStateAttrName, slot)));
  }
  func::ReturnOp::create(b, loc, results);
  ret.erase();
  step.setType(b.getFunctionType(step.getArgumentTypes(),
                                 ValueRange(results).getTypes()));
  step.setAllResultAttrs(resultAttrs);
  return success();
}

} // namespace
} // namespace mlir::dlcc
