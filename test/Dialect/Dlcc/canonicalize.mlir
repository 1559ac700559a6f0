// RUN: dlcc-opt %s --canonicalize --split-input-file | FileCheck %s

// Folders and canonicalization patterns of lib/Dialect/Dlcc/IR/DlccFolds.cpp.

//===----------------------------------------------------------------------===//
// Constant folding of elementwise arithmetic
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @fold_int_splats
// CHECK-DAG: %[[ADD:.+]] = dlcc.constant dense<5> : tensor<4xi32>
// CHECK-DAG: %[[SUB:.+]] = dlcc.constant dense<-1> : tensor<4xi32>
// CHECK-DAG: %[[MUL:.+]] = dlcc.constant dense<6> : tensor<4xi32>
// CHECK-DAG: %[[MAX:.+]] = dlcc.constant dense<3> : tensor<4xi32>
// CHECK-DAG: %[[MIN:.+]] = dlcc.constant dense<2> : tensor<4xi32>
// CHECK-DAG: %[[NEG:.+]] = dlcc.constant dense<-2> : tensor<4xi32>
// CHECK-NOT: dlcc.add
// CHECK-NOT: dlcc.sub
// CHECK-NOT: dlcc.mul
// CHECK-NOT: dlcc.max
// CHECK-NOT: dlcc.min
// CHECK-NOT: dlcc.neg
// CHECK: return %[[ADD]], %[[SUB]], %[[MUL]], %[[MAX]], %[[MIN]], %[[NEG]]
func.func @fold_int_splats() -> (tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xi32>,
                                 tensor<4xi32>, tensor<4xi32>) {
  %a = dlcc.constant dense<2> : tensor<4xi32>
  %b = dlcc.constant dense<3> : tensor<4xi32>
  %0 = dlcc.add %a, %b : tensor<4xi32>
  %1 = dlcc.sub %a, %b : tensor<4xi32>
  %2 = dlcc.mul %a, %b : tensor<4xi32>
  %3 = dlcc.max %a, %b : tensor<4xi32>
  %4 = dlcc.min %a, %b : tensor<4xi32>
  %5 = dlcc.neg %a : tensor<4xi32>
  return %0, %1, %2, %3, %4, %5
      : tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xi32>
}

// -----

// CHECK-LABEL: func.func @fold_float_splats
// CHECK-DAG: %[[ADD:.+]] = dlcc.constant dense<3.500000e+00> : tensor<2x2xf32>
// CHECK-DAG: %[[SUB:.+]] = dlcc.constant dense<-5.000000e-01> : tensor<2x2xf32>
// CHECK-DAG: %[[MUL:.+]] = dlcc.constant dense<3.000000e+00> : tensor<2x2xf32>
// CHECK-DAG: %[[MAX:.+]] = dlcc.constant dense<2.000000e+00> : tensor<2x2xf32>
// CHECK-DAG: %[[MIN:.+]] = dlcc.constant dense<1.500000e+00> : tensor<2x2xf32>
// CHECK-DAG: %[[NEG:.+]] = dlcc.constant dense<-1.500000e+00> : tensor<2x2xf32>
// CHECK-NOT: dlcc.add
// CHECK-NOT: dlcc.sub
// CHECK-NOT: dlcc.mul
// CHECK-NOT: dlcc.max
// CHECK-NOT: dlcc.min
// CHECK-NOT: dlcc.neg
// CHECK: return %[[ADD]], %[[SUB]], %[[MUL]], %[[MAX]], %[[MIN]], %[[NEG]]
func.func @fold_float_splats() -> (tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>,
                                   tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>) {
  %a = dlcc.constant dense<1.5> : tensor<2x2xf32>
  %b = dlcc.constant dense<2.0> : tensor<2x2xf32>
  %0 = dlcc.add %a, %b : tensor<2x2xf32>
  %1 = dlcc.sub %a, %b : tensor<2x2xf32>
  %2 = dlcc.mul %a, %b : tensor<2x2xf32>
  %3 = dlcc.max %a, %b : tensor<2x2xf32>
  %4 = dlcc.min %a, %b : tensor<2x2xf32>
  %5 = dlcc.neg %a : tensor<2x2xf32>
  return %0, %1, %2, %3, %4, %5 : tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>,
                                  tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>
}

// -----

// CHECK-LABEL: func.func @fold_int_dense
// CHECK-DAG: %[[ADD:.+]] = dlcc.constant dense<[11, -18, 33]> : tensor<3xi64>
// CHECK-DAG: %[[SUB:.+]] = dlcc.constant dense<[-9, 22, -27]> : tensor<3xi64>
// CHECK-DAG: %[[MUL:.+]] = dlcc.constant dense<[10, -40, 90]> : tensor<3xi64>
// CHECK-DAG: %[[MAX:.+]] = dlcc.constant dense<[10, 2, 30]> : tensor<3xi64>
// CHECK-DAG: %[[MIN:.+]] = dlcc.constant dense<[1, -20, 3]> : tensor<3xi64>
// CHECK-DAG: %[[NEG:.+]] = dlcc.constant dense<[-1, -2, -3]> : tensor<3xi64>
// CHECK: return %[[ADD]], %[[SUB]], %[[MUL]], %[[MAX]], %[[MIN]], %[[NEG]]
func.func @fold_int_dense() -> (tensor<3xi64>, tensor<3xi64>, tensor<3xi64>, tensor<3xi64>,
                                tensor<3xi64>, tensor<3xi64>) {
  %a = dlcc.constant dense<[1, 2, 3]> : tensor<3xi64>
  %b = dlcc.constant dense<[10, -20, 30]> : tensor<3xi64>
  %0 = dlcc.add %a, %b : tensor<3xi64>
  %1 = dlcc.sub %a, %b : tensor<3xi64>
  %2 = dlcc.mul %a, %b : tensor<3xi64>
  %3 = dlcc.max %a, %b : tensor<3xi64>
  %4 = dlcc.min %a, %b : tensor<3xi64>
  %5 = dlcc.neg %a : tensor<3xi64>
  return %0, %1, %2, %3, %4, %5
      : tensor<3xi64>, tensor<3xi64>, tensor<3xi64>, tensor<3xi64>, tensor<3xi64>, tensor<3xi64>
}

// -----

// CHECK-LABEL: func.func @fold_float_dense
// CHECK-DAG: %[[ADD:.+]] = dlcc.constant dense<[1.500000e+00, 4.500000e+00]> : tensor<2xf64>
// CHECK-DAG: %[[SUB:.+]] = dlcc.constant dense<[5.000000e-01, -5.000000e-01]> : tensor<2xf64>
// CHECK-DAG: %[[MUL:.+]] = dlcc.constant dense<[5.000000e-01, 5.000000e+00]> : tensor<2xf64>
// CHECK-DAG: %[[MAX:.+]] = dlcc.constant dense<[1.000000e+00, 2.500000e+00]> : tensor<2xf64>
// CHECK-DAG: %[[MIN:.+]] = dlcc.constant dense<[5.000000e-01, 2.000000e+00]> : tensor<2xf64>
// CHECK-DAG: %[[NEG:.+]] = dlcc.constant dense<[-1.000000e+00, -2.000000e+00]> : tensor<2xf64>
// CHECK: return %[[ADD]], %[[SUB]], %[[MUL]], %[[MAX]], %[[MIN]], %[[NEG]]
func.func @fold_float_dense() -> (tensor<2xf64>, tensor<2xf64>, tensor<2xf64>, tensor<2xf64>,
                                  tensor<2xf64>, tensor<2xf64>) {
  %a = dlcc.constant dense<[1.0, 2.0]> : tensor<2xf64>
  %b = dlcc.constant dense<[0.5, 2.5]> : tensor<2xf64>
  %0 = dlcc.add %a, %b : tensor<2xf64>
  %1 = dlcc.sub %a, %b : tensor<2xf64>
  %2 = dlcc.mul %a, %b : tensor<2xf64>
  %3 = dlcc.max %a, %b : tensor<2xf64>
  %4 = dlcc.min %a, %b : tensor<2xf64>
  %5 = dlcc.neg %a : tensor<2xf64>
  return %0, %1, %2, %3, %4, %5
      : tensor<2xf64>, tensor<2xf64>, tensor<2xf64>, tensor<2xf64>, tensor<2xf64>, tensor<2xf64>
}

// -----

// A splat folds against a dense constant.
// CHECK-LABEL: func.func @fold_splat_with_dense
// CHECK: %[[C:.+]] = dlcc.constant dense<[11, 12, 13]> : tensor<3xi32>
// CHECK-NOT: dlcc.add
// CHECK: return %[[C]]
func.func @fold_splat_with_dense() -> tensor<3xi32> {
  %a = dlcc.constant dense<[1, 2, 3]> : tensor<3xi32>
  %b = dlcc.constant dense<10> : tensor<3xi32>
  %0 = dlcc.add %a, %b : tensor<3xi32>
  return %0 : tensor<3xi32>
}

// -----

// max and min compare unsigned integers as unsigned.
// CHECK-LABEL: func.func @fold_unsigned_max_min
// CHECK-DAG: %[[MAX:.+]] = dlcc.constant dense<200> : tensor<2xui8>
// CHECK-DAG: %[[MIN:.+]] = dlcc.constant dense<100> : tensor<2xui8>
// CHECK: return %[[MAX]], %[[MIN]]
func.func @fold_unsigned_max_min() -> (tensor<2xui8>, tensor<2xui8>) {
  %a = dlcc.constant dense<200> : tensor<2xui8>
  %b = dlcc.constant dense<100> : tensor<2xui8>
  %0 = dlcc.max %a, %b : tensor<2xui8>
  %1 = dlcc.min %a, %b : tensor<2xui8>
  return %0, %1 : tensor<2xui8>, tensor<2xui8>
}

// -----

// Float max and min propagate NaN.
// CHECK-LABEL: func.func @fold_float_max_min_nan
// CHECK: %[[NAN:.+]] = dlcc.constant dense<0x7FC00000> : tensor<2xf32>
// CHECK-NOT: dlcc.max
// CHECK-NOT: dlcc.min
// CHECK: return %[[NAN]], %[[NAN]]
func.func @fold_float_max_min_nan() -> (tensor<2xf32>, tensor<2xf32>) {
  %nan = dlcc.constant dense<0x7FC00000> : tensor<2xf32>
  %one = dlcc.constant dense<1.0> : tensor<2xf32>
  %0 = dlcc.max %one, %nan : tensor<2xf32>
  %1 = dlcc.min %nan, %one : tensor<2xf32>
  return %0, %1 : tensor<2xf32>, tensor<2xf32>
}

// -----

// Chains of foldable ops collapse into one constant.
// CHECK-LABEL: func.func @fold_chain
// CHECK: %[[C:.+]] = dlcc.constant dense<-9.000000e+00> : tensor<4xf32>
// CHECK-NEXT: return %[[C]]
func.func @fold_chain() -> tensor<4xf32> {
  %a = dlcc.constant dense<1.0> : tensor<4xf32>
  %b = dlcc.constant dense<2.0> : tensor<4xf32>
  %0 = dlcc.add %a, %b : tensor<4xf32>
  %1 = dlcc.mul %0, %0 : tensor<4xf32>
  %2 = dlcc.neg %1 : tensor<4xf32>
  return %2 : tensor<4xf32>
}

// -----

// Ops without folders are left alone even on constants.
// CHECK-LABEL: func.func @no_fold_div
// CHECK: dlcc.div
func.func @no_fold_div() -> tensor<2xf32> {
  %a = dlcc.constant dense<1.0> : tensor<2xf32>
  %b = dlcc.constant dense<2.0> : tensor<2xf32>
  %0 = dlcc.div %a, %b : tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// dense_resource constants are opaque to the folders.
// CHECK-LABEL: func.func @no_fold_dense_resource
// CHECK: %[[R:.+]] = dlcc.constant dense_resource<blob1> : tensor<2xf32>
// CHECK: %[[S:.+]] = dlcc.add %[[R]], %[[R]] : tensor<2xf32>
// CHECK: return %[[S]]
func.func @no_fold_dense_resource() -> tensor<2xf32> {
  %r = dlcc.constant dense_resource<blob1> : tensor<2xf32>
  %0 = dlcc.add %r, %r : tensor<2xf32>
  return %0 : tensor<2xf32>
}

{-#
  dialect_resources: {
    builtin: {
      blob1: "0x040000000000803F00000040"
    }
  }
#-}

//===----------------------------------------------------------------------===//
// Algebraic identities
//===----------------------------------------------------------------------===//

// -----

// CHECK-LABEL: func.func @mul_by_one_float
// CHECK-SAME: (%[[X:.+]]: tensor<4xf32>)
// CHECK-NOT: dlcc.mul
// CHECK: return %[[X]], %[[X]]
func.func @mul_by_one_float(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %one = dlcc.constant dense<1.0> : tensor<4xf32>
  %0 = dlcc.mul %x, %one : tensor<4xf32>
  %1 = dlcc.mul %one, %x : tensor<4xf32>
  return %0, %1 : tensor<4xf32>, tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @mul_by_one_low_precision
// CHECK-SAME: (%[[X:.+]]: tensor<4xbf16>, %[[Y:.+]]: tensor<4xf16>)
// CHECK-NOT: dlcc.mul
// CHECK: return %[[X]], %[[Y]]
func.func @mul_by_one_low_precision(%x: tensor<4xbf16>, %y: tensor<4xf16>)
    -> (tensor<4xbf16>, tensor<4xf16>) {
  %one = dlcc.constant dense<1.0> : tensor<4xbf16>
  %one16 = dlcc.constant dense<1.0> : tensor<4xf16>
  %0 = dlcc.mul %x, %one : tensor<4xbf16>
  %1 = dlcc.mul %y, %one16 : tensor<4xf16>
  return %0, %1 : tensor<4xbf16>, tensor<4xf16>
}

// -----

// CHECK-LABEL: func.func @mul_by_one_int
// CHECK-SAME: (%[[X:.+]]: tensor<4xi32>)
// CHECK-NOT: dlcc.mul
// CHECK: return %[[X]]
func.func @mul_by_one_int(%x: tensor<4xi32>) -> tensor<4xi32> {
  %one = dlcc.constant dense<1> : tensor<4xi32>
  %0 = dlcc.mul %x, %one : tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

// x * 2 is not an identity.
// CHECK-LABEL: func.func @mul_by_two_kept
// CHECK-SAME: (%[[X:.+]]: tensor<4xf32>)
// CHECK: %[[C:.+]] = dlcc.constant dense<2.000000e+00> : tensor<4xf32>
// CHECK: %[[R:.+]] = dlcc.mul %[[X]], %[[C]] : tensor<4xf32>
// CHECK: return %[[R]]
func.func @mul_by_two_kept(%x: tensor<4xf32>) -> tensor<4xf32> {
  %two = dlcc.constant dense<2.0> : tensor<4xf32>
  %0 = dlcc.mul %x, %two : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Integer x + 0, 0 + x (the constant moves to the right) and x - 0 fold.
// CHECK-LABEL: func.func @add_sub_zero_int
// CHECK-SAME: (%[[X:.+]]: tensor<4xi64>)
// CHECK-NOT: dlcc.add
// CHECK-NOT: dlcc.sub
// CHECK: return %[[X]], %[[X]], %[[X]]
func.func @add_sub_zero_int(%x: tensor<4xi64>) -> (tensor<4xi64>, tensor<4xi64>, tensor<4xi64>) {
  %zero = dlcc.constant dense<0> : tensor<4xi64>
  %0 = dlcc.add %x, %zero : tensor<4xi64>
  %1 = dlcc.add %zero, %x : tensor<4xi64>
  %2 = dlcc.sub %x, %zero : tensor<4xi64>
  return %0, %1, %2 : tensor<4xi64>, tensor<4xi64>, tensor<4xi64>
}

// -----

// Float x + 0.0 is not x (-0.0 + 0.0 is +0.0): it stays.
// CHECK-LABEL: func.func @add_zero_float_kept
// CHECK-SAME: (%[[X:.+]]: tensor<4xf32>)
// CHECK: %[[Z:.+]] = dlcc.constant dense<0.000000e+00> : tensor<4xf32>
// CHECK: %[[R:.+]] = dlcc.add %[[X]], %[[Z]] : tensor<4xf32>
// CHECK: return %[[R]]
func.func @add_zero_float_kept(%x: tensor<4xf32>) -> tensor<4xf32> {
  %zero = dlcc.constant dense<0.0> : tensor<4xf32>
  %0 = dlcc.add %x, %zero : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Subtracting a constant from itself is not folded to zero for non-constants.
// CHECK-LABEL: func.func @sub_self_kept
// CHECK-SAME: (%[[X:.+]]: tensor<4xi32>)
// CHECK: %[[R:.+]] = dlcc.sub %[[X]], %[[X]] : tensor<4xi32>
// CHECK: return %[[R]]
func.func @sub_self_kept(%x: tensor<4xi32>) -> tensor<4xi32> {
  %0 = dlcc.sub %x, %x : tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

// CHECK-LABEL: func.func @max_min_same_operand
// CHECK-SAME: (%[[X:.+]]: tensor<4xf32>)
// CHECK-NOT: dlcc.max
// CHECK-NOT: dlcc.min
// CHECK: return %[[X]], %[[X]]
func.func @max_min_same_operand(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %0 = dlcc.max %x, %x : tensor<4xf32>
  %1 = dlcc.min %x, %x : tensor<4xf32>
  return %0, %1 : tensor<4xf32>, tensor<4xf32>
}

//===----------------------------------------------------------------------===//
// select and convert
//===----------------------------------------------------------------------===//

// -----

// CHECK-LABEL: func.func @select_constant_predicate
// CHECK-SAME: (%[[A:.+]]: tensor<4xf32>, %[[B:.+]]: tensor<4xf32>)
// CHECK-NOT: dlcc.select
// CHECK: return %[[A]], %[[B]]
func.func @select_constant_predicate(%a: tensor<4xf32>, %b: tensor<4xf32>)
    -> (tensor<4xf32>, tensor<4xf32>) {
  %t = dlcc.constant dense<true> : tensor<4xi1>
  %f = dlcc.constant dense<false> : tensor<4xi1>
  %0 = dlcc.select %t, %a, %b : tensor<4xi1>, tensor<4xf32>
  %1 = dlcc.select %f, %a, %b : tensor<4xi1>, tensor<4xf32>
  return %0, %1 : tensor<4xf32>, tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @select_same_operands
// CHECK-SAME: (%[[P:.+]]: tensor<4xi1>, %[[A:.+]]: tensor<4xf32>)
// CHECK-NOT: dlcc.select
// CHECK: return %[[A]]
func.func @select_same_operands(%p: tensor<4xi1>, %a: tensor<4xf32>) -> tensor<4xf32> {
  %0 = dlcc.select %p, %a, %a : tensor<4xi1>, tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// A non-splat constant predicate is not folded.
// CHECK-LABEL: func.func @select_mixed_predicate_kept
// CHECK-SAME: (%[[A:.+]]: tensor<2xf32>, %[[B:.+]]: tensor<2xf32>)
// CHECK: %[[P:.+]] = dlcc.constant dense<[true, false]> : tensor<2xi1>
// CHECK: %[[R:.+]] = dlcc.select %[[P]], %[[A]], %[[B]] : tensor<2xi1>, tensor<2xf32>
// CHECK: return %[[R]]
func.func @select_mixed_predicate_kept(%a: tensor<2xf32>, %b: tensor<2xf32>) -> tensor<2xf32> {
  %p = dlcc.constant dense<[true, false]> : tensor<2xi1>
  %0 = dlcc.select %p, %a, %b : tensor<2xi1>, tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// CHECK-LABEL: func.func @convert_identity
// CHECK-SAME: (%[[X:.+]]: tensor<4xf32>)
// CHECK-NOT: dlcc.convert
// CHECK: return %[[X]]
func.func @convert_identity(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = dlcc.convert %x : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @convert_kept
// CHECK-SAME: (%[[X:.+]]: tensor<4xf32>)
// CHECK: %[[R:.+]] = dlcc.convert %[[X]] : (tensor<4xf32>) -> tensor<4xbf16>
// CHECK: return %[[R]]
func.func @convert_kept(%x: tensor<4xf32>) -> tensor<4xbf16> {
  %0 = dlcc.convert %x : (tensor<4xf32>) -> tensor<4xbf16>
  return %0 : tensor<4xbf16>
}

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

// -----

// CHECK-LABEL: func.func @broadcast_identity
// CHECK-SAME: (%[[X:.+]]: tensor<4x8xf32>)
// CHECK-NOT: dlcc.broadcast_in_dim
// CHECK: return %[[X]]
func.func @broadcast_identity(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %0 = dlcc.broadcast_in_dim %x, dims = [0, 1] : (tensor<4x8xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

// broadcast_in_dim(broadcast_in_dim(x, [1]), [1, 2]) -> broadcast_in_dim(x, [2]).
// CHECK-LABEL: func.func @broadcast_of_broadcast
// CHECK-SAME: (%[[X:.+]]: tensor<8xf32>)
// CHECK: %[[R:.+]] = dlcc.broadcast_in_dim %[[X]], dims = [2] : (tensor<8xf32>) -> tensor<2x4x8xf32>
// CHECK-NOT: dlcc.broadcast_in_dim
// CHECK: return %[[R]]
func.func @broadcast_of_broadcast(%x: tensor<8xf32>) -> tensor<2x4x8xf32> {
  %0 = dlcc.broadcast_in_dim %x, dims = [1] : (tensor<8xf32>) -> tensor<4x8xf32>
  %1 = dlcc.broadcast_in_dim %0, dims = [1, 2] : (tensor<4x8xf32>) -> tensor<2x4x8xf32>
  return %1 : tensor<2x4x8xf32>
}

// -----

// The inner broadcast's size-1 dimension keeps broadcasting in the composition.
// CHECK-LABEL: func.func @broadcast_of_broadcast_size_one
// CHECK-SAME: (%[[X:.+]]: tensor<1x3xf32>)
// CHECK: %[[R:.+]] = dlcc.broadcast_in_dim %[[X]], dims = [0, 2] : (tensor<1x3xf32>) -> tensor<5x2x3xf32>
// CHECK-NOT: dlcc.broadcast_in_dim
// CHECK: return %[[R]]
func.func @broadcast_of_broadcast_size_one(%x: tensor<1x3xf32>) -> tensor<5x2x3xf32> {
  %0 = dlcc.broadcast_in_dim %x, dims = [0, 1] : (tensor<1x3xf32>) -> tensor<1x3xf32>
  %1 = dlcc.broadcast_in_dim %0, dims = [0, 2] : (tensor<1x3xf32>) -> tensor<5x2x3xf32>
  return %1 : tensor<5x2x3xf32>
}

// -----

// CHECK-LABEL: func.func @broadcast_splat
// CHECK: %[[C:.+]] = dlcc.constant dense<3.000000e+00> : tensor<4x8xf32>
// CHECK-NOT: dlcc.broadcast_in_dim
// CHECK: return %[[C]]
func.func @broadcast_splat() -> tensor<4x8xf32> {
  %c = dlcc.constant dense<3.0> : tensor<f32>
  %0 = dlcc.broadcast_in_dim %c, dims = [] : (tensor<f32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

// A non-splat constant is not materialized at the broadcast size.
// CHECK-LABEL: func.func @broadcast_dense_kept
// CHECK: %[[C:.+]] = dlcc.constant dense<[1, 2]> : tensor<2xi32>
// CHECK: %[[R:.+]] = dlcc.broadcast_in_dim %[[C]], dims = [1] : (tensor<2xi32>) -> tensor<3x2xi32>
// CHECK: return %[[R]]
func.func @broadcast_dense_kept() -> tensor<3x2xi32> {
  %c = dlcc.constant dense<[1, 2]> : tensor<2xi32>
  %0 = dlcc.broadcast_in_dim %c, dims = [1] : (tensor<2xi32>) -> tensor<3x2xi32>
  return %0 : tensor<3x2xi32>
}

// -----

// CHECK-LABEL: func.func @reshape_identity
// CHECK-SAME: (%[[X:.+]]: tensor<2x3xf32>)
// CHECK-NOT: dlcc.reshape
// CHECK: return %[[X]]
func.func @reshape_identity(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = dlcc.reshape %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @reshape_of_reshape
// CHECK-SAME: (%[[X:.+]]: tensor<2x3x4xf32>)
// CHECK: %[[R:.+]] = dlcc.reshape %[[X]] : (tensor<2x3x4xf32>) -> tensor<4x6xf32>
// CHECK-NOT: dlcc.reshape
// CHECK: return %[[R]]
func.func @reshape_of_reshape(%x: tensor<2x3x4xf32>) -> tensor<4x6xf32> {
  %0 = dlcc.reshape %x : (tensor<2x3x4xf32>) -> tensor<24xf32>
  %1 = dlcc.reshape %0 : (tensor<24xf32>) -> tensor<4x6xf32>
  return %1 : tensor<4x6xf32>
}

// -----

// A reshape back to the original type disappears.
// CHECK-LABEL: func.func @reshape_round_trip
// CHECK-SAME: (%[[X:.+]]: tensor<2x3xf32>)
// CHECK-NOT: dlcc.reshape
// CHECK: return %[[X]]
func.func @reshape_round_trip(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = dlcc.reshape %x : (tensor<2x3xf32>) -> tensor<6xf32>
  %1 = dlcc.reshape %0 : (tensor<6xf32>) -> tensor<2x3xf32>
  return %1 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @reshape_constant
// CHECK: %[[C:.+]] = dlcc.constant dense<{{\[}}[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi32>
// CHECK-NOT: dlcc.reshape
// CHECK: return %[[C]]
func.func @reshape_constant() -> tensor<2x3xi32> {
  %c = dlcc.constant dense<[1, 2, 3, 4, 5, 6]> : tensor<6xi32>
  %0 = dlcc.reshape %c : (tensor<6xi32>) -> tensor<2x3xi32>
  return %0 : tensor<2x3xi32>
}

// -----

// CHECK-LABEL: func.func @transpose_identity
// CHECK-SAME: (%[[X:.+]]: tensor<2x3xf32>)
// CHECK-NOT: dlcc.transpose
// CHECK: return %[[X]]
func.func @transpose_identity(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = dlcc.transpose %x, permutation = [0, 1] : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// A transpose with equal dimension sizes but a non-identity permutation stays.
// CHECK-LABEL: func.func @transpose_square_kept
// CHECK-SAME: (%[[X:.+]]: tensor<3x3xf32>)
// CHECK: %[[R:.+]] = dlcc.transpose %[[X]], permutation = [1, 0] : (tensor<3x3xf32>) -> tensor<3x3xf32>
// CHECK: return %[[R]]
func.func @transpose_square_kept(%x: tensor<3x3xf32>) -> tensor<3x3xf32> {
  %0 = dlcc.transpose %x, permutation = [1, 0] : (tensor<3x3xf32>) -> tensor<3x3xf32>
  return %0 : tensor<3x3xf32>
}

// -----

// Inverse transposes cancel.
// CHECK-LABEL: func.func @transpose_of_transpose_inverse
// CHECK-SAME: (%[[X:.+]]: tensor<2x3x4xf32>)
// CHECK-NOT: dlcc.transpose
// CHECK: return %[[X]]
func.func @transpose_of_transpose_inverse(%x: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
  %0 = dlcc.transpose %x, permutation = [2, 0, 1] : (tensor<2x3x4xf32>) -> tensor<4x2x3xf32>
  %1 = dlcc.transpose %0, permutation = [1, 2, 0] : (tensor<4x2x3xf32>) -> tensor<2x3x4xf32>
  return %1 : tensor<2x3x4xf32>
}

// -----

// transpose(transpose(x, p1), p2) -> transpose(x, p1∘p2).
// CHECK-LABEL: func.func @transpose_of_transpose
// CHECK-SAME: (%[[X:.+]]: tensor<2x3x4xf32>)
// CHECK: %[[R:.+]] = dlcc.transpose %[[X]], permutation = [2, 1, 0] : (tensor<2x3x4xf32>) -> tensor<4x3x2xf32>
// CHECK-NOT: dlcc.transpose
// CHECK: return %[[R]]
func.func @transpose_of_transpose(%x: tensor<2x3x4xf32>) -> tensor<4x3x2xf32> {
  %0 = dlcc.transpose %x, permutation = [1, 0, 2] : (tensor<2x3x4xf32>) -> tensor<3x2x4xf32>
  %1 = dlcc.transpose %0, permutation = [2, 0, 1] : (tensor<3x2x4xf32>) -> tensor<4x3x2xf32>
  return %1 : tensor<4x3x2xf32>
}

// -----

// CHECK-LABEL: func.func @slice_identity
// CHECK-SAME: (%[[X:.+]]: tensor<4x8xf32>)
// CHECK-NOT: dlcc.slice
// CHECK: return %[[X]]
func.func @slice_identity(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %0 = dlcc.slice %x, start = [0, 0], limit = [4, 8], strides = [1, 1]
      : (tensor<4x8xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

// CHECK-LABEL: func.func @slice_splat
// CHECK: %[[C:.+]] = dlcc.constant dense<7> : tensor<2x3xi64>
// CHECK-NOT: dlcc.slice
// CHECK: return %[[C]]
func.func @slice_splat() -> tensor<2x3xi64> {
  %c = dlcc.constant dense<7> : tensor<4x8xi64>
  %0 = dlcc.slice %c, start = [1, 2], limit = [3, 8], strides = [1, 2]
      : (tensor<4x8xi64>) -> tensor<2x3xi64>
  return %0 : tensor<2x3xi64>
}

// -----

// CHECK-LABEL: func.func @slice_kept
// CHECK-SAME: (%[[X:.+]]: tensor<4x8xf32>)
// CHECK: %[[R:.+]] = dlcc.slice %[[X]], start = [1, 0], limit = [3, 8], strides = [1, 1] : (tensor<4x8xf32>) -> tensor<2x8xf32>
// CHECK: return %[[R]]
func.func @slice_kept(%x: tensor<4x8xf32>) -> tensor<2x8xf32> {
  %0 = dlcc.slice %x, start = [1, 0], limit = [3, 8], strides = [1, 1]
      : (tensor<4x8xf32>) -> tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}

// -----

// Reversing dimensions of size 1 is the identity.
// CHECK-LABEL: func.func @reverse_size_one
// CHECK-SAME: (%[[X:.+]]: tensor<1x8x1xf32>)
// CHECK-NOT: dlcc.reverse
// CHECK: return %[[X]]
func.func @reverse_size_one(%x: tensor<1x8x1xf32>) -> tensor<1x8x1xf32> {
  %0 = dlcc.reverse %x, dims = [0, 2] : tensor<1x8x1xf32>
  return %0 : tensor<1x8x1xf32>
}

// -----

// CHECK-LABEL: func.func @reverse_kept
// CHECK-SAME: (%[[X:.+]]: tensor<1x8xf32>)
// CHECK: %[[R:.+]] = dlcc.reverse %[[X]], dims = [0, 1] : tensor<1x8xf32>
// CHECK: return %[[R]]
func.func @reverse_kept(%x: tensor<1x8xf32>) -> tensor<1x8xf32> {
  %0 = dlcc.reverse %x, dims = [0, 1] : tensor<1x8xf32>
  return %0 : tensor<1x8xf32>
}

// -----

// CHECK-LABEL: func.func @pad_identity
// CHECK-SAME: (%[[X:.+]]: tensor<4x8xf32>, %[[V:.+]]: tensor<f32>)
// CHECK-NOT: dlcc.pad
// CHECK: return %[[X]], %[[X]]
func.func @pad_identity(%x: tensor<4x8xf32>, %v: tensor<f32>) -> (tensor<4x8xf32>, tensor<4x8xf32>) {
  %0 = dlcc.pad constant %x, %v, low = [0, 0], high = [0, 0]
      : (tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xf32>
  %1 = dlcc.pad reflect %x, %v, low = [0, 0], high = [0, 0]
      : (tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xf32>
  return %0, %1 : tensor<4x8xf32>, tensor<4x8xf32>
}

// -----

// CHECK-LABEL: func.func @pad_kept
// CHECK-SAME: (%[[X:.+]]: tensor<4x8xf32>, %[[V:.+]]: tensor<f32>)
// CHECK: %[[R:.+]] = dlcc.pad edge %[[X]], %[[V]], low = [0, 1], high = [0, 0] : (tensor<4x8xf32>, tensor<f32>) -> tensor<4x9xf32>
// CHECK: return %[[R]]
func.func @pad_kept(%x: tensor<4x8xf32>, %v: tensor<f32>) -> tensor<4x9xf32> {
  %0 = dlcc.pad edge %x, %v, low = [0, 1], high = [0, 0]
      : (tensor<4x8xf32>, tensor<f32>) -> tensor<4x9xf32>
  return %0 : tensor<4x9xf32>
}

// -----

// CHECK-LABEL: func.func @concatenate_single_input
// CHECK-SAME: (%[[X:.+]]: tensor<2x3xf32>)
// CHECK-NOT: dlcc.concatenate
// CHECK: return %[[X]]
func.func @concatenate_single_input(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = dlcc.concatenate(%x) dim = 1 : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @concatenate_kept
// CHECK-SAME: (%[[X:.+]]: tensor<2x3xf32>, %[[Y:.+]]: tensor<2x1xf32>)
// CHECK: %[[R:.+]] = dlcc.concatenate(%[[X]], %[[Y]]) dim = 1 : (tensor<2x3xf32>, tensor<2x1xf32>) -> tensor<2x4xf32>
// CHECK: return %[[R]]
func.func @concatenate_kept(%x: tensor<2x3xf32>, %y: tensor<2x1xf32>) -> tensor<2x4xf32> {
  %0 = dlcc.concatenate(%x, %y) dim = 1 : (tensor<2x3xf32>, tensor<2x1xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// CHECK-LABEL: func.func @reduce_no_dims
// CHECK-SAME: (%[[X:.+]]: tensor<4x8xf32>)
// CHECK-NOT: dlcc.reduce
// CHECK: return %[[X]]
func.func @reduce_no_dims(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %0 = dlcc.reduce sum %x, dims = [] : (tensor<4x8xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

// CHECK-LABEL: func.func @reduce_kept
// CHECK-SAME: (%[[X:.+]]: tensor<4x8xf32>)
// CHECK: %[[R:.+]] = dlcc.reduce max %[[X]], dims = [1] : (tensor<4x8xf32>) -> tensor<4xf32>
// CHECK: return %[[R]]
func.func @reduce_kept(%x: tensor<4x8xf32>) -> tensor<4xf32> {
  %0 = dlcc.reduce max %x, dims = [1] : (tensor<4x8xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

//===----------------------------------------------------------------------===//
// Parameters
//===----------------------------------------------------------------------===//

// -----

// Parameters are function arguments: folds only remove identities around
// them and never turn them (or anything computed from them) into constants.
// CHECK: dlcc.state_slot parameter @w : tensor<4xf32> = dense<1.000000e+00> : tensor<4xf32>
// CHECK-LABEL: func.func @parameter_not_folded
// CHECK-SAME: (%[[W:.+]]: tensor<4xf32> {dlcc.state = @w}, %[[X:.+]]: tensor<4xf32>)
// The only constant left is the 2.0 that was in the input.
// CHECK-NEXT: %[[TWO:.+]] = dlcc.constant dense<2.000000e+00> : tensor<4xf32>
// CHECK-NEXT: %[[S:.+]] = dlcc.mul %[[W]], %[[TWO]] : tensor<4xf32>
// CHECK-NEXT: %[[N:.+]] = dlcc.neg %[[W]] : tensor<4xf32>
// CHECK-NEXT: %[[R:.+]] = dlcc.reshape %[[W]] : (tensor<4xf32>) -> tensor<2x2xf32>
// CHECK-NEXT: %[[Y:.+]] = dlcc.add %[[X]], %[[W]] : tensor<4xf32>
// CHECK-NEXT: return %[[W]], %[[S]], %[[N]], %[[R]], %[[Y]]
dlcc.state_slot parameter @w : tensor<4xf32> = dense<1.0> : tensor<4xf32>
func.func @parameter_not_folded(%w: tensor<4xf32> {dlcc.state = @w}, %x: tensor<4xf32>)
    -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<2x2xf32>, tensor<4xf32>) {
  %one = dlcc.constant dense<1.0> : tensor<4xf32>
  %two = dlcc.constant dense<2.0> : tensor<4xf32>
  %0 = dlcc.mul %w, %one : tensor<4xf32>
  %1 = dlcc.mul %0, %two : tensor<4xf32>
  %2 = dlcc.neg %w : tensor<4xf32>
  %3 = dlcc.reshape %w : (tensor<4xf32>) -> tensor<2x2xf32>
  %4 = dlcc.add %x, %w : tensor<4xf32>
  return %0, %1, %2, %3, %4 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<2x2xf32>, tensor<4xf32>
}

// -----

// i1 orders false < true: max is "or", min is "and".
// CHECK-LABEL: func.func @max_min_fold_i1
// CHECK-DAG: %[[T:.+]] = dlcc.constant dense<true> : tensor<2xi1>
// CHECK-DAG: %[[F:.+]] = dlcc.constant dense<false> : tensor<2xi1>
// CHECK: return %[[T]], %[[F]]
func.func @max_min_fold_i1() -> (tensor<2xi1>, tensor<2xi1>) {
  %t = dlcc.constant dense<true> : tensor<2xi1>
  %f = dlcc.constant dense<false> : tensor<2xi1>
  %0 = dlcc.max %t, %f : tensor<2xi1>
  %1 = dlcc.min %t, %f : tensor<2xi1>
  return %0, %1 : tensor<2xi1>, tensor<2xi1>
}

// -----

// A transpose of the two matrix dimensions folds into the matmul's flags.
// CHECK-LABEL: func.func @matmul_absorbs_weight_transpose
// CHECK-SAME: (%[[X:.+]]: tensor<2x8x32xf32>, %[[W:.+]]: tensor<16x32xf32>)
// CHECK-NOT: dlcc.transpose
// CHECK: %[[Y:.+]] = dlcc.matmul %[[X]], %[[W]] transpose_rhs : (tensor<2x8x32xf32>, tensor<16x32xf32>) -> tensor<2x8x16xf32>
// CHECK: return %[[Y]]
func.func @matmul_absorbs_weight_transpose(%x: tensor<2x8x32xf32>, %w: tensor<16x32xf32>) -> tensor<2x8x16xf32> {
  %t = dlcc.transpose %w, permutation = [1, 0] : (tensor<16x32xf32>) -> tensor<32x16xf32>
  %y = dlcc.matmul %x, %t : (tensor<2x8x32xf32>, tensor<32x16xf32>) -> tensor<2x8x16xf32>
  return %y : tensor<2x8x16xf32>
}

// -----

// Both operands; a flag already set is toggled off.
// CHECK-LABEL: func.func @matmul_absorbs_batched_transposes
// CHECK-SAME: (%[[A:.+]]: tensor<2x8x4xf32>, %[[B:.+]]: tensor<2x8x4xf32>)
// CHECK: dlcc.matmul %[[A]], %[[B]] transpose_lhs : (tensor<2x8x4xf32>, tensor<2x8x4xf32>) -> tensor<2x4x4xf32>
func.func @matmul_absorbs_batched_transposes(%a: tensor<2x8x4xf32>, %b: tensor<2x8x4xf32>) -> tensor<2x4x4xf32> {
  %ta = dlcc.transpose %a, permutation = [0, 2, 1] : (tensor<2x8x4xf32>) -> tensor<2x4x8xf32>
  %tb = dlcc.transpose %b, permutation = [0, 2, 1] : (tensor<2x8x4xf32>) -> tensor<2x4x8xf32>
  %y = dlcc.matmul %ta, %tb transpose_rhs : (tensor<2x4x8xf32>, tensor<2x4x8xf32>) -> tensor<2x4x4xf32>
  return %y : tensor<2x4x4xf32>
}

// -----

// A transpose that moves a batch dimension stays.
// CHECK-LABEL: func.func @matmul_keeps_batch_transpose
// CHECK: dlcc.transpose
// CHECK: dlcc.matmul
func.func @matmul_keeps_batch_transpose(%a: tensor<4x2x8xf32>, %b: tensor<2x8x3xf32>) -> tensor<2x4x3xf32> {
  %ta = dlcc.transpose %a, permutation = [1, 0, 2] : (tensor<4x2x8xf32>) -> tensor<2x4x8xf32>
  %y = dlcc.matmul %ta, %b : (tensor<2x4x8xf32>, tensor<2x8x3xf32>) -> tensor<2x4x3xf32>
  return %y : tensor<2x4x3xf32>
}
