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

#include "llvm/ADT/StringSwitch.h"

namespace mlir::dlcc::training {

bool isOptimizer(llvm::StringRef kind) {
  return llvm::is_contained(
      {"sgd", "momentum", "nesterov", "adagrad", "adam", "adamw"}, kind);
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

  // Adam's step counter and bias corrections (1 - beta^t), as f32 (exact
  // up to 2^24 steps).
  Value correction1, correction2;
  if (kind == "adam" || kind == "adamw") {
    Value step = state.create("optimizer.step", scalar, Attribute());
    step = a.plus(step, 1.0);
    state.next("optimizer.step", step);
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
