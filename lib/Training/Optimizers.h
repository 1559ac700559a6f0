//===- Optimizers.h - optimizer updates of a train step ---------*- C++ -*-===//
//
// The update that follows the gradients in train_step, with PyTorch's
// torch.optim semantics. Moments and the step counter are state slots
// (kind optimizer) created through `OptimizerState`; those without an
// initial value are zero-initialised (no bytes in the artifact).
//
//===----------------------------------------------------------------------===//
#ifndef DLCC_LIB_TRAINING_OPTIMIZERS_H
#define DLCC_LIB_TRAINING_OPTIMIZERS_H

#include "TrainingBuilders.h"

#include "llvm/ADT/STLFunctionalExtras.h"

#include <string>

namespace mlir::dlcc::training {

struct OptimizerConfig {
  std::string kind = "sgd"; // sgd, momentum, nesterov, adagrad, adam, adamw
  double momentum = 0.9;
  double beta1 = 0.9, beta2 = 0.999;
  double eps = -1;         // < 0: the optimizer's default
  double weightDecay = -1; // < 0: the optimizer's default
  double clipGradNorm = 0; // > 0: clip the global gradient norm to it
  // The learning-rate schedule: lr * factor(s) at the step after s
  // completed ones (LambdaLR's lambda): constant, warmup, linear, cosine,
  // step.
  std::string schedule = "constant";
  int64_t warmupSteps = 0, totalSteps = 0, stepSize = 1;
  double gamma = 0.1;
};

/// Whether `kind` names a learning-rate schedule.
bool isSchedule(llvm::StringRef kind);

/// Whether `kind` names an optimizer.
bool isOptimizer(llvm::StringRef kind);

/// Creates state: a slot `name` of `type` (a zero-initialised one when
/// `initial` is null), bound to a new argument of the train step, whose
/// argument value it returns; `next` records the slot's value after the
/// step (a tied result).
struct OptimizerState {
  llvm::function_ref<Value(llvm::StringRef name, RankedTensorType type,
                           Attribute initial)>
      create;
  llvm::function_ref<void(llvm::StringRef name, Value next)> next;
};

/// One trained parameter: its value, gradient, slot name and whether weight
/// decay applies to it.
struct TrainedParameter {
  Value value, gradient;
  std::string name;
  bool decay = true;
};

/// The parameters' values after one step of `config` at learning rate
/// `lr` (0-d f32), in the order of `params`.
SmallVector<Value> buildOptimizerStep(OpBuilder &b, Location loc,
                                      const OptimizerConfig &config,
                                      ArrayRef<TrainedParameter> params,
                                      Value lr, OptimizerState &state);

} // namespace mlir::dlcc::training

#endif // DLCC_LIB_TRAINING_OPTIMIZERS_H
