// RUN: dlcc-opt %s --dlcc-expand-gradients --split-input-file --verify-diagnostics

// An active op without a VJP rule is an error naming it.
func.func @no_rule(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{no gradient rule for 'dlcc.resize', which lies between a differentiated value and the loss}}
  %r = dlcc.resize nearest asymmetric floor %x, scales = [1.0, 2.0] {cubic_coeff_a = -7.500000e-01 : f64, exclude_outside = false, extrapolation_value = 0.000000e+00 : f64, roi = array<f64>} : (tensor<2x3xf32>) -> tensor<2x6xf32>
  %s = dlcc.reduce sum %r, dims = [0, 1] : (tensor<2x6xf32>) -> tensor<f32>
  %g = dlcc.gradient %s wrt %x : (tensor<f32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return %g : tensor<2x3xf32>
}
