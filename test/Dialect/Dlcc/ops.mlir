// RUN: dlcc-opt %s | dlcc-opt | FileCheck %s
// RUN: dlcc-opt %s --mlir-print-op-generic | dlcc-opt | FileCheck %s

// Round trip of every dlcc op through its custom assembly format and through
// the generic form, including the optional parts of each format.

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @unary_float_ops
// CHECK-SAME: (%[[X:.+]]: tensor<4x8xf32>)
func.func @unary_float_ops(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  // CHECK: %[[ABS:.+]] = dlcc.abs %[[X]] : tensor<4x8xf32>
  // CHECK: %[[CEIL:.+]] = dlcc.ceil %[[ABS]] : tensor<4x8xf32>
  // CHECK: %[[COS:.+]] = dlcc.cos %[[CEIL]] : tensor<4x8xf32>
  // CHECK: %[[ERF:.+]] = dlcc.erf %[[COS]] : tensor<4x8xf32>
  // CHECK: %[[EXP:.+]] = dlcc.exp %[[ERF]] : tensor<4x8xf32>
  // CHECK: %[[FLOOR:.+]] = dlcc.floor %[[EXP]] : tensor<4x8xf32>
  // CHECK: %[[LOG:.+]] = dlcc.log %[[FLOOR]] : tensor<4x8xf32>
  // CHECK: %[[LOGISTIC:.+]] = dlcc.logistic %[[LOG]] : tensor<4x8xf32>
  // CHECK: %[[NEG:.+]] = dlcc.neg %[[LOGISTIC]] : tensor<4x8xf32>
  // CHECK: %[[RSQRT:.+]] = dlcc.rsqrt %[[NEG]] : tensor<4x8xf32>
  // CHECK: %[[SIN:.+]] = dlcc.sin %[[RSQRT]] : tensor<4x8xf32>
  // CHECK: %[[SQRT:.+]] = dlcc.sqrt %[[SIN]] : tensor<4x8xf32>
  // CHECK: %[[TANH:.+]] = dlcc.tanh %[[SQRT]] : tensor<4x8xf32>
  // CHECK: return %[[TANH]] : tensor<4x8xf32>
  %0 = dlcc.abs %x : tensor<4x8xf32>
  %1 = dlcc.ceil %0 : tensor<4x8xf32>
  %2 = dlcc.cos %1 : tensor<4x8xf32>
  %3 = dlcc.erf %2 : tensor<4x8xf32>
  %4 = dlcc.exp %3 : tensor<4x8xf32>
  %5 = dlcc.floor %4 : tensor<4x8xf32>
  %6 = dlcc.log %5 : tensor<4x8xf32>
  %7 = dlcc.logistic %6 : tensor<4x8xf32>
  %8 = dlcc.neg %7 : tensor<4x8xf32>
  %9 = dlcc.rsqrt %8 : tensor<4x8xf32>
  %10 = dlcc.sin %9 : tensor<4x8xf32>
  %11 = dlcc.sqrt %10 : tensor<4x8xf32>
  %12 = dlcc.tanh %11 : tensor<4x8xf32>
  return %12 : tensor<4x8xf32>
}

// CHECK-LABEL: func.func @unary_int_ops
// CHECK-SAME: (%[[X:.+]]: tensor<3xi32>, %[[P:.+]]: tensor<3xi1>)
func.func @unary_int_ops(%x: tensor<3xi32>, %p: tensor<3xi1>) -> (tensor<3xi32>, tensor<3xi1>) {
  // CHECK: %[[ABS:.+]] = dlcc.abs %[[X]] : tensor<3xi32>
  // CHECK: %[[NEG:.+]] = dlcc.neg %[[ABS]] : tensor<3xi32>
  // CHECK: %[[NOT:.+]] = dlcc.not %[[P]] : tensor<3xi1>
  // CHECK: return %[[NEG]], %[[NOT]] : tensor<3xi32>, tensor<3xi1>
  %0 = dlcc.abs %x : tensor<3xi32>
  %1 = dlcc.neg %0 : tensor<3xi32>
  %2 = dlcc.not %p : tensor<3xi1>
  return %1, %2 : tensor<3xi32>, tensor<3xi1>
}

// CHECK-LABEL: func.func @unary_bf16_0d
// CHECK-SAME: (%[[X:.+]]: tensor<bf16>)
func.func @unary_bf16_0d(%x: tensor<bf16>) -> tensor<bf16> {
  // CHECK: %[[R:.+]] = dlcc.exp %[[X]] : tensor<bf16>
  // CHECK: return %[[R]]
  %0 = dlcc.exp %x : tensor<bf16>
  return %0 : tensor<bf16>
}

// CHECK-LABEL: func.func @binary_arith_ops
// CHECK-SAME: (%[[A:.+]]: tensor<4xf32>, %[[B:.+]]: tensor<4xf32>)
func.func @binary_arith_ops(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  // CHECK: %[[ADD:.+]] = dlcc.add %[[A]], %[[B]] : tensor<4xf32>
  // CHECK: %[[SUB:.+]] = dlcc.sub %[[ADD]], %[[B]] : tensor<4xf32>
  // CHECK: %[[MUL:.+]] = dlcc.mul %[[SUB]], %[[B]] : tensor<4xf32>
  // CHECK: %[[DIV:.+]] = dlcc.div %[[MUL]], %[[B]] : tensor<4xf32>
  // CHECK: %[[POW:.+]] = dlcc.pow %[[DIV]], %[[B]] : tensor<4xf32>
  // CHECK: %[[MAX:.+]] = dlcc.max %[[POW]], %[[B]] : tensor<4xf32>
  // CHECK: %[[MIN:.+]] = dlcc.min %[[MAX]], %[[B]] : tensor<4xf32>
  // CHECK: %[[REM:.+]] = dlcc.rem %[[MIN]], %[[B]] : tensor<4xf32>
  // CHECK: return %[[REM]] : tensor<4xf32>
  %0 = dlcc.add %a, %b : tensor<4xf32>
  %1 = dlcc.sub %0, %b : tensor<4xf32>
  %2 = dlcc.mul %1, %b : tensor<4xf32>
  %3 = dlcc.div %2, %b : tensor<4xf32>
  %4 = dlcc.pow %3, %b : tensor<4xf32>
  %5 = dlcc.max %4, %b : tensor<4xf32>
  %6 = dlcc.min %5, %b : tensor<4xf32>
  %7 = dlcc.rem %6, %b : tensor<4xf32>
  return %7 : tensor<4xf32>
}

// CHECK-LABEL: func.func @binary_int_ops
// CHECK-SAME: (%[[A:.+]]: tensor<2x3xui8>, %[[B:.+]]: tensor<2x3xui8>)
func.func @binary_int_ops(%a: tensor<2x3xui8>, %b: tensor<2x3xui8>) -> tensor<2x3xui8> {
  // CHECK: %[[DIV:.+]] = dlcc.div %[[A]], %[[B]] : tensor<2x3xui8>
  // CHECK: %[[REM:.+]] = dlcc.rem %[[DIV]], %[[B]] : tensor<2x3xui8>
  // CHECK: %[[AND:.+]] = dlcc.and %[[REM]], %[[B]] : tensor<2x3xui8>
  // CHECK: %[[OR:.+]] = dlcc.or %[[AND]], %[[B]] : tensor<2x3xui8>
  // CHECK: %[[XOR:.+]] = dlcc.xor %[[OR]], %[[B]] : tensor<2x3xui8>
  // CHECK: return %[[XOR]] : tensor<2x3xui8>
  %0 = dlcc.div %a, %b : tensor<2x3xui8>
  %1 = dlcc.rem %0, %b : tensor<2x3xui8>
  %2 = dlcc.and %1, %b : tensor<2x3xui8>
  %3 = dlcc.or %2, %b : tensor<2x3xui8>
  %4 = dlcc.xor %3, %b : tensor<2x3xui8>
  return %4 : tensor<2x3xui8>
}

// CHECK-LABEL: func.func @logical_pred_ops
// CHECK-SAME: (%[[A:.+]]: tensor<4xi1>, %[[B:.+]]: tensor<4xi1>)
func.func @logical_pred_ops(%a: tensor<4xi1>, %b: tensor<4xi1>) -> tensor<4xi1> {
  // CHECK: %[[AND:.+]] = dlcc.and %[[A]], %[[B]] : tensor<4xi1>
  // CHECK: %[[OR:.+]] = dlcc.or %[[AND]], %[[B]] : tensor<4xi1>
  // CHECK: %[[XOR:.+]] = dlcc.xor %[[OR]], %[[A]] : tensor<4xi1>
  // CHECK: return %[[XOR]]
  %0 = dlcc.and %a, %b : tensor<4xi1>
  %1 = dlcc.or %0, %b : tensor<4xi1>
  %2 = dlcc.xor %1, %a : tensor<4xi1>
  return %2 : tensor<4xi1>
}

// CHECK-LABEL: func.func @compare_all_directions
// CHECK-SAME: (%[[A:.+]]: tensor<4xf32>, %[[B:.+]]: tensor<4xf32>)
func.func @compare_all_directions(%a: tensor<4xf32>, %b: tensor<4xf32>)
    -> (tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>) {
  // CHECK: %[[EQ:.+]] = dlcc.compare eq, %[[A]], %[[B]] : tensor<4xf32>
  // CHECK: %[[NE:.+]] = dlcc.compare ne, %[[A]], %[[B]] : tensor<4xf32>
  // CHECK: %[[LT:.+]] = dlcc.compare lt, %[[A]], %[[B]] : tensor<4xf32>
  // CHECK: %[[LE:.+]] = dlcc.compare le, %[[A]], %[[B]] : tensor<4xf32>
  // CHECK: %[[GT:.+]] = dlcc.compare gt, %[[A]], %[[B]] : tensor<4xf32>
  // CHECK: %[[GE:.+]] = dlcc.compare ge, %[[A]], %[[B]] : tensor<4xf32>
  // CHECK: return %[[EQ]], %[[NE]], %[[LT]], %[[LE]], %[[GT]], %[[GE]] : tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>
  %0 = dlcc.compare eq, %a, %b : tensor<4xf32>
  %1 = dlcc.compare ne, %a, %b : tensor<4xf32>
  %2 = dlcc.compare lt, %a, %b : tensor<4xf32>
  %3 = dlcc.compare le, %a, %b : tensor<4xf32>
  %4 = dlcc.compare gt, %a, %b : tensor<4xf32>
  %5 = dlcc.compare ge, %a, %b : tensor<4xf32>
  return %0, %1, %2, %3, %4, %5
      : tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>
}

// CHECK-LABEL: func.func @compare_int
// CHECK-SAME: (%[[A:.+]]: tensor<2x2xi64>, %[[B:.+]]: tensor<2x2xi64>)
func.func @compare_int(%a: tensor<2x2xi64>, %b: tensor<2x2xi64>) -> tensor<2x2xi1> {
  // CHECK: %[[R:.+]] = dlcc.compare le, %[[A]], %[[B]] : tensor<2x2xi64>
  // CHECK: return %[[R]] : tensor<2x2xi1>
  %0 = dlcc.compare le, %a, %b : tensor<2x2xi64>
  return %0 : tensor<2x2xi1>
}

// CHECK-LABEL: func.func @select
// CHECK-SAME: (%[[P:.+]]: tensor<4xi1>, %[[A:.+]]: tensor<4xf32>, %[[B:.+]]: tensor<4xf32>)
func.func @select(%p: tensor<4xi1>, %a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  // CHECK: %[[R:.+]] = dlcc.select %[[P]], %[[A]], %[[B]] : tensor<4xi1>, tensor<4xf32>
  // CHECK: return %[[R]]
  %0 = dlcc.select %p, %a, %b : tensor<4xi1>, tensor<4xf32>
  return %0 : tensor<4xf32>
}

// CHECK-LABEL: func.func @convert
// CHECK-SAME: (%[[X:.+]]: tensor<4xi64>)
func.func @convert(%x: tensor<4xi64>) -> (tensor<4xf32>, tensor<4xi1>, tensor<4xbf16>) {
  // CHECK: %[[F:.+]] = dlcc.convert %[[X]] : (tensor<4xi64>) -> tensor<4xf32>
  // CHECK: %[[P:.+]] = dlcc.convert %[[X]] : (tensor<4xi64>) -> tensor<4xi1>
  // CHECK: %[[H:.+]] = dlcc.convert %[[F]] : (tensor<4xf32>) -> tensor<4xbf16>
  // CHECK: return %[[F]], %[[P]], %[[H]]
  %0 = dlcc.convert %x : (tensor<4xi64>) -> tensor<4xf32>
  %1 = dlcc.convert %x : (tensor<4xi64>) -> tensor<4xi1>
  %2 = dlcc.convert %0 : (tensor<4xf32>) -> tensor<4xbf16>
  return %0, %1, %2 : tensor<4xf32>, tensor<4xi1>, tensor<4xbf16>
}

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @constants
func.func @constants() -> (tensor<2xi64>, tensor<2x3xf32>, tensor<f16>, tensor<2xf32>) {
  // CHECK: %[[DENSE:.+]] = dlcc.constant dense<[1, 2]> : tensor<2xi64>
  // CHECK: %[[SPLAT:.+]] = dlcc.constant dense<5.000000e-01> : tensor<2x3xf32>
  // CHECK: %[[SCALAR:.+]] = dlcc.constant dense<1.000000e+00> : tensor<f16>
  // CHECK: %[[RES:.+]] = dlcc.constant dense_resource<blob1> : tensor<2xf32>
  // CHECK: return %[[DENSE]], %[[SPLAT]], %[[SCALAR]], %[[RES]]
  %0 = dlcc.constant dense<[1, 2]> : tensor<2xi64>
  %1 = dlcc.constant dense<0.5> : tensor<2x3xf32>
  %2 = dlcc.constant dense<1.0> : tensor<f16>
  %3 = dlcc.constant dense_resource<blob1> : tensor<2xf32>
  return %0, %1, %2, %3 : tensor<2xi64>, tensor<2x3xf32>, tensor<f16>, tensor<2xf32>
}

// CHECK-LABEL: func.func @iota
func.func @iota() -> (tensor<4x8xi64>, tensor<5xf32>) {
  // CHECK: %[[I:.+]] = dlcc.iota dim = 1 : tensor<4x8xi64>
  // CHECK: %[[F:.+]] = dlcc.iota dim = 0 : tensor<5xf32>
  // CHECK: return %[[I]], %[[F]]
  %0 = dlcc.iota dim = 1 : tensor<4x8xi64>
  %1 = dlcc.iota dim = 0 : tensor<5xf32>
  return %0, %1 : tensor<4x8xi64>, tensor<5xf32>
}

// CHECK-LABEL: func.func @broadcast_in_dim
// CHECK-SAME: (%[[B:.+]]: tensor<8xf32>, %[[C:.+]]: tensor<1x8xf32>, %[[S:.+]]: tensor<f32>)
func.func @broadcast_in_dim(%bias: tensor<8xf32>, %c: tensor<1x8xf32>, %s: tensor<f32>)
    -> (tensor<4x8xf32>, tensor<2x4x8xf32>, tensor<3x3xf32>) {
  // CHECK: %[[R0:.+]] = dlcc.broadcast_in_dim %[[B]], dims = [1] : (tensor<8xf32>) -> tensor<4x8xf32>
  // CHECK: %[[R1:.+]] = dlcc.broadcast_in_dim %[[C]], dims = [1, 2] : (tensor<1x8xf32>) -> tensor<2x4x8xf32>
  // CHECK: %[[R2:.+]] = dlcc.broadcast_in_dim %[[S]], dims = [] : (tensor<f32>) -> tensor<3x3xf32>
  // CHECK: return %[[R0]], %[[R1]], %[[R2]]
  %0 = dlcc.broadcast_in_dim %bias, dims = [1] : (tensor<8xf32>) -> tensor<4x8xf32>
  %1 = dlcc.broadcast_in_dim %c, dims = [1, 2] : (tensor<1x8xf32>) -> tensor<2x4x8xf32>
  %2 = dlcc.broadcast_in_dim %s, dims = [] : (tensor<f32>) -> tensor<3x3xf32>
  return %0, %1, %2 : tensor<4x8xf32>, tensor<2x4x8xf32>, tensor<3x3xf32>
}

// CHECK-LABEL: func.func @reshape
// CHECK-SAME: (%[[X:.+]]: tensor<2x3x4xf32>)
func.func @reshape(%x: tensor<2x3x4xf32>) -> (tensor<6x4xf32>, tensor<24xf32>) {
  // CHECK: %[[R0:.+]] = dlcc.reshape %[[X]] : (tensor<2x3x4xf32>) -> tensor<6x4xf32>
  // CHECK: %[[R1:.+]] = dlcc.reshape %[[X]] : (tensor<2x3x4xf32>) -> tensor<24xf32>
  // CHECK: return %[[R0]], %[[R1]]
  %0 = dlcc.reshape %x : (tensor<2x3x4xf32>) -> tensor<6x4xf32>
  %1 = dlcc.reshape %x : (tensor<2x3x4xf32>) -> tensor<24xf32>
  return %0, %1 : tensor<6x4xf32>, tensor<24xf32>
}

// CHECK-LABEL: func.func @transpose
// CHECK-SAME: (%[[X:.+]]: tensor<2x3x4xf32>)
func.func @transpose(%x: tensor<2x3x4xf32>) -> tensor<4x2x3xf32> {
  // CHECK: %[[R:.+]] = dlcc.transpose %[[X]], permutation = [2, 0, 1] : (tensor<2x3x4xf32>) -> tensor<4x2x3xf32>
  // CHECK: return %[[R]]
  %0 = dlcc.transpose %x, permutation = [2, 0, 1] : (tensor<2x3x4xf32>) -> tensor<4x2x3xf32>
  return %0 : tensor<4x2x3xf32>
}

// CHECK-LABEL: func.func @slice
// CHECK-SAME: (%[[X:.+]]: tensor<4x8xf32>)
func.func @slice(%x: tensor<4x8xf32>) -> (tensor<4x3xf32>, tensor<0x8xf32>) {
  // CHECK: %[[R0:.+]] = dlcc.slice %[[X]], start = [0, 2], limit = [4, 8], strides = [1, 2] : (tensor<4x8xf32>) -> tensor<4x3xf32>
  // CHECK: %[[R1:.+]] = dlcc.slice %[[X]], start = [2, 0], limit = [2, 8], strides = [1, 1] : (tensor<4x8xf32>) -> tensor<0x8xf32>
  // CHECK: return %[[R0]], %[[R1]]
  %0 = dlcc.slice %x, start = [0, 2], limit = [4, 8], strides = [1, 2]
      : (tensor<4x8xf32>) -> tensor<4x3xf32>
  %1 = dlcc.slice %x, start = [2, 0], limit = [2, 8], strides = [1, 1]
      : (tensor<4x8xf32>) -> tensor<0x8xf32>
  return %0, %1 : tensor<4x3xf32>, tensor<0x8xf32>
}

// CHECK-LABEL: func.func @reverse
// CHECK-SAME: (%[[X:.+]]: tensor<4x8xf32>)
func.func @reverse(%x: tensor<4x8xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>) {
  // CHECK: %[[R0:.+]] = dlcc.reverse %[[X]], dims = [0] : tensor<4x8xf32>
  // CHECK: %[[R1:.+]] = dlcc.reverse %[[X]], dims = [1, 0] : tensor<4x8xf32>
  // CHECK: return %[[R0]], %[[R1]]
  %0 = dlcc.reverse %x, dims = [0] : tensor<4x8xf32>
  %1 = dlcc.reverse %x, dims = [1, 0] : tensor<4x8xf32>
  return %0, %1 : tensor<4x8xf32>, tensor<4x8xf32>
}

// CHECK-LABEL: func.func @pad_all_modes
// CHECK-SAME: (%[[X:.+]]: tensor<4x8xf32>, %[[V:.+]]: tensor<f32>)
func.func @pad_all_modes(%x: tensor<4x8xf32>, %v: tensor<f32>)
    -> (tensor<4x10xf32>, tensor<6x8xf32>, tensor<7x15xf32>, tensor<12x9xf32>) {
  // CHECK: %[[C:.+]] = dlcc.pad constant %[[X]], %[[V]], low = [0, 1], high = [0, 1] : (tensor<4x8xf32>, tensor<f32>) -> tensor<4x10xf32>
  // CHECK: %[[E:.+]] = dlcc.pad edge %[[X]], %[[V]], low = [2, 0], high = [0, 0] : (tensor<4x8xf32>, tensor<f32>) -> tensor<6x8xf32>
  // CHECK: %[[R:.+]] = dlcc.pad reflect %[[X]], %[[V]], low = [3, 7], high = [0, 0] : (tensor<4x8xf32>, tensor<f32>) -> tensor<7x15xf32>
  // CHECK: %[[W:.+]] = dlcc.pad wrap %[[X]], %[[V]], low = [4, 0], high = [4, 1] : (tensor<4x8xf32>, tensor<f32>) -> tensor<12x9xf32>
  // CHECK: return %[[C]], %[[E]], %[[R]], %[[W]]
  %0 = dlcc.pad constant %x, %v, low = [0, 1], high = [0, 1]
      : (tensor<4x8xf32>, tensor<f32>) -> tensor<4x10xf32>
  %1 = dlcc.pad edge %x, %v, low = [2, 0], high = [0, 0]
      : (tensor<4x8xf32>, tensor<f32>) -> tensor<6x8xf32>
  %2 = dlcc.pad reflect %x, %v, low = [3, 7], high = [0, 0]
      : (tensor<4x8xf32>, tensor<f32>) -> tensor<7x15xf32>
  %3 = dlcc.pad wrap %x, %v, low = [4, 0], high = [4, 1]
      : (tensor<4x8xf32>, tensor<f32>) -> tensor<12x9xf32>
  return %0, %1, %2, %3 : tensor<4x10xf32>, tensor<6x8xf32>, tensor<7x15xf32>, tensor<12x9xf32>
}

// CHECK-LABEL: func.func @concatenate
// CHECK-SAME: (%[[A:.+]]: tensor<2x3xf32>, %[[B:.+]]: tensor<2x5xf32>, %[[C:.+]]: tensor<2x1xf32>)
func.func @concatenate(%a: tensor<2x3xf32>, %b: tensor<2x5xf32>, %c: tensor<2x1xf32>)
    -> (tensor<2x8xf32>, tensor<2x9xf32>, tensor<2x3xf32>, tensor<4x3xf32>) {
  // CHECK: %[[R0:.+]] = dlcc.concatenate(%[[A]], %[[B]]) dim = 1 : (tensor<2x3xf32>, tensor<2x5xf32>) -> tensor<2x8xf32>
  // CHECK: %[[R1:.+]] = dlcc.concatenate(%[[A]], %[[B]], %[[C]]) dim = 1 : (tensor<2x3xf32>, tensor<2x5xf32>, tensor<2x1xf32>) -> tensor<2x9xf32>
  // CHECK: %[[R2:.+]] = dlcc.concatenate(%[[A]]) dim = 0 : (tensor<2x3xf32>) -> tensor<2x3xf32>
  // CHECK: %[[R3:.+]] = dlcc.concatenate(%[[A]], %[[A]]) dim = 0 : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<4x3xf32>
  // CHECK: return %[[R0]], %[[R1]], %[[R2]], %[[R3]]
  %0 = dlcc.concatenate(%a, %b) dim = 1 : (tensor<2x3xf32>, tensor<2x5xf32>) -> tensor<2x8xf32>
  %1 = dlcc.concatenate(%a, %b, %c) dim = 1
      : (tensor<2x3xf32>, tensor<2x5xf32>, tensor<2x1xf32>) -> tensor<2x9xf32>
  %2 = dlcc.concatenate(%a) dim = 0 : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %3 = dlcc.concatenate(%a, %a) dim = 0 : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<4x3xf32>
  return %0, %1, %2, %3 : tensor<2x8xf32>, tensor<2x9xf32>, tensor<2x3xf32>, tensor<4x3xf32>
}

// CHECK-LABEL: func.func @gather_embedding
// CHECK-SAME: (%[[T:.+]]: tensor<100x16xf32>, %[[I:.+]]: tensor<2x8xi64>)
func.func @gather_embedding(%table: tensor<100x16xf32>, %ids: tensor<2x8xi64>) -> tensor<2x8x16xf32> {
  // CHECK: %[[R:.+]] = dlcc.gather %[[T]][%[[I]]], axis = 0 : (tensor<100x16xf32>, tensor<2x8xi64>) -> tensor<2x8x16xf32>
  // CHECK: return %[[R]]
  %0 = dlcc.gather %table[%ids], axis = 0
      : (tensor<100x16xf32>, tensor<2x8xi64>) -> tensor<2x8x16xf32>
  return %0 : tensor<2x8x16xf32>
}

// CHECK-LABEL: func.func @gather_inner_axis
// CHECK-SAME: (%[[X:.+]]: tensor<4x10x3xf32>, %[[I:.+]]: tensor<5xi32>)
func.func @gather_inner_axis(%x: tensor<4x10x3xf32>, %i: tensor<5xi32>) -> tensor<4x5x3xf32> {
  // CHECK: %[[R:.+]] = dlcc.gather %[[X]][%[[I]]], axis = 1 : (tensor<4x10x3xf32>, tensor<5xi32>) -> tensor<4x5x3xf32>
  // CHECK: return %[[R]]
  %0 = dlcc.gather %x[%i], axis = 1 : (tensor<4x10x3xf32>, tensor<5xi32>) -> tensor<4x5x3xf32>
  return %0 : tensor<4x5x3xf32>
}

// CHECK-LABEL: func.func @gather_elements
// CHECK-SAME: (%[[X:.+]]: tensor<4x10xf32>, %[[I:.+]]: tensor<4x1xi64>)
func.func @gather_elements(%x: tensor<4x10xf32>, %idx: tensor<4x1xi64>) -> tensor<4x1xf32> {
  // CHECK: %[[R:.+]] = dlcc.gather_elements %[[X]][%[[I]]], axis = 1 : (tensor<4x10xf32>, tensor<4x1xi64>) -> tensor<4x1xf32>
  // CHECK: return %[[R]]
  %0 = dlcc.gather_elements %x[%idx], axis = 1
      : (tensor<4x10xf32>, tensor<4x1xi64>) -> tensor<4x1xf32>
  return %0 : tensor<4x1xf32>
}

// CHECK-LABEL: func.func @scatter_add
// CHECK-SAME: (%[[I:.+]]: tensor<2x8xi64>, %[[U:.+]]: tensor<2x8x16xf32>, %[[Z:.+]]: tensor<100x16xf32>)
func.func @scatter_add(%ids: tensor<2x8xi64>, %dy: tensor<2x8x16xf32>, %zeros: tensor<100x16xf32>)
    -> tensor<100x16xf32> {
  // CHECK: %[[R:.+]] = dlcc.scatter_add %[[I]], %[[U]] into %[[Z]], axis = 0 : (tensor<2x8xi64>, tensor<2x8x16xf32>, tensor<100x16xf32>) -> tensor<100x16xf32>
  // CHECK: return %[[R]]
  %0 = dlcc.scatter_add %ids, %dy into %zeros, axis = 0
      : (tensor<2x8xi64>, tensor<2x8x16xf32>, tensor<100x16xf32>) -> tensor<100x16xf32>
  return %0 : tensor<100x16xf32>
}

// CHECK-LABEL: func.func @reduce_all_kinds
// CHECK-SAME: (%[[X:.+]]: tensor<4x8x2xf32>)
func.func @reduce_all_kinds(%x: tensor<4x8x2xf32>)
    -> (tensor<4x2xf32>, tensor<8xf32>, tensor<f32>, tensor<4x8xf32>) {
  // CHECK: %[[SUM:.+]] = dlcc.reduce sum %[[X]], dims = [1] : (tensor<4x8x2xf32>) -> tensor<4x2xf32>
  // CHECK: %[[PROD:.+]] = dlcc.reduce prod %[[X]], dims = [0, 2] : (tensor<4x8x2xf32>) -> tensor<8xf32>
  // CHECK: %[[MAX:.+]] = dlcc.reduce max %[[X]], dims = [0, 1, 2] : (tensor<4x8x2xf32>) -> tensor<f32>
  // CHECK: %[[MIN:.+]] = dlcc.reduce min %[[X]], dims = [2] : (tensor<4x8x2xf32>) -> tensor<4x8xf32>
  // CHECK: return %[[SUM]], %[[PROD]], %[[MAX]], %[[MIN]]
  %0 = dlcc.reduce sum %x, dims = [1] : (tensor<4x8x2xf32>) -> tensor<4x2xf32>
  %1 = dlcc.reduce prod %x, dims = [0, 2] : (tensor<4x8x2xf32>) -> tensor<8xf32>
  %2 = dlcc.reduce max %x, dims = [0, 1, 2] : (tensor<4x8x2xf32>) -> tensor<f32>
  %3 = dlcc.reduce min %x, dims = [2] : (tensor<4x8x2xf32>) -> tensor<4x8xf32>
  return %0, %1, %2, %3 : tensor<4x2xf32>, tensor<8xf32>, tensor<f32>, tensor<4x8xf32>
}

// CHECK-LABEL: func.func @arg_reduce
// CHECK-SAME: (%[[X:.+]]: tensor<4x8xf32>)
func.func @arg_reduce(%x: tensor<4x8xf32>) -> (tensor<4xi64>, tensor<8xi64>) {
  // CHECK: %[[MAX:.+]] = dlcc.arg_reduce argmax %[[X]], dim = 1 : (tensor<4x8xf32>) -> tensor<4xi64>
  // CHECK: %[[MIN:.+]] = dlcc.arg_reduce argmin %[[X]], dim = 0 {select_last_index} : (tensor<4x8xf32>) -> tensor<8xi64>
  // CHECK: return %[[MAX]], %[[MIN]]
  %0 = dlcc.arg_reduce argmax %x, dim = 1 : (tensor<4x8xf32>) -> tensor<4xi64>
  %1 = dlcc.arg_reduce argmin %x, dim = 0 {select_last_index} : (tensor<4x8xf32>) -> tensor<8xi64>
  return %0, %1 : tensor<4xi64>, tensor<8xi64>
}

// CHECK-LABEL: func.func @cumsum_variants
// CHECK-SAME: (%[[X:.+]]: tensor<4x8xf32>)
func.func @cumsum_variants(%x: tensor<4x8xf32>)
    -> (tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>) {
  // CHECK: %[[INCL:.+]] = dlcc.cumsum %[[X]], dim = 1 : tensor<4x8xf32>
  // CHECK: %[[EXCL:.+]] = dlcc.cumsum %[[X]], dim = 0 {exclusive} : tensor<4x8xf32>
  // CHECK: %[[REV:.+]] = dlcc.cumsum %[[X]], dim = 1 {reverse} : tensor<4x8xf32>
  // CHECK: %[[BOTH:.+]] = dlcc.cumsum %[[X]], dim = 1 {exclusive, reverse} : tensor<4x8xf32>
  // CHECK: return %[[INCL]], %[[EXCL]], %[[REV]], %[[BOTH]]
  %0 = dlcc.cumsum %x, dim = 1 : tensor<4x8xf32>
  %1 = dlcc.cumsum %x, dim = 0 {exclusive} : tensor<4x8xf32>
  %2 = dlcc.cumsum %x, dim = 1 {reverse} : tensor<4x8xf32>
  %3 = dlcc.cumsum %x, dim = 1 {exclusive, reverse} : tensor<4x8xf32>
  return %0, %1, %2, %3 : tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>
}

//===----------------------------------------------------------------------===//
// Neural-net ops
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @matmul_plain
// CHECK-SAME: (%[[A:.+]]: tensor<16x64xf32>, %[[B:.+]]: tensor<64x32xf32>)
func.func @matmul_plain(%a: tensor<16x64xf32>, %b: tensor<64x32xf32>) -> tensor<16x32xf32> {
  // CHECK: %[[R:.+]] = dlcc.matmul %[[A]], %[[B]] : (tensor<16x64xf32>, tensor<64x32xf32>) -> tensor<16x32xf32>
  // CHECK: return %[[R]]
  %0 = dlcc.matmul %a, %b : (tensor<16x64xf32>, tensor<64x32xf32>) -> tensor<16x32xf32>
  return %0 : tensor<16x32xf32>
}

// CHECK-LABEL: func.func @matmul_transpose_lhs
// CHECK-SAME: (%[[A:.+]]: tensor<2x64x16xf32>, %[[B:.+]]: tensor<2x64x32xf32>)
func.func @matmul_transpose_lhs(%a: tensor<2x64x16xf32>, %b: tensor<2x64x32xf32>) -> tensor<2x16x32xf32> {
  // CHECK: %[[R:.+]] = dlcc.matmul %[[A]], %[[B]] transpose_lhs : (tensor<2x64x16xf32>, tensor<2x64x32xf32>) -> tensor<2x16x32xf32>
  // CHECK: return %[[R]]
  %0 = dlcc.matmul %a, %b transpose_lhs
      : (tensor<2x64x16xf32>, tensor<2x64x32xf32>) -> tensor<2x16x32xf32>
  return %0 : tensor<2x16x32xf32>
}

// CHECK-LABEL: func.func @matmul_transpose_rhs_shared
// CHECK-SAME: (%[[X:.+]]: tensor<2x16x64xf32>, %[[W:.+]]: tensor<32x64xf32>)
func.func @matmul_transpose_rhs_shared(%x: tensor<2x16x64xf32>, %w: tensor<32x64xf32>) -> tensor<2x16x32xf32> {
  // CHECK: %[[R:.+]] = dlcc.matmul %[[X]], %[[W]] transpose_rhs : (tensor<2x16x64xf32>, tensor<32x64xf32>) -> tensor<2x16x32xf32>
  // CHECK: return %[[R]]
  %0 = dlcc.matmul %x, %w transpose_rhs
      : (tensor<2x16x64xf32>, tensor<32x64xf32>) -> tensor<2x16x32xf32>
  return %0 : tensor<2x16x32xf32>
}

// CHECK-LABEL: func.func @matmul_transpose_both
// CHECK-SAME: (%[[A:.+]]: tensor<3x2x64x16xbf16>, %[[B:.+]]: tensor<3x2x32x64xbf16>)
func.func @matmul_transpose_both(%a: tensor<3x2x64x16xbf16>, %b: tensor<3x2x32x64xbf16>) -> tensor<3x2x16x32xbf16> {
  // CHECK: %[[R:.+]] = dlcc.matmul %[[A]], %[[B]] transpose_lhs transpose_rhs : (tensor<3x2x64x16xbf16>, tensor<3x2x32x64xbf16>) -> tensor<3x2x16x32xbf16>
  // CHECK: return %[[R]]
  %0 = dlcc.matmul %a, %b transpose_lhs transpose_rhs
      : (tensor<3x2x64x16xbf16>, tensor<3x2x32x64xbf16>) -> tensor<3x2x16x32xbf16>
  return %0 : tensor<3x2x16x32xbf16>
}

// CHECK-LABEL: func.func @convolution
// CHECK-SAME: (%[[X:.+]]: tensor<8x3x32x32xf32>, %[[W:.+]]: tensor<16x3x3x3xf32>)
func.func @convolution(%x: tensor<8x3x32x32xf32>, %w: tensor<16x3x3x3xf32>) -> tensor<8x16x32x32xf32> {
  // CHECK: %[[R:.+]] = dlcc.convolution %[[X]], %[[W]], strides = [1, 1], pad_low = [1, 1], pad_high = [1, 1], dilations = [1, 1], groups = 1 : (tensor<8x3x32x32xf32>, tensor<16x3x3x3xf32>) -> tensor<8x16x32x32xf32>
  // CHECK: return %[[R]]
  %0 = dlcc.convolution %x, %w, strides = [1, 1], pad_low = [1, 1],
      pad_high = [1, 1], dilations = [1, 1], groups = 1
      : (tensor<8x3x32x32xf32>, tensor<16x3x3x3xf32>) -> tensor<8x16x32x32xf32>
  return %0 : tensor<8x16x32x32xf32>
}

// CHECK-LABEL: func.func @convolution_grouped_strided
// CHECK-SAME: (%[[X:.+]]: tensor<1x4x8x8xf32>, %[[W:.+]]: tensor<6x2x3x3xf32>)
func.func @convolution_grouped_strided(%x: tensor<1x4x8x8xf32>, %w: tensor<6x2x3x3xf32>) -> tensor<1x6x4x4xf32> {
  // CHECK: %[[R:.+]] = dlcc.convolution %[[X]], %[[W]], strides = [2, 2], pad_low = [1, 1], pad_high = [0, 0], dilations = [1, 1], groups = 2 : (tensor<1x4x8x8xf32>, tensor<6x2x3x3xf32>) -> tensor<1x6x4x4xf32>
  // CHECK: return %[[R]]
  %0 = dlcc.convolution %x, %w, strides = [2, 2], pad_low = [1, 1],
      pad_high = [0, 0], dilations = [1, 1], groups = 2
      : (tensor<1x4x8x8xf32>, tensor<6x2x3x3xf32>) -> tensor<1x6x4x4xf32>
  return %0 : tensor<1x6x4x4xf32>
}

// CHECK-LABEL: func.func @convolution_1d_dilated
// CHECK-SAME: (%[[X:.+]]: tensor<2x4x10xf16>, %[[W:.+]]: tensor<5x4x3xf16>)
func.func @convolution_1d_dilated(%x: tensor<2x4x10xf16>, %w: tensor<5x4x3xf16>) -> tensor<2x5x6xf16> {
  // CHECK: %[[R:.+]] = dlcc.convolution %[[X]], %[[W]], strides = [1], pad_low = [0], pad_high = [0], dilations = [2], groups = 1 : (tensor<2x4x10xf16>, tensor<5x4x3xf16>) -> tensor<2x5x6xf16>
  // CHECK: return %[[R]]
  %0 = dlcc.convolution %x, %w, strides = [1], pad_low = [0], pad_high = [0],
      dilations = [2], groups = 1 : (tensor<2x4x10xf16>, tensor<5x4x3xf16>) -> tensor<2x5x6xf16>
  return %0 : tensor<2x5x6xf16>
}

// CHECK-LABEL: func.func @convolution_backward_data
// CHECK-SAME: (%[[DY:.+]]: tensor<1x6x4x4xf32>, %[[W:.+]]: tensor<6x2x3x3xf32>)
func.func @convolution_backward_data(%dy: tensor<1x6x4x4xf32>, %w: tensor<6x2x3x3xf32>) -> tensor<1x4x8x8xf32> {
  // CHECK: %[[R:.+]] = dlcc.convolution_backward_data %[[DY]], %[[W]], strides = [2, 2], pad_low = [1, 1], pad_high = [0, 0], dilations = [1, 1], groups = 2 : (tensor<1x6x4x4xf32>, tensor<6x2x3x3xf32>) -> tensor<1x4x8x8xf32>
  // CHECK: return %[[R]]
  %0 = dlcc.convolution_backward_data %dy, %w, strides = [2, 2], pad_low = [1, 1],
      pad_high = [0, 0], dilations = [1, 1], groups = 2
      : (tensor<1x6x4x4xf32>, tensor<6x2x3x3xf32>) -> tensor<1x4x8x8xf32>
  return %0 : tensor<1x4x8x8xf32>
}

// CHECK-LABEL: func.func @convolution_backward_filter
// CHECK-SAME: (%[[X:.+]]: tensor<1x4x8x8xf32>, %[[DY:.+]]: tensor<1x6x4x4xf32>)
func.func @convolution_backward_filter(%x: tensor<1x4x8x8xf32>, %dy: tensor<1x6x4x4xf32>) -> tensor<6x2x3x3xf32> {
  // CHECK: %[[R:.+]] = dlcc.convolution_backward_filter %[[X]], %[[DY]], strides = [2, 2], pad_low = [1, 1], pad_high = [0, 0], dilations = [1, 1], groups = 2 : (tensor<1x4x8x8xf32>, tensor<1x6x4x4xf32>) -> tensor<6x2x3x3xf32>
  // CHECK: return %[[R]]
  %0 = dlcc.convolution_backward_filter %x, %dy, strides = [2, 2], pad_low = [1, 1],
      pad_high = [0, 0], dilations = [1, 1], groups = 2
      : (tensor<1x4x8x8xf32>, tensor<1x6x4x4xf32>) -> tensor<6x2x3x3xf32>
  return %0 : tensor<6x2x3x3xf32>
}

// CHECK-LABEL: func.func @pool_max
// CHECK-SAME: (%[[X:.+]]: tensor<8x16x32x32xf32>)
func.func @pool_max(%x: tensor<8x16x32x32xf32>) -> tensor<8x16x16x16xf32> {
  // CHECK: %[[R:.+]] = dlcc.pool max %[[X]], window = [2, 2], strides = [2, 2], pad_low = [0, 0], pad_high = [0, 0], dilations = [1, 1] : (tensor<8x16x32x32xf32>) -> tensor<8x16x16x16xf32>
  // CHECK: return %[[R]]
  %0 = dlcc.pool max %x, window = [2, 2], strides = [2, 2], pad_low = [0, 0],
      pad_high = [0, 0], dilations = [1, 1]
      : (tensor<8x16x32x32xf32>) -> tensor<8x16x16x16xf32>
  return %0 : tensor<8x16x16x16xf32>
}

// The ceil-mode output size (5) with count_include_pad.
// CHECK-LABEL: func.func @pool_avg_count_include_pad_ceil
// CHECK-SAME: (%[[X:.+]]: tensor<1x2x8x8xf32>)
func.func @pool_avg_count_include_pad_ceil(%x: tensor<1x2x8x8xf32>) -> tensor<1x2x5x4xf32> {
  // CHECK: %[[R:.+]] = dlcc.pool avg %[[X]], window = [3, 3], strides = [2, 2], pad_low = [1, 1], pad_high = [1, 1], dilations = [1, 1] count_include_pad : (tensor<1x2x8x8xf32>) -> tensor<1x2x5x4xf32>
  // CHECK: return %[[R]]
  %0 = dlcc.pool avg %x, window = [3, 3], strides = [2, 2], pad_low = [1, 1],
      pad_high = [1, 1], dilations = [1, 1] count_include_pad
      : (tensor<1x2x8x8xf32>) -> tensor<1x2x5x4xf32>
  return %0 : tensor<1x2x5x4xf32>
}

// Max pooling also takes integer tensors.
// CHECK-LABEL: func.func @pool_max_integer
// CHECK-SAME: (%[[X:.+]]: tensor<1x2x8x8xi32>)
func.func @pool_max_integer(%x: tensor<1x2x8x8xi32>) -> tensor<1x2x4x4xi32> {
  // CHECK: %[[R:.+]] = dlcc.pool max %[[X]], window = [2, 2], strides = [2, 2], pad_low = [0, 0], pad_high = [0, 0], dilations = [1, 1] : (tensor<1x2x8x8xi32>) -> tensor<1x2x4x4xi32>
  // CHECK: return %[[R]]
  %0 = dlcc.pool max %x, window = [2, 2], strides = [2, 2], pad_low = [0, 0],
      pad_high = [0, 0], dilations = [1, 1]
      : (tensor<1x2x8x8xi32>) -> tensor<1x2x4x4xi32>
  return %0 : tensor<1x2x4x4xi32>
}

// CHECK-LABEL: func.func @pool_backward
// CHECK-SAME: (%[[X:.+]]: tensor<8x16x32x32xf32>, %[[DY:.+]]: tensor<8x16x16x16xf32>)
func.func @pool_backward(%x: tensor<8x16x32x32xf32>, %dy: tensor<8x16x16x16xf32>)
    -> (tensor<8x16x32x32xf32>, tensor<8x16x32x32xf32>) {
  // CHECK: %[[MAX:.+]] = dlcc.pool_backward max %[[X]], %[[DY]], window = [2, 2], strides = [2, 2], pad_low = [0, 0], pad_high = [0, 0], dilations = [1, 1] : (tensor<8x16x32x32xf32>, tensor<8x16x16x16xf32>) -> tensor<8x16x32x32xf32>
  // CHECK: %[[AVG:.+]] = dlcc.pool_backward avg %[[X]], %[[DY]], window = [3, 3], strides = [2, 2], pad_low = [1, 1], pad_high = [1, 1], dilations = [1, 1] count_include_pad : (tensor<8x16x32x32xf32>, tensor<8x16x16x16xf32>) -> tensor<8x16x32x32xf32>
  // CHECK: return %[[MAX]], %[[AVG]]
  %0 = dlcc.pool_backward max %x, %dy, window = [2, 2], strides = [2, 2],
      pad_low = [0, 0], pad_high = [0, 0], dilations = [1, 1]
      : (tensor<8x16x32x32xf32>, tensor<8x16x16x16xf32>) -> tensor<8x16x32x32xf32>
  %1 = dlcc.pool_backward avg %x, %dy, window = [3, 3], strides = [2, 2],
      pad_low = [1, 1], pad_high = [1, 1], dilations = [1, 1] count_include_pad
      : (tensor<8x16x32x32xf32>, tensor<8x16x16x16xf32>) -> tensor<8x16x32x32xf32>
  return %0, %1 : tensor<8x16x32x32xf32>, tensor<8x16x32x32xf32>
}

// CHECK-LABEL: func.func @batch_norm_training
// CHECK-SAME: (%[[X:.+]]: tensor<8x16x4x4xf32>, %[[G:.+]]: tensor<16xf32>, %[[B:.+]]: tensor<16xf32>)
func.func @batch_norm_training(%x: tensor<8x16x4x4xf32>, %gamma: tensor<16xf32>, %beta: tensor<16xf32>)
    -> (tensor<8x16x4x4xf32>, tensor<16xf32>, tensor<16xf32>) {
  // CHECK: %[[R0:.+]], %[[R1:.+]], %[[R2:.+]] = dlcc.batch_norm_training %[[X]], %[[G]], %[[B]], epsilon = 9.99999974E-6 : (tensor<8x16x4x4xf32>, tensor<16xf32>, tensor<16xf32>) -> (tensor<8x16x4x4xf32>, tensor<16xf32>, tensor<16xf32>)
  // CHECK: return %[[R0]], %[[R1]], %[[R2]]
  %y, %mean, %var = dlcc.batch_norm_training %x, %gamma, %beta, epsilon = 1.0e-05
      : (tensor<8x16x4x4xf32>, tensor<16xf32>, tensor<16xf32>)
      -> (tensor<8x16x4x4xf32>, tensor<16xf32>, tensor<16xf32>)
  return %y, %mean, %var : tensor<8x16x4x4xf32>, tensor<16xf32>, tensor<16xf32>
}

// CHECK-LABEL: func.func @batch_norm_inference
// CHECK-SAME: (%[[X:.+]]: tensor<8x16xf32>, %[[G:.+]]: tensor<16xf32>, %[[B:.+]]: tensor<16xf32>, %[[M:.+]]: tensor<16xf32>, %[[V:.+]]: tensor<16xf32>)
func.func @batch_norm_inference(%x: tensor<8x16xf32>, %gamma: tensor<16xf32>, %beta: tensor<16xf32>,
                                %mean: tensor<16xf32>, %var: tensor<16xf32>) -> tensor<8x16xf32> {
  // CHECK: %[[R:.+]] = dlcc.batch_norm_inference %[[X]], %[[G]], %[[B]], %[[M]], %[[V]], epsilon = 1.000000e-03 : (tensor<8x16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<8x16xf32>
  // CHECK: return %[[R]]
  %0 = dlcc.batch_norm_inference %x, %gamma, %beta, %mean, %var, epsilon = 1.0e-03
      : (tensor<8x16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>,
         tensor<16xf32>) -> tensor<8x16xf32>
  return %0 : tensor<8x16xf32>
}

// CHECK-LABEL: func.func @batch_norm_backward
// CHECK-SAME: (%[[X:.+]]: tensor<8x16x4x4xf32>, %[[G:.+]]: tensor<16xf32>, %[[M:.+]]: tensor<16xf32>, %[[V:.+]]: tensor<16xf32>, %[[DY:.+]]: tensor<8x16x4x4xf32>)
func.func @batch_norm_backward(%x: tensor<8x16x4x4xf32>, %gamma: tensor<16xf32>, %mean: tensor<16xf32>,
                               %var: tensor<16xf32>, %dy: tensor<8x16x4x4xf32>)
    -> (tensor<8x16x4x4xf32>, tensor<16xf32>, tensor<16xf32>) {
  // CHECK: %[[R0:.+]], %[[R1:.+]], %[[R2:.+]] = dlcc.batch_norm_backward %[[X]], %[[G]], %[[M]], %[[V]], %[[DY]], epsilon = 9.99999974E-6 : (tensor<8x16x4x4xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<8x16x4x4xf32>) -> (tensor<8x16x4x4xf32>, tensor<16xf32>, tensor<16xf32>)
  // CHECK: return %[[R0]], %[[R1]], %[[R2]]
  %dx, %dg, %db = dlcc.batch_norm_backward %x, %gamma, %mean, %var, %dy, epsilon = 1.0e-05
      : (tensor<8x16x4x4xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>,
         tensor<8x16x4x4xf32>) -> (tensor<8x16x4x4xf32>, tensor<16xf32>, tensor<16xf32>)
  return %dx, %dg, %db : tensor<8x16x4x4xf32>, tensor<16xf32>, tensor<16xf32>
}

// CHECK-LABEL: func.func @layer_norm
// CHECK-SAME: (%[[X:.+]]: tensor<2x8x64xf32>, %[[G:.+]]: tensor<64xf32>, %[[B:.+]]: tensor<64xf32>)
func.func @layer_norm(%x: tensor<2x8x64xf32>, %gamma: tensor<64xf32>, %beta: tensor<64xf32>)
    -> (tensor<2x8x64xf32>, tensor<2x8x1xf32>, tensor<2x8x1xf32>) {
  // CHECK: %[[R0:.+]], %[[R1:.+]], %[[R2:.+]] = dlcc.layer_norm %[[X]], %[[G]], %[[B]], axis = 2, epsilon = 9.99999974E-6 : (tensor<2x8x64xf32>, tensor<64xf32>, tensor<64xf32>) -> (tensor<2x8x64xf32>, tensor<2x8x1xf32>, tensor<2x8x1xf32>)
  // CHECK: return %[[R0]], %[[R1]], %[[R2]]
  %y, %mean, %rstd = dlcc.layer_norm %x, %gamma, %beta, axis = 2, epsilon = 1.0e-05
      : (tensor<2x8x64xf32>, tensor<64xf32>, tensor<64xf32>)
      -> (tensor<2x8x64xf32>, tensor<2x8x1xf32>, tensor<2x8x1xf32>)
  return %y, %mean, %rstd : tensor<2x8x64xf32>, tensor<2x8x1xf32>, tensor<2x8x1xf32>
}

// CHECK-LABEL: func.func @layer_norm_multi_axis
// CHECK-SAME: (%[[X:.+]]: tensor<2x8x64xf32>, %[[G:.+]]: tensor<8x64xf32>, %[[B:.+]]: tensor<8x64xf32>)
func.func @layer_norm_multi_axis(%x: tensor<2x8x64xf32>, %gamma: tensor<8x64xf32>, %beta: tensor<8x64xf32>)
    -> (tensor<2x8x64xf32>, tensor<2x1x1xf32>, tensor<2x1x1xf32>) {
  // CHECK: %[[R0:.+]], %[[R1:.+]], %[[R2:.+]] = dlcc.layer_norm %[[X]], %[[G]], %[[B]], axis = 1, epsilon = 9.99999974E-6 : (tensor<2x8x64xf32>, tensor<8x64xf32>, tensor<8x64xf32>) -> (tensor<2x8x64xf32>, tensor<2x1x1xf32>, tensor<2x1x1xf32>)
  // CHECK: return %[[R0]], %[[R1]], %[[R2]]
  %y, %mean, %rstd = dlcc.layer_norm %x, %gamma, %beta, axis = 1, epsilon = 1.0e-05
      : (tensor<2x8x64xf32>, tensor<8x64xf32>, tensor<8x64xf32>)
      -> (tensor<2x8x64xf32>, tensor<2x1x1xf32>, tensor<2x1x1xf32>)
  return %y, %mean, %rstd : tensor<2x8x64xf32>, tensor<2x1x1xf32>, tensor<2x1x1xf32>
}

// CHECK-LABEL: func.func @layer_norm_backward
// CHECK-SAME: (%[[X:.+]]: tensor<2x8x64xf32>, %[[G:.+]]: tensor<64xf32>, %[[M:.+]]: tensor<2x8x1xf32>, %[[S:.+]]: tensor<2x8x1xf32>, %[[DY:.+]]: tensor<2x8x64xf32>)
func.func @layer_norm_backward(%x: tensor<2x8x64xf32>, %gamma: tensor<64xf32>, %mean: tensor<2x8x1xf32>,
                               %rstd: tensor<2x8x1xf32>, %dy: tensor<2x8x64xf32>)
    -> (tensor<2x8x64xf32>, tensor<64xf32>, tensor<64xf32>) {
  // CHECK: %[[R0:.+]], %[[R1:.+]], %[[R2:.+]] = dlcc.layer_norm_backward %[[X]], %[[G]], %[[M]], %[[S]], %[[DY]], axis = 2 : (tensor<2x8x64xf32>, tensor<64xf32>, tensor<2x8x1xf32>, tensor<2x8x1xf32>, tensor<2x8x64xf32>) -> (tensor<2x8x64xf32>, tensor<64xf32>, tensor<64xf32>)
  // CHECK: return %[[R0]], %[[R1]], %[[R2]]
  %dx, %dg, %db = dlcc.layer_norm_backward %x, %gamma, %mean, %rstd, %dy, axis = 2
      : (tensor<2x8x64xf32>, tensor<64xf32>, tensor<2x8x1xf32>, tensor<2x8x1xf32>,
         tensor<2x8x64xf32>) -> (tensor<2x8x64xf32>, tensor<64xf32>, tensor<64xf32>)
  return %dx, %dg, %db : tensor<2x8x64xf32>, tensor<64xf32>, tensor<64xf32>
}

// CHECK-LABEL: func.func @softmax_family
// CHECK-SAME: (%[[X:.+]]: tensor<4x10xf32>, %[[DY:.+]]: tensor<4x10xf32>)
func.func @softmax_family(%x: tensor<4x10xf32>, %dy: tensor<4x10xf32>)
    -> (tensor<4x10xf32>, tensor<4x10xf32>) {
  // CHECK: %[[P:.+]] = dlcc.softmax %[[X]], dim = 1 : tensor<4x10xf32>
  // CHECK: %[[LP:.+]] = dlcc.log_softmax %[[X]], dim = 0 : tensor<4x10xf32>
  // CHECK: %[[DP:.+]] = dlcc.softmax_backward %[[P]], %[[DY]], dim = 1 : tensor<4x10xf32>
  // CHECK: %[[DLP:.+]] = dlcc.log_softmax_backward %[[LP]], %[[DY]], dim = 0 : tensor<4x10xf32>
  // CHECK: return %[[DP]], %[[DLP]]
  %p = dlcc.softmax %x, dim = 1 : tensor<4x10xf32>
  %lp = dlcc.log_softmax %x, dim = 0 : tensor<4x10xf32>
  %dp = dlcc.softmax_backward %p, %dy, dim = 1 : tensor<4x10xf32>
  %dlp = dlcc.log_softmax_backward %lp, %dy, dim = 0 : tensor<4x10xf32>
  return %dp, %dlp : tensor<4x10xf32>, tensor<4x10xf32>
}

// CHECK-LABEL: func.func @cross_entropy_mean
// CHECK-SAME: (%[[LP:.+]]: tensor<8x10xf32>, %[[L:.+]]: tensor<8xi64>)
func.func @cross_entropy_mean(%logp: tensor<8x10xf32>, %labels: tensor<8xi64>) -> tensor<f32> {
  // CHECK: %[[R:.+]] = dlcc.cross_entropy %[[LP]], %[[L]], ignore_index = -100, reduction = mean : (tensor<8x10xf32>, tensor<8xi64>) -> tensor<f32>
  // CHECK: return %[[R]]
  %0 = dlcc.cross_entropy %logp, %labels, ignore_index = -100, reduction = mean
      : (tensor<8x10xf32>, tensor<8xi64>) -> tensor<f32>
  return %0 : tensor<f32>
}

// CHECK-LABEL: func.func @cross_entropy_weights_sum
// CHECK-SAME: (%[[LP:.+]]: tensor<8x10xf32>, %[[L:.+]]: tensor<8xi32>, %[[W:.+]]: tensor<10xf32>)
func.func @cross_entropy_weights_sum(%logp: tensor<8x10xf32>, %labels: tensor<8xi32>, %w: tensor<10xf32>) -> tensor<f32> {
  // CHECK: %[[R:.+]] = dlcc.cross_entropy %[[LP]], %[[L]] weights %[[W]], ignore_index = 0, reduction = sum : (tensor<8x10xf32>, tensor<8xi32>, tensor<10xf32>) -> tensor<f32>
  // CHECK: return %[[R]]
  %0 = dlcc.cross_entropy %logp, %labels weights %w, ignore_index = 0, reduction = sum
      : (tensor<8x10xf32>, tensor<8xi32>, tensor<10xf32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// CHECK-LABEL: func.func @cross_entropy_spatial_none
// CHECK-SAME: (%[[LP:.+]]: tensor<2x10x5xf32>, %[[L:.+]]: tensor<2x5xi64>)
func.func @cross_entropy_spatial_none(%logp: tensor<2x10x5xf32>, %labels: tensor<2x5xi64>) -> tensor<2x5xf32> {
  // CHECK: %[[R:.+]] = dlcc.cross_entropy %[[LP]], %[[L]], ignore_index = -1, reduction = none : (tensor<2x10x5xf32>, tensor<2x5xi64>) -> tensor<2x5xf32>
  // CHECK: return %[[R]]
  %0 = dlcc.cross_entropy %logp, %labels, ignore_index = -1, reduction = none
      : (tensor<2x10x5xf32>, tensor<2x5xi64>) -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// CHECK-LABEL: func.func @dropout_mask
// CHECK-SAME: (%[[K:.+]]: tensor<2xi64>)
func.func @dropout_mask(%key: tensor<2xi64>) -> (tensor<8x64xi1>, tensor<3xi1>) {
  // CHECK: %[[M0:.+]] = dlcc.dropout_mask %[[K]], ratio = 1.000000e-01 : (tensor<2xi64>) -> tensor<8x64xi1>
  // CHECK: %[[M1:.+]] = dlcc.dropout_mask %[[K]], ratio = 0.000000e+00 : (tensor<2xi64>) -> tensor<3xi1>
  // CHECK: return %[[M0]], %[[M1]]
  %0 = dlcc.dropout_mask %key, ratio = 0.1 : (tensor<2xi64>) -> tensor<8x64xi1>
  %1 = dlcc.dropout_mask %key, ratio = 0.0 : (tensor<2xi64>) -> tensor<3xi1>
  return %0, %1 : tensor<8x64xi1>, tensor<3xi1>
}

//===----------------------------------------------------------------------===//
// Program ops
//===----------------------------------------------------------------------===//

// CHECK: dlcc.state_slot parameter @fc1.weight : tensor<8x4xf32>{{$}}
dlcc.state_slot parameter @"fc1.weight" : tensor<8x4xf32>
// CHECK: dlcc.state_slot batch_norm_statistic @running_mean : tensor<2xf32> = dense<0.000000e+00> : tensor<2xf32>{{$}}
dlcc.state_slot batch_norm_statistic @running_mean : tensor<2xf32> = dense<0.0> : tensor<2xf32>
// CHECK: dlcc.state_slot optimizer @moment : tensor<3xf16> = dense<[1.000000e+00, 2.000000e+00, 3.000000e+00]> : tensor<3xf16>{{$}}
dlcc.state_slot optimizer @moment : tensor<3xf16> = dense<[1.0, 2.0, 3.0]> : tensor<3xf16>
// CHECK: dlcc.state_slot rng @rng : tensor<2xi64> = dense<[42, 0]> : tensor<2xi64>{{$}}
dlcc.state_slot rng @rng : tensor<2xi64> = dense<[42, 0]> : tensor<2xi64>
// CHECK: dlcc.state_slot parameter @fc1.bias : tensor<2xf32> = dense_resource<blob1> : tensor<2xf32>{{$}}
dlcc.state_slot parameter @"fc1.bias" : tensor<2xf32> = dense_resource<blob1> : tensor<2xf32>

// CHECK-LABEL: func.func @state_argument
// CHECK-SAME: (%[[W:.+]]: tensor<8x4xf32> {dlcc.state = @fc1.weight})
func.func @state_argument(%w: tensor<8x4xf32> {dlcc.state = @"fc1.weight"}) -> tensor<8x4xf32> {
  // CHECK: return %[[W]] : tensor<8x4xf32>
  return %w : tensor<8x4xf32>
}

// CHECK-LABEL: func.func @gradient
// CHECK-SAME: (%[[A:.+]]: tensor<4xf32>, %[[B:.+]]: tensor<4xf32>)
func.func @gradient(%a: tensor<4xf32>, %b: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  // CHECK: %[[P:.+]] = dlcc.mul %[[A]], %[[B]] : tensor<4xf32>
  // CHECK: %[[Y:.+]] = dlcc.reduce sum %[[P]], dims = [0] : (tensor<4xf32>) -> tensor<f32>
  // CHECK: %[[G:.+]]:2 = dlcc.gradient %[[Y]] wrt %[[A]], %[[B]] : (tensor<f32>, tensor<4xf32>, tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>)
  // CHECK: return %[[G]]#0, %[[G]]#1
  %p = dlcc.mul %a, %b : tensor<4xf32>
  %y = dlcc.reduce sum %p, dims = [0] : (tensor<4xf32>) -> tensor<f32>
  %da, %db = dlcc.gradient %y wrt %a, %b
      : (tensor<f32>, tensor<4xf32>, tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>)
  return %da, %db : tensor<4xf32>, tensor<4xf32>
}

// CHECK-LABEL: func.func @gradient_single
// CHECK-SAME: (%[[Y:.+]]: tensor<f64>, %[[X:.+]]: tensor<2x2xf64>)
func.func @gradient_single(%y: tensor<f64>, %x: tensor<2x2xf64>) -> tensor<2x2xf64> {
  // CHECK: %[[G:.+]] = dlcc.gradient %[[Y]] wrt %[[X]] : (tensor<f64>, tensor<2x2xf64>) -> tensor<2x2xf64>
  // CHECK: return %[[G]]
  %0 = dlcc.gradient %y wrt %x : (tensor<f64>, tensor<2x2xf64>) -> tensor<2x2xf64>
  return %0 : tensor<2x2xf64>
}

// CHECK: dialect_resources
// CHECK: blob1: "0x040000000000803F00000040"
{-#
  dialect_resources: {
    builtin: {
      blob1: "0x040000000000803F00000040"
    }
  }
#-}
