// RUN: dlcc-opt %s --dlcc-build-train-step="loss=mse gradient-accumulation=true" --split-input-file --verify-diagnostics | FileCheck %s

// A training-mode export of Linear -> BatchNorm -> Dropout(0.25), as the
// importer writes it: the running statistics' updates and the dropout
// counter are tied results of `forward`.

// `forward` in inference mode: the running statistics normalise, Dropout
// is gone, nothing is updated.
// CHECK-LABEL: func.func @forward
// CHECK-SAME: %[[MEAN:[^:]+]]: tensor<2xf32> {dlcc.state = @bn.running_mean}, %[[VAR:[^:]+]]: tensor<2xf32> {dlcc.state = @bn.running_var}
// CHECK-SAME: -> (tensor<4x2xf32> {dlcc.output = "y"})
// CHECK: %[[MM:.+]] = dlcc.matmul
// CHECK-NEXT: %[[Y:.+]] = dlcc.batch_norm_inference %[[MM]], %{{.+}}, %{{.+}}, %[[MEAN]], %[[VAR]]
// CHECK-NEXT: return %[[Y]] : tensor<4x2xf32>

// `eval`: the same, plus the labels and the loss, returned first.
// CHECK-LABEL: func.func @eval
// CHECK-SAME: %{{.+}}: tensor<4x2xf32> {dlcc.input = "labels"})
// CHECK-SAME: -> (tensor<f32> {dlcc.output = "loss"}, tensor<4x2xf32> {dlcc.output = "y"})
// CHECK-NOT: dropout_mask
// CHECK: %[[Y:.+]] = dlcc.batch_norm_inference
// CHECK: %[[D:.+]] = dlcc.sub %[[Y]], %{{.+}}
// CHECK: %[[L:.+]] = dlcc.div
// CHECK: return %[[L]], %[[Y]]

// `train_step`: training mode, the gradient of the trained parameters (not
// the running statistics), the update; tied results: forward's own
// updates, then the parameters.
// CHECK-LABEL: func.func @train_step
// CHECK-SAME: {dlcc.input = "labels"}, %[[LR:.+]]: tensor<f32> {dlcc.state = @optimizer.lr})
// CHECK-SAME: -> (tensor<f32> {dlcc.output = "loss"}, tensor<2xf32> {dlcc.tied_state = @bn.running_mean}, tensor<2xf32> {dlcc.tied_state = @bn.running_var}, tensor<2xi64> {dlcc.tied_state = @rng}, tensor<2x3xf32> {dlcc.tied_state = @fc.weight}, tensor<2xf32> {dlcc.tied_state = @bn.weight}, tensor<2xf32> {dlcc.tied_state = @bn.bias})
// CHECK: dlcc.batch_norm_training
// CHECK: dlcc.dropout_mask
// CHECK: dlcc.gradient %{{.+}} wrt %arg1, %arg2, %arg3 :

// `accumulate`: the gradients added into the sums, which restart when no
// micro-batch has been counted since the last apply.
// CHECK-LABEL: func.func @accumulate
// CHECK-SAME: %[[COUNT:[^:]+]]: tensor<f32> {dlcc.state = @optimizer.micro_batches}, %[[SUM:[^:]+]]: tensor<2x3xf32> {dlcc.state = @fc.weight.grad_accum}
// CHECK-SAME: tensor<f32> {dlcc.tied_state = @optimizer.micro_batches})
// CHECK: %[[G:.+]]:3 = dlcc.gradient
// CHECK: %[[ZERO:.+]] = dlcc.constant dense<0.000000e+00> : tensor<f32>
// CHECK: %[[FIRST:.+]] = dlcc.compare eq, %[[COUNT]], %[[ZERO]]
// CHECK: %[[RESTART:.+]] = dlcc.broadcast_in_dim %[[FIRST]]
// CHECK: %[[KEPT:.+]] = dlcc.select %[[RESTART]], %{{.+}}, %[[SUM]]
// CHECK: dlcc.add %[[KEPT]], %[[G]]#0

// `apply`: the update with the mean of the sums; the count back to 0.
// CHECK-LABEL: func.func @apply
// CHECK-SAME: (%[[COUNT:[^:]+]]: tensor<f32> {dlcc.state = @optimizer.micro_batches}, %[[LR:[^:]+]]: tensor<f32> {dlcc.state = @optimizer.lr}, %[[W:[^:]+]]: tensor<2x3xf32> {dlcc.state = @fc.weight}, %[[SUM:[^:]+]]: tensor<2x3xf32> {dlcc.state = @fc.weight.grad_accum}
// CHECK-SAME: -> (tensor<2x3xf32> {dlcc.tied_state = @fc.weight}, tensor<2xf32> {dlcc.tied_state = @bn.weight}, tensor<2xf32> {dlcc.tied_state = @bn.bias}, tensor<f32> {dlcc.tied_state = @optimizer.micro_batches})
// CHECK: %[[N:.+]] = dlcc.max %[[COUNT]]
// CHECK: %[[NB:.+]] = dlcc.broadcast_in_dim %[[N]]
// CHECK: %[[MEAN:.+]] = dlcc.div %[[SUM]], %[[NB]]
// CHECK: %[[LRB:.+]] = dlcc.broadcast_in_dim %[[LR]]
// CHECK: %[[STEP:.+]] = dlcc.mul %[[LRB]], %[[MEAN]]
// CHECK: %[[NEW:.+]] = dlcc.sub %[[W]], %[[STEP]]
// CHECK: %[[RESET:.+]] = dlcc.constant dense<0.000000e+00> : tensor<f32>
// CHECK: return %[[NEW]], %{{.+}}, %{{.+}}, %[[RESET]]
module {
  dlcc.state_slot parameter @fc.weight : tensor<2x3xf32> = dense<[[-0.1, 0.3, -0.5], [-0.4, -0.2, 0.2]]> : tensor<2x3xf32>
  dlcc.state_slot parameter @bn.weight : tensor<2xf32> = dense<1.0> : tensor<2xf32>
  dlcc.state_slot parameter @bn.bias : tensor<2xf32> = dense<0.0> : tensor<2xf32>
  dlcc.state_slot batch_norm_statistic @bn.running_mean : tensor<2xf32> = dense<0.0> : tensor<2xf32>
  dlcc.state_slot batch_norm_statistic @bn.running_var : tensor<2xf32> = dense<1.0> : tensor<2xf32>
  dlcc.state_slot rng @rng : tensor<2xi64> = dense<0> : tensor<2xi64>
  func.func @forward(%arg0: tensor<4x3xf32> {dlcc.input = "x"}, %arg1: tensor<2x3xf32> {dlcc.state = @fc.weight}, %arg2: tensor<2xf32> {dlcc.state = @bn.weight}, %arg3: tensor<2xf32> {dlcc.state = @bn.bias}, %arg4: tensor<2xf32> {dlcc.state = @bn.running_mean}, %arg5: tensor<2xf32> {dlcc.state = @bn.running_var}, %arg6: tensor<2xi64> {dlcc.state = @rng}) -> (tensor<4x2xf32> {dlcc.output = "y"}, tensor<2xf32> {dlcc.tied_state = @bn.running_mean}, tensor<2xf32> {dlcc.tied_state = @bn.running_var}, tensor<2xi64> {dlcc.tied_state = @rng}) {
    %0 = dlcc.transpose %arg1, permutation = [1, 0] : (tensor<2x3xf32>) -> tensor<3x2xf32>
    %1 = dlcc.matmul %arg0, %0 : (tensor<4x3xf32>, tensor<3x2xf32>) -> tensor<4x2xf32>
    %output, %batch_mean, %batch_var = dlcc.batch_norm_training %1, %arg2, %arg3, epsilon = 9.99999974E-6 : (tensor<4x2xf32>, tensor<2xf32>, tensor<2xf32>) -> (tensor<4x2xf32>, tensor<2xf32>, tensor<2xf32>)
    %momentum = dlcc.constant dense<0.9> : tensor<2xf32>
    %rest = dlcc.constant dense<0.1> : tensor<2xf32>
    %2 = dlcc.mul %batch_mean, %rest : tensor<2xf32>
    %3 = dlcc.mul %arg4, %momentum : tensor<2xf32>
    %4 = dlcc.add %3, %2 : tensor<2xf32>
    %5 = dlcc.mul %batch_var, %rest : tensor<2xf32>
    %6 = dlcc.mul %arg5, %momentum : tensor<2xf32>
    %7 = dlcc.add %6, %5 : tensor<2xf32>
    %8 = dlcc.dropout_mask %arg6, ratio = 2.500000e-01 : (tensor<2xi64>) -> tensor<4x2xi1>
    %scale = dlcc.constant dense<1.33333337> : tensor<4x2xf32>
    %9 = dlcc.mul %output, %scale : tensor<4x2xf32>
    %zero = dlcc.constant dense<0.0> : tensor<4x2xf32>
    %10 = dlcc.select %8, %9, %zero : tensor<4x2xi1>, tensor<4x2xf32>
    %step = dlcc.constant dense<[0, 1]> : tensor<2xi64>
    %11 = dlcc.add %arg6, %step : tensor<2xi64>
    return %10, %4, %7, %11 : tensor<4x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xi64>
  }
}

// -----

// Running statistics fed as graph inputs are not state: `forward` and
// `eval` keep the batch statistics and say so.
// CHECK-LABEL: func.func @forward
// CHECK: dlcc.batch_norm_training
module {
  dlcc.state_slot parameter @scale : tensor<2xf32> = dense<1.0> : tensor<2xf32>
  func.func @forward(%x: tensor<4x2xf32> {dlcc.input = "x"}, %scale: tensor<2xf32> {dlcc.state = @scale}, %offset: tensor<2xf32> {dlcc.input = "offset"}) -> (tensor<4x2xf32> {dlcc.output = "y"}, tensor<2xf32> {dlcc.output = "mean"}) {
    // expected-warning @+1 {{running statistics are not initializers}}
    %y, %mean, %var = dlcc.batch_norm_training %x, %scale, %offset, epsilon = 1.0E-5 : (tensor<4x2xf32>, tensor<2xf32>, tensor<2xf32>) -> (tensor<4x2xf32>, tensor<2xf32>, tensor<2xf32>)
    return %y, %mean : tensor<4x2xf32>, tensor<2xf32>
  }
}

// -----

// A selection by a dropout mask that is not the dropout itself has no
// known inference form (with the mask all true it would keep the other
// branch's value silently): an error.
module {
  dlcc.state_slot parameter @w : tensor<4x2xf32> = dense<1.0> : tensor<4x2xf32>
  dlcc.state_slot rng @rng : tensor<2xi64> = dense<0> : tensor<2xi64>
  func.func @forward(%x: tensor<4x2xf32> {dlcc.input = "x"}, %w: tensor<4x2xf32> {dlcc.state = @w}, %key: tensor<2xi64> {dlcc.state = @rng}) -> (tensor<4x2xf32> {dlcc.output = "y"}) {
    %y = dlcc.mul %x, %w : tensor<4x2xf32>
    %keep = dlcc.dropout_mask %key, ratio = 5.000000e-01 : (tensor<2xi64>) -> tensor<4x2xi1>
    // expected-error @+1 {{this selection by a dropout mask is not the dropout}}
    %r = dlcc.select %keep, %y, %x : tensor<4x2xi1>, tensor<4x2xf32>
    return %r : tensor<4x2xf32>
  }
}
