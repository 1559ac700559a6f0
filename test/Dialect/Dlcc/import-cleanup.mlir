// RUN: dlcc-opt %s --dlcc-import-cleanup | FileCheck %s

// The registered pipeline that `dlcc --emit=mlir` runs after ONNX import:
// canonicalization (folds) followed by CSE.

// Duplicate pure ops are merged, constants are folded, identities and dead
// ops disappear.
// CHECK-LABEL: func.func @folds_and_cses
// CHECK-SAME: (%[[X:.+]]: tensor<4xf32>)
// CHECK-NEXT: %[[C:.+]] = dlcc.constant dense<3.000000e+00> : tensor<4xf32>
// CHECK-NEXT: %[[E:.+]] = dlcc.exp %[[X]] : tensor<4xf32>
// CHECK-NEXT: %[[M:.+]] = dlcc.mul %[[E]], %[[C]] : tensor<4xf32>
// CHECK-NEXT: %[[A:.+]] = dlcc.add %[[M]], %[[M]] : tensor<4xf32>
// CHECK-NEXT: return %[[A]] : tensor<4xf32>
func.func @folds_and_cses(%x: tensor<4xf32>) -> tensor<4xf32> {
  %one = dlcc.constant dense<1.0> : tensor<4xf32>
  %two = dlcc.constant dense<2.0> : tensor<4xf32>
  %three = dlcc.add %one, %two : tensor<4xf32>
  %e0 = dlcc.exp %x : tensor<4xf32>
  %e1 = dlcc.exp %x : tensor<4xf32>
  %i0 = dlcc.mul %e0, %one : tensor<4xf32>
  %m0 = dlcc.mul %i0, %three : tensor<4xf32>
  %m1 = dlcc.mul %e1, %three : tensor<4xf32>
  %dead = dlcc.tanh %m0 : tensor<4xf32>
  %r = dlcc.add %m0, %m1 : tensor<4xf32>
  return %r : tensor<4xf32>
}

// The importer's explicit broadcasts and reshapes collapse; equal constants
// are shared.
// CHECK-LABEL: func.func @broadcast_reshape_cleanup
// CHECK-SAME: (%[[B:.+]]: tensor<8xf32>, %[[X:.+]]: tensor<2x4x8xf32>)
// CHECK-NEXT: %[[Z:.+]] = dlcc.constant dense<0.000000e+00> : tensor<2x4x8xf32>
// CHECK-NEXT: %[[BB:.+]] = dlcc.broadcast_in_dim %[[B]], dims = [2] : (tensor<8xf32>) -> tensor<2x4x8xf32>
// CHECK-NEXT: %[[S:.+]] = dlcc.add %[[X]], %[[BB]] : tensor<2x4x8xf32>
// CHECK-NEXT: %[[R:.+]] = dlcc.max %[[S]], %[[Z]] : tensor<2x4x8xf32>
// CHECK-NEXT: %[[F:.+]] = dlcc.reshape %[[R]] : (tensor<2x4x8xf32>) -> tensor<64xf32>
// CHECK-NEXT: return %[[F]], %[[F]] : tensor<64xf32>, tensor<64xf32>
func.func @broadcast_reshape_cleanup(%bias: tensor<8xf32>, %x: tensor<2x4x8xf32>)
    -> (tensor<64xf32>, tensor<64xf32>) {
  %b0 = dlcc.broadcast_in_dim %bias, dims = [1] : (tensor<8xf32>) -> tensor<4x8xf32>
  %b1 = dlcc.broadcast_in_dim %b0, dims = [1, 2] : (tensor<4x8xf32>) -> tensor<2x4x8xf32>
  %s = dlcc.add %x, %b1 : tensor<2x4x8xf32>
  %z0 = dlcc.constant dense<0.0> : tensor<f32>
  %z = dlcc.broadcast_in_dim %z0, dims = [] : (tensor<f32>) -> tensor<2x4x8xf32>
  %r = dlcc.max %s, %z : tensor<2x4x8xf32>
  %f0 = dlcc.reshape %r : (tensor<2x4x8xf32>) -> tensor<8x8xf32>
  %f1 = dlcc.reshape %f0 : (tensor<8x8xf32>) -> tensor<64xf32>
  %g = dlcc.reshape %r : (tensor<2x4x8xf32>) -> tensor<64xf32>
  return %f1, %g : tensor<64xf32>, tensor<64xf32>
}
