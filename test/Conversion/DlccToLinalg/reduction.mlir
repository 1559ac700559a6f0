// RUN: dlcc-opt %s --dlcc-convert-to-linalg --split-input-file | FileCheck %s

// Float sums start from -0.0, the exact additive identity.
// CHECK-LABEL: func.func @reduce_sum_f32
// CHECK-SAME: (%[[X:.+]]: tensor<4x8xf32>)
// CHECK: %[[Z:.+]] = arith.constant -0.000000e+00 : f32
// CHECK: %[[E:.+]] = tensor.empty() : tensor<4xf32>
// CHECK: %[[I:.+]] = linalg.fill ins(%[[Z]] : f32) outs(%[[E]] : tensor<4xf32>) -> tensor<4xf32>
// CHECK: %[[R:.+]] = linalg.reduce { arith.addf } ins(%[[X]] : tensor<4x8xf32>) outs(%[[I]] : tensor<4xf32>) dimensions = [1]
// CHECK: return %[[R]]
func.func @reduce_sum_f32(%x: tensor<4x8xf32>) -> tensor<4xf32> {
  %0 = dlcc.reduce sum %x, dims = [1] : (tensor<4x8xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// An empty reduction answers +0.0.
// CHECK-LABEL: func.func @reduce_sum_empty
// CHECK: arith.constant 0.000000e+00 : f32
// CHECK: linalg.reduce { arith.addf } ins(%{{.+}} : tensor<4x0xf32>)
func.func @reduce_sum_empty(%x: tensor<4x0xf32>) -> tensor<4xf32> {
  %0 = dlcc.reduce sum %x, dims = [1] : (tensor<4x0xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Float max/min start from -inf/+inf and propagate NaN.
// CHECK-LABEL: func.func @reduce_max_min_f32
// CHECK: arith.constant 0xFF800000 : f32
// CHECK: linalg.reduce { arith.maximumf } {{.*}} dimensions = [0, 1]
// CHECK: arith.constant 0x7F800000 : f32
// CHECK: linalg.reduce { arith.minimumf } {{.*}} dimensions = [0]
func.func @reduce_max_min_f32(%x: tensor<4x8xf32>) -> (tensor<f32>, tensor<8xf32>) {
  %0 = dlcc.reduce max %x, dims = [0, 1] : (tensor<4x8xf32>) -> tensor<f32>
  %1 = dlcc.reduce min %x, dims = [0] : (tensor<4x8xf32>) -> tensor<8xf32>
  return %0, %1 : tensor<f32>, tensor<8xf32>
}

// -----

// CHECK-LABEL: func.func @reduce_signed_i64
// CHECK: arith.constant -9223372036854775808 : i64
// CHECK: linalg.reduce { arith.maxsi }
// CHECK: arith.constant 9223372036854775807 : i64
// CHECK: linalg.reduce { arith.minsi }
// CHECK: arith.constant 1 : i64
// CHECK: linalg.reduce { arith.muli
// CHECK: arith.constant 0 : i64
// CHECK: linalg.reduce { arith.addi
func.func @reduce_signed_i64(%x: tensor<3x5xi64>)
    -> (tensor<3xi64>, tensor<3xi64>, tensor<3xi64>, tensor<3xi64>) {
  %0 = dlcc.reduce max %x, dims = [1] : (tensor<3x5xi64>) -> tensor<3xi64>
  %1 = dlcc.reduce min %x, dims = [1] : (tensor<3x5xi64>) -> tensor<3xi64>
  %2 = dlcc.reduce prod %x, dims = [1] : (tensor<3x5xi64>) -> tensor<3xi64>
  %3 = dlcc.reduce sum %x, dims = [1] : (tensor<3x5xi64>) -> tensor<3xi64>
  return %0, %1, %2, %3 : tensor<3xi64>, tensor<3xi64>, tensor<3xi64>, tensor<3xi64>
}

// -----

// Unsigned bounds: max starts from 0, min from 255 (printed -1 as i8).
// CHECK-LABEL: func.func @reduce_unsigned
// CHECK-SAME: (%{{.+}}: tensor<6xi8>) -> (tensor<i8>, tensor<i8>)
// CHECK: arith.constant 0 : i8
// CHECK: linalg.reduce { arith.maxui }
// CHECK: arith.constant -1 : i8
// CHECK: linalg.reduce { arith.minui }
func.func @reduce_unsigned(%x: tensor<6xui8>) -> (tensor<ui8>, tensor<ui8>) {
  %0 = dlcc.reduce max %x, dims = [0] : (tensor<6xui8>) -> tensor<ui8>
  %1 = dlcc.reduce min %x, dims = [0] : (tensor<6xui8>) -> tensor<ui8>
  return %0, %1 : tensor<ui8>, tensor<ui8>
}

// -----

// i1: max is or (from false), min is and (from true).
// CHECK-LABEL: func.func @reduce_pred
// CHECK: arith.constant false
// CHECK: linalg.reduce { arith.maxui }
// CHECK: arith.constant true
// CHECK: linalg.reduce { arith.minui }
func.func @reduce_pred(%x: tensor<2x3xi1>) -> (tensor<2xi1>, tensor<2xi1>) {
  %0 = dlcc.reduce max %x, dims = [1] : (tensor<2x3xi1>) -> tensor<2xi1>
  %1 = dlcc.reduce min %x, dims = [1] : (tensor<2x3xi1>) -> tensor<2xi1>
  return %0, %1 : tensor<2xi1>, tensor<2xi1>
}

// -----

// CHECK-LABEL: func.func @reduce_no_dims
// CHECK-SAME: (%[[X:.+]]: tensor<f32>)
// CHECK-NEXT: return %[[X]]
func.func @reduce_no_dims(%x: tensor<f32>) -> tensor<f32> {
  %0 = dlcc.reduce sum %x, dims = [] : (tensor<f32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

// Two outputs (value, index); the first NaN wins, then strict comparison
// keeps the first of equal values.
// CHECK-DAG: #[[IN:.+]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[OUT:.+]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @argmax_f32
// CHECK-SAME: (%[[X:.+]]: tensor<4x8xf32>)
// CHECK: %[[NINF:.+]] = arith.constant 0xFF800000 : f32
// CHECK: %[[V0:.+]] = linalg.fill ins(%[[NINF]] : f32) outs(%{{.+}} : tensor<4xf32>)
// CHECK: %[[ZERO:.+]] = arith.constant 0 : i64
// CHECK: %[[I0:.+]] = linalg.fill ins(%[[ZERO]] : i64) outs(%{{.+}} : tensor<4xi64>)
// CHECK: %[[R:.+]]:2 = linalg.generic {indexing_maps = [#[[IN]], #[[OUT]], #[[OUT]]], iterator_types = ["parallel", "reduction"]} ins(%[[X]] : tensor<4x8xf32>) outs(%[[V0]], %[[I0]] : tensor<4xf32>, tensor<4xi64>)
// CHECK: ^bb0(%[[A:.+]]: f32, %[[V:.+]]: f32, %[[I:.+]]: i64):
// CHECK: %[[GT:.+]] = arith.cmpf ogt, %[[A]], %[[V]] : f32
// CHECK: %[[ANAN:.+]] = arith.cmpf uno, %[[A]], %[[A]] : f32
// CHECK: %[[VNUM:.+]] = arith.cmpf ord, %[[V]], %[[V]] : f32
// CHECK: %[[NEWNAN:.+]] = arith.andi %[[ANAN]], %[[VNUM]] : i1
// CHECK: %[[TAKE:.+]] = arith.ori %[[GT]], %[[NEWNAN]] : i1
// CHECK: %[[K:.+]] = linalg.index 1 : index
// CHECK: %[[K64:.+]] = arith.index_cast %[[K]] : index to i64
// CHECK: %[[NV:.+]] = arith.select %[[TAKE]], %[[A]], %[[V]] : f32
// CHECK: %[[NI:.+]] = arith.select %[[TAKE]], %[[K64]], %[[I]] : i64
// CHECK: linalg.yield %[[NV]], %[[NI]] : f32, i64
// CHECK: return %[[R]]#1
func.func @argmax_f32(%x: tensor<4x8xf32>) -> tensor<4xi64> {
  %0 = dlcc.arg_reduce argmax %x, dim = 1 : (tensor<4x8xf32>) -> tensor<4xi64>
  return %0 : tensor<4xi64>
}

// -----

// Last index: non-strict comparison, and any NaN takes over.
// CHECK-LABEL: func.func @argmin_f32_last
// CHECK: arith.constant 0x7F800000 : f32
// CHECK: ^bb0(%[[A:.+]]: f32, %[[V:.+]]: f32, %{{.+}}: i64):
// CHECK: %[[LE:.+]] = arith.cmpf ole, %[[A]], %[[V]] : f32
// CHECK: %[[ANAN:.+]] = arith.cmpf uno, %[[A]], %[[A]] : f32
// CHECK: arith.ori %[[LE]], %[[ANAN]] : i1
func.func @argmin_f32_last(%x: tensor<8xf32>) -> tensor<i64> {
  %0 = dlcc.arg_reduce argmin %x, dim = 0 {select_last_index} : (tensor<8xf32>) -> tensor<i64>
  return %0 : tensor<i64>
}

// -----

// CHECK-DAG: #[[OUT:.+]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @arg_reduce_int
// CHECK: arith.constant -1 : i8
// CHECK: linalg.generic {indexing_maps = [{{.+}}, #[[OUT]], #[[OUT]]], iterator_types = ["reduction", "parallel"]}
// CHECK: arith.cmpi ult
// CHECK: linalg.index 0 : index
// CHECK: arith.constant -9223372036854775808 : i64
// CHECK: arith.cmpi sge
func.func @arg_reduce_int(%u: tensor<3x4xui8>, %x: tensor<5xi64>) -> (tensor<4xi64>, tensor<i64>) {
  %0 = dlcc.arg_reduce argmin %u, dim = 0 : (tensor<3x4xui8>) -> tensor<4xi64>
  %1 = dlcc.arg_reduce argmax %x, dim = 0 {select_last_index} : (tensor<5xi64>) -> tensor<i64>
  return %0, %1 : tensor<4xi64>, tensor<i64>
}

// -----

// The extra loop d2 walks the summed dimension; the input reads at it.
// CHECK-DAG: #[[IN:.+]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[OUT:.+]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @cumsum_f32
// CHECK-SAME: (%[[X:.+]]: tensor<4x8xf32>)
// CHECK: %[[Z:.+]] = arith.constant -0.000000e+00 : f32
// CHECK: %[[INIT:.+]] = linalg.fill ins(%[[Z]] : f32)
// CHECK: %[[R:.+]] = linalg.generic {indexing_maps = [#[[IN]], #[[OUT]]], iterator_types = ["parallel", "parallel", "reduction"]} ins(%[[X]] : tensor<4x8xf32>) outs(%[[INIT]] : tensor<4x8xf32>)
// CHECK: ^bb0(%[[A:.+]]: f32, %[[ACC:.+]]: f32):
// CHECK: %[[K:.+]] = linalg.index 2 : index
// CHECK: %[[I:.+]] = linalg.index 1 : index
// CHECK: %[[TAKE:.+]] = arith.cmpi sle, %[[K]], %[[I]] : index
// CHECK: %[[SUM:.+]] = arith.addf %[[ACC]], %[[A]] : f32
// CHECK: %[[OUT:.+]] = arith.select %[[TAKE]], %[[SUM]], %[[ACC]] : f32
// CHECK: linalg.yield %[[OUT]] : f32
// CHECK: return %[[R]]
func.func @cumsum_f32(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %0 = dlcc.cumsum %x, dim = 1 : tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

// CHECK-LABEL: func.func @cumsum_variants
// CHECK: arith.constant 0.000000e+00 : f32
// CHECK: arith.cmpi slt
// CHECK: arith.constant -0.000000e+00 : f32
// CHECK: arith.cmpi sge
// CHECK: arith.constant 0 : i64
// CHECK: arith.cmpi sgt
// CHECK: arith.addi
func.func @cumsum_variants(%x: tensor<8xf32>, %y: tensor<2x3xi64>)
    -> (tensor<8xf32>, tensor<8xf32>, tensor<2x3xi64>) {
  %0 = dlcc.cumsum %x, dim = 0 {exclusive} : tensor<8xf32>
  %1 = dlcc.cumsum %x, dim = 0 {reverse} : tensor<8xf32>
  %2 = dlcc.cumsum %y, dim = 0 {exclusive, reverse} : tensor<2x3xi64>
  return %0, %1, %2 : tensor<8xf32>, tensor<8xf32>, tensor<2x3xi64>
}

// -----

// CHECK-LABEL: func.func @cumsum_unsigned
// CHECK-SAME: (%{{.+}}: tensor<5xi8>) -> tensor<5xi8>
// CHECK: arith.addi %{{.+}}, %{{.+}} : i8
func.func @cumsum_unsigned(%x: tensor<5xui8>) -> tensor<5xui8> {
  %0 = dlcc.cumsum %x, dim = 0 : tensor<5xui8>
  return %0 : tensor<5xui8>
}
