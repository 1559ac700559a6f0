//===- BuildTrainStep.cpp - the dlcc-build-train-step pass ----------------===//
//
// train_step = forward + loss + dlcc.gradient + optimizer update (see
// Passes.td). The gradient stays a request here; dlcc-expand-gradients
// builds it.
//
//===----------------------------------------------------------------------===//
#include "InferenceMode.h"
#include "Losses.h"
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
      if (transposed)
        slots[j].emitWarning("parameters '")
            << slots[i].getSymName() << "' and '" << slots[j].getSymName()
            << "' start equal up to a transpose: weights tied in the model "
               "were exported as two tensors and will train apart (export "
               "with do_constant_folding=False keeps the tie)";
      else if (equal)
        slots[j].emitWarning("parameters '")
            << slots[i].getSymName() << "' and '" << slots[j].getSymName()
            << "' start equal: if the model ties them, the export made two "
               "tensors of them and they will train apart (layers copied "
               "from one another, as nn.TransformerEncoder's, also start "
               "equal and are rightly trained apart)";
    }
}

/// The state slots the training entry points share (the learning rate,
/// optimizer moments, gradient accumulators), created once and bound to an
/// argument of each entry point that reads them.
class SharedState {
public:
  SharedState(ModuleOp module, SymbolTable &symbols)
      : symbols(symbols), builder(module.getBodyRegion()) {}

  /// The argument of `fn` bound to the slot `name` of kind optimizer
  /// (zero-initialised when `initial` is null), created on first use.
  Value bind(func::FuncOp fn, StringRef name, RankedTensorType type,
             Attribute initial, Location loc) {
    FlatSymbolRefAttr &ref = slots[name];
    if (!ref) {
      auto slot = StateSlotOp::create(builder, loc, StateKind::optimizer, name,
                                      type,
                                      cast_if_present<ElementsAttr>(initial));
      symbols.insert(slot); // renamed if the name is taken
      ref = FlatSymbolRefAttr::get(slot.getSymNameAttr());
    }
    return bindArgument(fn, ref, type, loc);
  }

  FlatSymbolRefAttr slot(StringRef name) const { return slots.lookup(name); }

  /// A new argument of `fn` bound to `slot`.
  static Value bindArgument(func::FuncOp fn, FlatSymbolRefAttr slot, Type type,
                            Location loc) {
    unsigned index = fn.getNumArguments();
    Builder b(fn.getContext());
    (void)fn.insertArgument(
        index, type, b.getDictionaryAttr(b.getNamedAttr(kStateAttrName, slot)),
        loc);
    return fn.getArgument(index);
  }

private:
  SymbolTable &symbols;
  OpBuilder builder;
  llvm::StringMap<FlatSymbolRefAttr> slots;
};

/// An entry point's results under construction: values with their
/// dlcc.output / dlcc.tied_state attributes, installed by finish().
struct EntryResults {
  SmallVector<Value> values;
  SmallVector<DictionaryAttr> attrs;

  void output(Value value, StringRef name) {
    Builder b(value.getContext());
    values.push_back(value);
    attrs.push_back(b.getDictionaryAttr(
        b.getNamedAttr(kOutputAttrName, b.getStringAttr(name))));
  }
  void update(Value value, FlatSymbolRefAttr slot) {
    Builder b(value.getContext());
    values.push_back(value);
    attrs.push_back(
        b.getDictionaryAttr(b.getNamedAttr(kTiedStateAttrName, slot)));
  }
  /// The state updates `fn` (a copy of forward) already makes (BatchNorm's
  /// running statistics, the dropout counter).
  void keepStateUpdates(func::FuncOp fn, func::ReturnOp ret) {
    for (unsigned i = 0; i < fn.getNumResults(); ++i)
      if (fn.getResultAttr(i, kTiedStateAttrName)) {
        values.push_back(ret.getOperand(i));
        attrs.push_back(fn.getResultAttrDict(i));
      }
  }
  /// Replaces `ret` by a return of these results.
  void finish(func::FuncOp fn, func::ReturnOp ret) {
    OpBuilder b(ret);
    func::ReturnOp::create(b, ret.getLoc(), values);
    ret.erase();
    fn.setType(b.getFunctionType(fn.getArgumentTypes(),
                                 ValueRange(values).getTypes()));
    fn.setAllResultAttrs(attrs);
  }
};

/// The state slot that sums a parameter's gradients over micro-batches.
std::string accumulatorName(FlatSymbolRefAttr parameter) {
  return (parameter.getValue() + ".grad_accum").str();
}

/// A copy of forward that computes the loss and requests its gradient.
struct LossGradient {
  func::FuncOp fn;
  func::ReturnOp ret;
  Value loss;
  SmallVector<BlockArgument> params;
  SmallVector<FlatSymbolRefAttr> slots;
  GradientOp gradient;
};

struct BuildTrainStepPass
    : impl::BuildTrainStepPassBase<BuildTrainStepPass> {
  using BuildTrainStepPassBase::BuildTrainStepPassBase;

  void runOnOperation() override {
    if (failed(checkOptions()) || failed(build()))
      signalPassFailure();
  }

  LogicalResult checkOptions();
  LogicalResult build();

  training::LossOptions lossOptions() const {
    return {loss, labelsName, labelsKind, classAxis, ignoreIndex,
            labelSmoothing};
  }
  training::OptimizerConfig optimizerConfig() const;

  /// A copy of `forward` named `name`, placed after `after`, computing the
  /// loss and its gradient with respect to the trainable parameters.
  FailureOr<LossGradient> buildLossGradient(func::FuncOp forward,
                                            func::FuncOp after, StringRef name,
                                            SymbolTable &symbols);

  /// The argument of `fn` bound to the learning rate `@optimizer.lr`: a
  /// state slot, so that the runtime may rewrite it.
  Value bindLearningRate(func::FuncOp fn, SharedState &state, Location loc);

  /// The optimizer update of `params` (bound to `slots`) by `gradients`
  /// at learning rate `lr`, in `fn` at `b`: the optimizer state bound from
  /// `state`; the state's and then the parameters' new values appended to
  /// `results`.
  void addOptimizerUpdate(func::FuncOp fn, OpBuilder &b, Location loc,
                          Value lr, ValueRange params, ValueRange gradients,
                          ArrayRef<FlatSymbolRefAttr> slots, SharedState &state,
                          EntryResults &results);

  /// train_step: the loss, the gradient and the optimizer update.
  void buildTrainStep(LossGradient &step, SharedState &state);
  /// accumulate: the loss, its gradient added to `<param>.grad_accum`, one
  /// more micro-batch counted in `optimizer.micro_batches`.
  void buildAccumulate(LossGradient &step, SharedState &state);
  /// apply: the optimizer update with the mean accumulated gradient; the
  /// micro-batch count back to 0.
  void buildApply(LossGradient &accumulate, SharedState &state,
                  SymbolTable &symbols);
  /// eval: `forward` (already in inference mode) and the loss.
  LogicalResult buildEval(func::FuncOp forward);
};

LogicalResult BuildTrainStepPass::checkOptions() {
  ModuleOp module = getOperation();
  if (loss != "cross_entropy" && loss != "mse" && loss != "none")
    return module.emitError("--loss must be cross_entropy, mse or none, not '")
           << loss << "'";
  if (labelsKind != "indices" && labelsKind != "probabilities")
    return module.emitError(
               "--labels-kind must be indices or probabilities, not '")
           << labelsKind << "'";
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
  if (!betas.empty() &&
      (betas.size() != 2 || betas[0] < 0 || betas[0] >= 1 || betas[1] < 0 ||
       betas[1] >= 1))
    return module.emitError("--betas must be two numbers in [0, 1)");
  std::string regexError;
  if (!noDecay.empty() && !llvm::Regex(noDecay).isValid(regexError))
    return module.emitError("--no-decay is not a regular expression: ")
           << regexError;
  if (!freeze.empty() && !llvm::Regex(freeze).isValid(regexError))
    return module.emitError("--freeze is not a regular expression: ")
           << regexError;
  return success();
}

training::OptimizerConfig BuildTrainStepPass::optimizerConfig() const {
  training::OptimizerConfig config;
  config.kind = optimizer;
  config.momentum = momentum;
  if (!betas.empty()) {
    config.beta1 = betas[0];
    config.beta2 = betas[1];
  }
  config.eps = eps;
  config.weightDecay = weightDecay;
  config.clipGradNorm = clipGradNorm;
  config.schedule = schedule;
  config.warmupSteps = warmupSteps;
  config.totalSteps = totalSteps;
  config.stepSize = stepSize;
  config.gamma = gamma;
  return config;
}

FailureOr<LossGradient>
BuildTrainStepPass::buildLossGradient(func::FuncOp forward, func::FuncOp after,
                                      StringRef name, SymbolTable &symbols) {
  LossGradient result;
  func::FuncOp fn = result.fn = forward.clone();
  fn.setSymName(name);
  getOperation().getBody()->getOperations().insertAfter(after->getIterator(),
                                                        fn);
  result.ret = cast<func::ReturnOp>(fn.getBody().front().getTerminator());
  FailureOr<Value> lossValue =
      training::buildLoss(fn, result.ret, lossOptions(), forward);
  if (failed(lossValue))
    return failure();
  result.loss = *lossValue;

  // Trainable parameters: parameter slots' float arguments the loss reads.
  llvm::Regex frozen(freeze);
  llvm::DenseSet<Value> useful =
      training::valuesReaching(result.loss, result.ret);
  for (BlockArgument arg : fn.getArguments()) {
    auto ref = fn.getArgAttrOfType<FlatSymbolRefAttr>(arg.getArgNumber(),
                                                      kStateAttrName);
    auto slot = ref ? symbols.lookup<StateSlotOp>(ref.getValue()) : nullptr;
    if (!slot || slot.getKind() != StateKind::parameter ||
        !isa<FloatType>(getElementTypeOrSelf(arg.getType())) ||
        !useful.contains(arg) ||
        (!freeze.empty() && frozen.match(ref.getValue())))
      continue;
    result.params.push_back(arg);
    result.slots.push_back(ref);
  }
  if (result.params.empty())
    return forward.emitError("no trainable parameter reaches the loss (every "
                             "float parameter is frozen or unused)");
  OpBuilder b(result.ret);
  SmallVector<Value> xs(result.params.begin(), result.params.end());
  result.gradient = GradientOp::create(b, result.ret.getLoc(),
                                       ValueRange(xs).getTypes(), result.loss,
                                       xs);
  return result;
}

Value BuildTrainStepPass::bindLearningRate(func::FuncOp fn, SharedState &state,
                                           Location loc) {
  Builder b(fn.getContext());
  auto scalar = RankedTensorType::get({}, b.getF32Type());
  return state.bind(
      fn, "optimizer.lr", scalar,
      DenseElementsAttr::get(scalar, b.getF32FloatAttr(float(learningRate))),
      loc);
}

void BuildTrainStepPass::addOptimizerUpdate(
    func::FuncOp fn, OpBuilder &b, Location loc, Value lr, ValueRange params,
    ValueRange gradients, ArrayRef<FlatSymbolRefAttr> slots,
    SharedState &state, EntryResults &results) {
  SmallVector<std::pair<Value, std::string>> next;
  // (Named: OptimizerState holds function_refs.)
  auto create = [&](StringRef name, RankedTensorType type, Attribute initial) {
    return state.bind(fn, name, type, initial, loc);
  };
  auto record = [&](StringRef name, Value value) {
    next.push_back({value, name.str()});
  };
  training::OptimizerState optimizerState{create, record};
  llvm::Regex noDecayRegex(noDecay);
  SmallVector<training::TrainedParameter> trained;
  for (auto [p, g, slot] : llvm::zip_equal(params, gradients, slots))
    trained.push_back({p, g, slot.getValue().str(),
                       noDecay.empty() || !noDecayRegex.match(slot.getValue())});
  SmallVector<Value> updated = training::buildOptimizerStep(
      b, loc, optimizerConfig(), trained, lr, optimizerState);
  for (auto &[value, name] : next)
    results.update(value, state.slot(name));
  for (auto [value, slot] : llvm::zip_equal(updated, slots))
    results.update(value, slot);
}

void BuildTrainStepPass::buildTrainStep(LossGradient &step,
                                        SharedState &state) {
  OpBuilder b(step.ret);
  EntryResults results;
  results.output(step.loss, "loss");
  results.keepStateUpdates(step.fn, step.ret);
  SmallVector<Value> params(step.params.begin(), step.params.end());
  Value lr = bindLearningRate(step.fn, state, step.ret.getLoc());
  addOptimizerUpdate(step.fn, b, step.ret.getLoc(), lr, params,
                     step.gradient.getResults(), step.slots, state, results);
  results.finish(step.fn, step.ret);
}

void BuildTrainStepPass::buildAccumulate(LossGradient &step,
                                         SharedState &state) {
  func::FuncOp fn = step.fn;
  Location loc = step.ret.getLoc();
  OpBuilder b(step.ret);
  EntryResults results;
  results.output(step.loss, "loss");
  results.keepStateUpdates(fn, step.ret);
  // The sums restart at the first micro-batch after apply (which resets
  // only the count): no pass over them to clear them.
  auto scalar = RankedTensorType::get({}, b.getF32Type());
  Value count = state.bind(fn, "optimizer.micro_batches", scalar, nullptr, loc);
  Value first = CompareOp::create(b, loc, ComparisonDirection::eq, count,
                                  splat(b, loc, scalar, 0.0));
  for (auto [g, slot] : llvm::zip_equal(step.gradient.getResults(), step.slots)) {
    std::string name = accumulatorName(slot);
    auto type = cast<RankedTensorType>(g.getType());
    Value sum = state.bind(fn, name, type, nullptr, loc);
    Value restart = training::broadcast(
        b, loc, first, type.clone(b.getI1Type()), ArrayRef<int64_t>{});
    Value kept =
        SelectOp::create(b, loc, restart, training::splatLike(b, loc, g, 0.0), sum);
    results.update(AddOp::create(b, loc, kept, g), state.slot(name));
  }
  results.update(AddOp::create(b, loc, count, splat(b, loc, scalar, 1.0)),
                 state.slot("optimizer.micro_batches"));
  results.finish(fn, step.ret);
}

void BuildTrainStepPass::buildApply(LossGradient &accumulate,
                                    SharedState &state, SymbolTable &symbols) {
  Location loc = accumulate.fn.getLoc();
  OpBuilder mb(accumulate.fn);
  mb.setInsertionPointAfter(accumulate.fn);
  auto fn = func::FuncOp::create(mb, loc, "apply",
                                 mb.getFunctionType(TypeRange{}, TypeRange{}));
  symbols.insert(fn);
  Block *body = fn.addEntryBlock();
  OpBuilder b = OpBuilder::atBlockEnd(body);
  auto ret = func::ReturnOp::create(b, loc);
  b.setInsertionPoint(ret);

  // The mean gradient over the micro-batches accumulated (at least one, so
  // that apply with nothing accumulated moves only by momentum).
  auto scalar = RankedTensorType::get({}, b.getF32Type());
  Value count = state.bind(fn, "optimizer.micro_batches", scalar, nullptr, loc);
  Value divisor = MaxOp::create(b, loc, count, splat(b, loc, scalar, 1.0));
  Value lr = bindLearningRate(fn, state, loc);
  SmallVector<Value> params, means;
  for (auto [param, slot] : llvm::zip_equal(accumulate.params, accumulate.slots)) {
    auto type = cast<RankedTensorType>(param.getType());
    params.push_back(SharedState::bindArgument(fn, slot, type, loc));
    Value sum = state.bind(fn, accumulatorName(slot), type, nullptr, loc);
    Value d = divisor;
    if (type.getElementType() != scalar.getElementType())
      d = ConvertOp::create(b, loc, scalar.clone(type.getElementType()), d);
    means.push_back(
        DivOp::create(b, loc, sum, training::broadcastScalar(b, loc, d, type)));
  }
  EntryResults results;
  addOptimizerUpdate(fn, b, loc, lr, params, means, accumulate.slots, state,
                     results);
  results.update(splat(b, loc, scalar, 0.0),
                 state.slot("optimizer.micro_batches"));
  results.finish(fn, ret);
}

LogicalResult BuildTrainStepPass::buildEval(func::FuncOp forward) {
  func::FuncOp fn = forward.clone();
  fn.setSymName("eval");
  getOperation().getBody()->getOperations().insertAfter(forward->getIterator(),
                                                        fn);
  auto ret = cast<func::ReturnOp>(fn.getBody().front().getTerminator());
  FailureOr<Value> lossValue =
      training::buildLoss(fn, ret, lossOptions(), forward);
  if (failed(lossValue))
    return failure();
  EntryResults results;
  results.output(*lossValue, "loss");
  for (unsigned i = 0; i < fn.getNumResults(); ++i) {
    auto name = fn.getResultAttrOfType<StringAttr>(i, kOutputAttrName);
    if (name && name.getValue() != "loss")
      results.output(ret.getOperand(i), name.getValue());
  }
  results.finish(fn, ret);
  return success();
}

LogicalResult BuildTrainStepPass::build() {
  ModuleOp module = getOperation();
  func::FuncOp forward = forwardEntry(module);
  if (!forward)
    return module.emitError("a training program needs one entry point "
                            "(`forward`) to train");
  SymbolTable symbols(module);
  for (StringRef name : {"train_step", "eval", "accumulate", "apply"})
    if (symbols.lookup(name))
      return module.emitError("the program already has an entry point '")
             << name << "'";
  SharedState state(module, symbols);

  FailureOr<LossGradient> step =
      buildLossGradient(forward, forward, "train_step", symbols);
  if (failed(step))
    return failure();
  SmallVector<StateSlotOp> trainedSlots;
  for (FlatSymbolRefAttr ref : step->slots)
    trainedSlots.push_back(symbols.lookup<StateSlotOp>(ref.getValue()));
  warnAboutBrokenTying(trainedSlots);
  buildTrainStep(*step, state);

  if (gradientAccumulation) {
    FailureOr<LossGradient> accumulate =
        buildLossGradient(forward, step->fn, "accumulate", symbols);
    if (failed(accumulate))
      return failure();
    buildAccumulate(*accumulate, state);
    buildApply(*accumulate, state, symbols);
  }

  if (failed(training::convertToInferenceMode(forward)))
    return failure();
  return buildEval(forward);
}

} // namespace
} // namespace mlir::dlcc
