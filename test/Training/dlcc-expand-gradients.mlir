// RUN: dlcc-opt %s --dlcc-expand-gradients --split-input-file | FileCheck %s

// d/dw sum(x * w) = x: the cotangent 1 of the sum broadcast back, times x.
// The rule's cotangent for x (inactive) is dead and erased.
// CHECK-LABEL: func.func @mul
// CHECK-SAME: (%[[X:.+]]: tensor<4xf32>, %[[W:.+]]: tensor<4xf32>)
// CHECK: %[[ONE:.+]] = dlcc.constant dense<1.000000e+00> : tensor<f32>
// CHECK: %[[B:.+]] = dlcc.broadcast_in_dim %[[ONE]], dims = [] : (tensor<f32>) -> tensor<4xf32>
// CHECK-NOT: dlcc.mul %[[B]], %[[W]]
// CHECK: %[[G:.+]] = dlcc.mul %[[B]], %[[X]] : tensor<4xf32>
// CHECK-NOT: dlcc.gradient
// CHECK: return %[[G]]
func.func @mul(%x: tensor<4xf32>, %w: tensor<4xf32>) -> tensor<4xf32> {
  %y = dlcc.mul %x, %w : tensor<4xf32>
  %s = dlcc.reduce sum %y, dims = [0] : (tensor<4xf32>) -> tensor<f32>
  %g = dlcc.gradient %s wrt %w : (tensor<f32>, tensor<4xf32>) -> tensor<4xf32>
  return %g : tensor<4xf32>
}

// -----

// A value used twice gets the sum of its cotangents: d/dx sum(x * x) is
// g*x + g*x.
// CHECK-LABEL: func.func @square
// CHECK-SAME: (%[[X:.+]]: tensor<4xf32>)
// CHECK: %[[B:.+]] = dlcc.broadcast_in_dim
// CHECK: %[[A:.+]] = dlcc.mul %[[B]], %[[X]] : tensor<4xf32>
// CHECK: %[[C:.+]] = dlcc.mul %[[B]], %[[X]] : tensor<4xf32>
// CHECK: %[[G:.+]] = dlcc.add %[[A]], %[[C]] : tensor<4xf32>
// CHECK: return %[[G]]
func.func @square(%x: tensor<4xf32>) -> tensor<4xf32> {
  %y = dlcc.mul %x, %x : tensor<4xf32>
  %s = dlcc.reduce sum %y, dims = [0] : (tensor<4xf32>) -> tensor<f32>
  %g = dlcc.gradient %s wrt %x : (tensor<f32>, tensor<4xf32>) -> tensor<4xf32>
  return %g : tensor<4xf32>
}

// -----

// Activity: u does not reach the loss, so its gradient is zero and nothing
// is differentiated for it; the integer index computation needs no rule.
// CHECK-LABEL: func.func @inactive
// CHECK: %[[Z:.+]] = dlcc.constant dense<0.000000e+00> : tensor<3xf32>
// CHECK: return %{{.+}}, %[[Z]]
func.func @inactive(%x: tensor<4xf32>, %u: tensor<3xf32>, %i: tensor<4xi64>) -> (tensor<4xf32>, tensor<3xf32>) {
  %c = dlcc.cumsum %i, dim = 0 : tensor<4xi64>
  %f = dlcc.convert %c : (tensor<4xi64>) -> tensor<4xf32>
  %y = dlcc.mul %x, %f : tensor<4xf32>
  %s = dlcc.reduce sum %y, dims = [0] : (tensor<4xf32>) -> tensor<f32>
  %g:2 = dlcc.gradient %s wrt %x, %u : (tensor<f32>, tensor<4xf32>, tensor<3xf32>) -> (tensor<4xf32>, tensor<3xf32>)
  return %g#0, %g#1 : tensor<4xf32>, tensor<3xf32>
}
