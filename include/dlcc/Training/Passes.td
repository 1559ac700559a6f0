//===- Passes.td - the training program: loss, autodiff, optimizer -===//
#ifndef DLCC_TRAINING_PASSES_TD
#define DLCC_TRAINING_PASSES_TD

include "mlir/Pass/PassBase.td"

def BuildTrainStepPass : Pass<"dlcc-build-train-step", "mlir::ModuleOp"> {
  let summary = "the training entry points: train_step, eval, forward "
                "in inference mode, accumulate and apply";
  let description = [{
    Runs on the imported program (dlcc dialect), whose `forward` entry point
    takes the model's inputs and its parameters as state arguments. Adds
    `train_step`, a copy of `forward` that also takes the labels (input
    `labels`, unless the loss needs none), computes the loss, requests the
    gradient of the loss with respect to every trainable parameter with one
    `dlcc.gradient` (which `dlcc-expand-gradients` expands), and returns the
    loss (output `loss`, 0-d) followed by whatever `forward` updates in
    place (BatchNorm running statistics, the dropout counter), the
    optimizer state and the updated parameters (tied results).

    `forward` itself is turned into inference mode, as `model.eval()`:
    BatchNorm normalises with the running statistics, Dropout passes its
    input through, and nothing is updated. `eval` is that `forward` plus
    the labels input: it returns the loss, then the model's outputs.

    With `gradient-accumulation`, `accumulate` (forward in training mode,
    the loss, and its gradients added into zero-initialised optimizer slots
    `@<parameter>.grad_accum`, counting micro-batches in
    `@optimizer.micro_batches`; the first micro-batch after `apply` starts
    the sums afresh) and `apply` (the optimizer update with the accumulated
    gradients divided by the micro-batch count, which goes back to 0) are
    added too: k accumulate runs then apply are one
    train_step on the k micro-batches together when the loss is a mean over
    equally many positions per micro-batch (PyTorch's `loss / k` then
    `backward()` per micro-batch).

    Losses (`loss`):
    - `cross_entropy`: the first output holds logits with the classes on
      `class-axis` (default -1, the last). With `labels-kind=indices` the
      labels are int64 class indices of the logits' shape without the class
      axis; positions labelled `ignore-index` (default -100) count for
      nothing, and the loss is the mean over the counted positions (a
      `[B, T, V]` language-model output averages over B*T tokens, as
      PyTorch does). With `labels-kind=probabilities` the labels are floats
      of the logits' shape (one-hot or soft targets) and the loss is the
      mean over positions of `-sum_c p_c log softmax(x)_c`. With
      `label-smoothing` eps, as PyTorch: indices give (1 - eps) times that
      loss plus eps times the mean over counted positions of
      `-mean_c log softmax(x)_c`; probabilities become
      `(1 - eps) p + eps / C`.
    - `mse`: the mean of `(y - labels)^2` over every element of the first
      output, labels of its shape and type.
    - `none`: the first output is the loss (a 0-d float).

    Trainable parameters: the entry point's float arguments bound to
    `parameter` state slots whose value reaches the loss, minus those whose
    slot name matches `freeze` (a regular expression). A program with none
    is an error. Two trained matrices whose initial values are equal, or
    equal up to a transpose, get a warning: a tie in the model (an LM head
    sharing the embedding) that the export broke, which would train apart.

    Learning-rate schedules (`lr-schedule`) multiply `lr` by a factor of
    the completed steps `s` (torch's LambdaLR lambda; the step counter
    `@optimizer.step` is state): `warmup` min(1, (s + 1) / W), `linear` and
    `cosine` that warm-up then a linear or cosine decay to 0 at
    `total-steps`, `step` `lr-gamma`^floor(s / `lr-step-size`).

    Optimizers, with torch.optim's semantics: `sgd` (`p' = p - lr * g`),
    `momentum` and `nesterov` (SGD with `momentum`), `adagrad`, `adam`,
    `adamw` (decoupled weight decay); `weight-decay` (an L2 term in the
    gradient, except for adamw) skips parameters matching `no-decay`;
    `clip-grad-norm` scales every gradient by min(1, max / (norm + 1e-6))
    first. The learning rate is the state slot `@optimizer.lr` (kind
    `optimizer`, a 0-d f32 initialised to `lr`), so that the runtime can
    change it between steps without recompiling. Moments are
    zero-initialised slots `@<parameter>.momentum_buffer`, `.sum`,
    `.exp_avg`, `.exp_avg_sq`; Adam counts steps in `@optimizer.step`
    (0-d f32, exact to 2^24 steps).
  }];
  let options = [
    Option<"loss", "loss", "std::string", /*default=*/"\"cross_entropy\"",
           "cross_entropy, mse or none">,
    Option<"labelsName", "labels", "std::string", /*default=*/"\"labels\"",
           "the name of the labels input">,
    Option<"labelsKind", "labels-kind", "std::string", /*default=*/"\"indices\"",
           "cross-entropy labels: indices (int64) or probabilities">,
    Option<"classAxis", "class-axis", "int64_t", /*default=*/"-1",
           "the logits' class dimension (negative: from the end)">,
    Option<"ignoreIndex", "ignore-index", "int64_t", /*default=*/"-100",
           "the class index that counts for nothing">,
    Option<"labelSmoothing", "label-smoothing", "double", /*default=*/"0",
           "cross_entropy: PyTorch's label smoothing epsilon">,
    Option<"freeze", "freeze", "std::string", /*default=*/"\"\"",
           "parameters whose slot name matches this regular expression are "
           "not trained">,
    Option<"optimizer", "optimizer", "std::string", /*default=*/"\"sgd\"",
           "sgd, momentum, nesterov, adagrad, adam or adamw">,
    Option<"learningRate", "lr", "double", /*default=*/"0.01",
           "the initial learning rate">,
    Option<"momentum", "momentum", "double", /*default=*/"0.9",
           "momentum and nesterov: the momentum factor">,
    ListOption<"betas", "betas", "double",
               "adam and adamw: the moments' decay rates (default 0.9, 0.999)">,
    Option<"eps", "eps", "double", /*default=*/"-1",
           "adam, adamw, adagrad: the denominator's epsilon (negative: "
           "PyTorch's default, 1e-8, or 1e-10 for adagrad)">,
    Option<"weightDecay", "weight-decay", "double", /*default=*/"-1",
           "weight decay (negative: PyTorch's default, 0.01 for adamw, else 0)">,
    Option<"noDecay", "no-decay", "std::string", /*default=*/"\"\"",
           "parameters whose slot name matches this regular expression get "
           "no weight decay (biases, norms)">,
    Option<"clipGradNorm", "clip-grad-norm", "double", /*default=*/"0",
           "clip the global gradient norm to this value (0: no clipping)">,
    Option<"schedule", "lr-schedule", "std::string", /*default=*/"\"constant\"",
           "constant, warmup, linear, cosine or step">,
    Option<"warmupSteps", "warmup-steps", "int64_t", /*default=*/"0",
           "warmup, linear, cosine: steps of linear warm-up">,
    Option<"totalSteps", "total-steps", "int64_t", /*default=*/"0",
           "linear, cosine: the step at which the rate reaches 0">,
    Option<"stepSize", "lr-step-size", "int64_t", /*default=*/"1",
           "step: steps between decays">,
    Option<"gamma", "lr-gamma", "double", /*default=*/"0.1",
           "step: the decay factor">,
    Option<"gradientAccumulation", "gradient-accumulation", "bool",
           /*default=*/"false",
           "also build the accumulate and apply entry points">
  ];
  let dependentDialects = ["mlir::dlcc::DlccDialect", "mlir::func::FuncDialect"];
}

def ExpandGradientsPass : Pass<"dlcc-expand-gradients", "mlir::ModuleOp"> {
  let summary = "reverse-mode automatic differentiation of dlcc.gradient";
  let description = [{
    Replaces every `dlcc.gradient %y wrt %xs` by the reverse-mode program
    that computes the gradient of the 0-d `y` with respect to each `x`, built
    right before the gradient op from the ops' vector-Jacobian products
    (`VJPOpInterface`, lib/Training/VJP*.cpp).

    Activity analysis: only values that depend on some `x` (forward) and
    that `y` depends on (backward) get cotangents, so frozen parameters,
    constants and integer index computations cost nothing. The cotangent of
    `y` is 1; ops are visited in reverse program order; the cotangents an
    operand receives from several uses are added. An active op without a
    rule is an error naming the op (and, through its location, the ONNX
    node); an inactive one needs none. An `x` that `y` does not depend on
    gets a zero gradient. Every op of the backward pass is located in a
    location fused with the metadata `"dlcc.backward"` (the original
    locations inside), which the kernels formed from them keep and
    dlcc-plan-memory's peak split reads.
  }];
  let dependentDialects = ["mlir::dlcc::DlccDialect"];
}

#endif // DLCC_TRAINING_PASSES_TD
