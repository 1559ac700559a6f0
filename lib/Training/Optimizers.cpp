//===- Optimizers.cpp - optimizer updates of a train step -----------------===//
//
// torch.optim's update rules (defaults: dampening 0, maximize false,
// amsgrad false, Adagrad lr_decay 0 and initial accumulator 0), in float
// arithmetic of the parameter's type. PyTorch initialises SGD's momentum
// buffer with the first gradient, which a zero buffer gives too
// (0 * momentum + g).
//
//===----------------------------------------------------------------------===//
#include "Optimizers.h"

#include <cmath>

namespace mlir::dlcc::training {

bool isOptimizer(llvm::StringRef kind) {
  return llvm::is_contained(
      {"sgd", "momentum", "nesterov", "adagrad", "adam", "adamw"}, kind);
}

bool isSchedule(llvm::StringRef kind) {
  return llvm::is_contained({"constant", "warmup", "linear", "cosine", "step"},
                            kind);
}

namespace {

struct Arith {
  OpBuilder &b;
  Location loc;
  Value add(Value x, Value y) { return AddOp::create(b, loc, x, y); }
  Value sub(Value x, Value y) { return SubOp::create(b, loc, x, y); }
  Value mul(Value x, Value y) { return MulOp::create(b, loc, x, y); }
  Value div(Value x, Value y) { return DivOp::create(b, loc, x, y); }
  Value sqrt(Value x) { return SqrtOp::create(b, loc, x); }
  Value scale(Value x, double c) { return mul(x, splatLike(b, loc, x, c)); }
  Value plus(Value x, double c) { return add(x, splatLike(b, loc, x, c)); }
  /// A 0-d f32 `s` in the type of `like` (converted, broadcast).
  Value like(Value s, Value like) {
    auto type = cast<RankedTensorType>(like.getType());
    auto st = cast<RankedTensorType>(s.getType());
    if (st.getElementType() != type.getElementType())
      s = ConvertOp::create(b, loc, st.clone(type.getElementType()), s);
    return broadcastScalar(b, loc, s, type);
  }
};

/// The schedule's factor at `s` completed steps (0-d f32):
///   warmup: min(1, (s + 1) / W);
///   linear: the warm-up, then (T - s) / (T - W) down to 0 at T;
///   cosine: the warm-up, then (1 + cos(pi min(1, (s - W) / (T - W)))) / 2;
///   step:   gamma^floor(s / S).
Value scheduleFactor(Arith &a, const OptimizerConfig &c, Value s) {
  OpBuilder &b = a.b;
  Location loc = a.loc;
  auto scalar = cast<RankedTensorType>(s.getType());
  auto constant = [&](double v) { return splat(b, loc, scalar, v); };
  auto minimum = [&](Value x, Value y) { return MinOp::create(b, loc, x, y); };
  auto maximum = [&](Value x, Value y) { return MaxOp::create(b, loc, x, y); };
  if (c.schedule == "step")
    return PowOp::create(
        b, loc, constant(c.gamma),
        FloorOp::create(b, loc, a.div(s, constant(double(c.stepSize)))));
  double w = double(std::max<int64_t>(c.warmupSteps, 0));
  Value warm = w > 0 ? minimum(constant(1.0), a.div(a.plus(s, 1.0), constant(w)))
                     : constant(1.0);
  if (c.schedule == "warmup")
    return warm;
  double t = double(c.totalSteps);
  Value progress = maximum(constant(0.0),
                           minimum(constant(1.0), a.div(a.sub(s, constant(w)),
                                                        constant(t - w))));
  Value decay;
  if (c.schedule == "linear") {
    decay = a.sub(constant(1.0), progress);
  } else { // cosine
    Value angle = a.scale(progress, M_PI);
    decay = a.scale(a.plus(CosOp::create(b, loc, angle), 1.0), 0.5);
  }
  return w > 0 ? SelectOp::create(
                     b, loc, CompareOp::create(b, loc, ComparisonDirection::lt, s,
                                               constant(w)),
                     warm, decay)
               : decay;
}

double defaultWeightDecay(llvm::StringRef kind) {
  return kind == "adamw" ? 0.01 : 0.0;
}

double defaultEps(llvm::StringRef kind) {
  return kind == "adagrad" ? 1e-10 : 1e-8;
}

} // namespace

SmallVector<Value> buildOptimizerStep(OpBuilder &b, Location loc,
                                      const OptimizerConfig &config,
                                      ArrayRef<TrainedParameter> params,
                                      Value lr, OptimizerState &state) {
  Arith a{b, loc};
  llvm::StringRef kind = config.kind;
  double wd = config.weightDecay < 0 ? defaultWeightDecay(kind)
                                     : config.weightDecay;
  double eps = config.eps < 0 ? defaultEps(kind) : config.eps;
  auto scalar = RankedTensorType::get({}, b.getF32Type());

  SmallVector<Value> grads;
  for (const TrainedParameter &p : params)
    grads.push_back(p.gradient);

  // Global-norm clipping (torch.nn.utils.clip_grad_norm_): every gradient
  // times min(1, max_norm / (norm + 1e-6)).
  if (config.clipGradNorm > 0) {
    Value total;
    for (Value g : grads) {
      Value sq = sumAll(b, loc, a.mul(g, g));
      if (cast<RankedTensorType>(sq.getType()).getElementType() !=
          scalar.getElementType())
        sq = ConvertOp::create(b, loc, scalar, sq);
      total = total ? a.add(total, sq) : sq;
    }
    Value coef = a.div(splat(b, loc, scalar, config.clipGradNorm),
                       a.plus(a.sqrt(total), 1e-6));
    coef = MinOp::create(b, loc, coef, splat(b, loc, scalar, 1.0));
    for (Value &g : grads)
      g = a.mul(g, a.like(coef, g));
  }

  // The step counter (completed steps, f32: exact up to 2^24 steps) for
  // Adam's bias corrections (1 - beta^t) and the schedules.
  bool adam = kind == "adam" || kind == "adamw";
  Value completed, step;
  if (adam || config.schedule != "constant") {
    completed = state.create("optimizer.step", scalar, Attribute());
    step = a.plus(completed, 1.0);
    state.next("optimizer.step", step);
  }
  if (config.schedule != "constant")
    lr = a.mul(lr, scheduleFactor(a, config, completed));
  Value correction1, correction2;
  if (adam) {
    auto power = [&](double base) {
      return PowOp::create(b, loc, splat(b, loc, scalar, base), step);
    };
    Value one = splat(b, loc, scalar, 1.0);
    correction1 = a.sub(one, power(config.beta1));
    correction2 = a.sub(one, power(config.beta2));
  }

  SmallVector<Value> updated;
  for (auto [p, g] : llvm::zip_equal(params, grads)) {
    Value x = p.value;
    auto type = cast<RankedTensorType>(x.getType());
    Value rate = a.like(lr, x);
    double decay = p.decay ? wd : 0.0;
    // L2 penalty in the gradient; AdamW decays the parameter instead.
    if (decay != 0 && kind != "adamw")
      g = a.add(g, a.scale(x, decay));
    auto moment = [&](llvm::StringRef what) {
      return state.create(p.name + "." + what.str(), type, Attribute());
    };
    if (kind == "sgd") {
      updated.push_back(a.sub(x, a.mul(rate, g)));
    } else if (kind == "momentum" || kind == "nesterov") {
      Value buf = a.add(a.scale(moment("momentum_buffer"), config.momentum), g);
      state.next(p.name + ".momentum_buffer", buf);
      Value dir = kind == "nesterov" ? a.add(g, a.scale(buf, config.momentum))
                                     : buf;
      updated.push_back(a.sub(x, a.mul(rate, dir)));
    } else if (kind == "adagrad") {
      Value sum = a.add(moment("sum"), a.mul(g, g));
      state.next(p.name + ".sum", sum);
      updated.push_back(
          a.sub(x, a.div(a.mul(rate, g), a.plus(a.sqrt(sum), eps))));
    } else { // adam, adamw
      if (kind == "adamw" && decay != 0)
        x = a.sub(x, a.mul(a.scale(rate, decay), x));
      Value m = a.add(a.scale(moment("exp_avg"), config.beta1),
                      a.scale(g, 1.0 - config.beta1));
      Value v = a.add(a.scale(moment("exp_avg_sq"), config.beta2),
                      a.scale(a.mul(g, g), 1.0 - config.beta2));
      state.next(p.name + ".exp_avg", m);
      state.next(p.name + ".exp_avg_sq", v);
      // torch: p -= (lr / c1) * m / (sqrt(v) / sqrt(c2) + eps).
      Value denom = a.plus(a.div(a.sqrt(v), a.like(a.sqrt(correction2), x)), eps);
      Value stepSize = a.div(rate, a.like(correction1, x));
      updated.push_back(a.sub(x, a.mul(stepSize, a.div(m, denom))));
    }
  }
  return updated;
}

} // namespace mlir::dlcc::training
