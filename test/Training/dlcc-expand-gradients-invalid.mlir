// RUN: dlcc-opt %s --dlcc-expand-gradients --split-input-file --verify-diagnostics

// An active op without a VJP rule is an error naming it.
func.func @no_rule(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{no gradient rule for 'dlcc.cumsum', which lies between a differentiated value and the loss}}
  %c = dlcc.cumsum %x, dim = 0 : tensor<4xf32>
  %s = dlcc.reduce sum %c, dims = [0] : (tensor<4xf32>) -> tensor<f32>
  %g = dlcc.gradient %s wrt %x : (tensor<f32>, tensor<4xf32>) -> tensor<4xf32>
  return %g : tensor<4xf32>
}
