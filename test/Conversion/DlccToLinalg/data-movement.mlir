// RUN: dlcc-opt %s --dlcc-convert-to-linalg --split-input-file | FileCheck %s

// Unsigned constants keep their bits under the signless type.
// CHECK-LABEL: func.func @constant_unsigned
// CHECK-SAME: -> (tensor<3xi8>, tensor<f32>, tensor<2xi1>)
// CHECK-DAG: arith.constant dense<[1, -56, -1]> : tensor<3xi8>
// CHECK-DAG: arith.constant dense<2.500000e+00> : tensor<f32>
// CHECK-DAG: arith.constant dense<[true, false]> : tensor<2xi1>
// CHECK-NOT: dlcc.
func.func @constant_unsigned() -> (tensor<3xui8>, tensor<f32>, tensor<2xi1>) {
  %0 = dlcc.constant dense<[1, 200, 255]> : tensor<3xui8>
  %1 = dlcc.constant dense<2.5> : tensor<f32>
  %2 = dlcc.constant dense<[true, false]> : tensor<2xi1>
  return %0, %1, %2 : tensor<3xui8>, tensor<f32>, tensor<2xi1>
}

// -----

// dense_resource keeps its handle under the signless type.
// CHECK-LABEL: func.func @constant_resource_unsigned
// CHECK: %[[C:.+]] = arith.constant dense_resource<blob1> : tensor<2xi16>
// CHECK: return %[[C]]
func.func @constant_resource_unsigned() -> tensor<2xui16> {
  %0 = dlcc.constant dense_resource<blob1> : tensor<2xui16>
  return %0 : tensor<2xui16>
}
{-#
  dialect_resources: {
    builtin: {
      blob1: "0x08000000010002000300"
    }
  }
#-}

// -----

// CHECK-LABEL: func.func @iota_f32
// CHECK: %[[E:.+]] = tensor.empty() : tensor<2x3xf32>
// CHECK: linalg.generic {{.*}} outs(%[[E]] : tensor<2x3xf32>)
// CHECK: %[[I:.+]] = linalg.index 1 : index
// CHECK: %[[W:.+]] = arith.index_castui %[[I]] : index to i64
// CHECK: %[[F:.+]] = arith.uitofp %[[W]] : i64 to f32
// CHECK: linalg.yield %[[F]]
func.func @iota_f32() -> tensor<2x3xf32> {
  %0 = dlcc.iota dim = 1 : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @iota_int
// CHECK-SAME: -> (tensor<4xi8>, tensor<4xi64>)
// CHECK: arith.index_castui %{{.+}} : index to i8
// CHECK: arith.index_cast %{{.+}} : index to i64
func.func @iota_int() -> (tensor<4xui8>, tensor<4xi64>) {
  %0 = dlcc.iota dim = 0 : tensor<4xui8>
  %1 = dlcc.iota dim = 0 : tensor<4xi64>
  return %0, %1 : tensor<4xui8>, tensor<4xi64>
}

// -----

// A size-1 operand dimension that is repeated reads at constant 0.
// CHECK-DAG: #[[IN:.+]] = affine_map<(d0, d1, d2) -> (0, d2)>
// CHECK-DAG: #[[OUT:.+]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @broadcast_size_one
// CHECK-SAME: (%[[A:.+]]: tensor<1x3xf32>)
// CHECK: %[[E:.+]] = tensor.empty() : tensor<2x4x3xf32>
// CHECK: %[[R:.+]] = linalg.generic {indexing_maps = [#[[IN]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel"]} ins(%[[A]] : tensor<1x3xf32>) outs(%[[E]] : tensor<2x4x3xf32>)
// CHECK: ^bb0(%[[X:.+]]: f32, %{{.+}}: f32):
// CHECK: linalg.yield %[[X]] : f32
// CHECK: return %[[R]]
func.func @broadcast_size_one(%a: tensor<1x3xf32>) -> tensor<2x4x3xf32> {
  %0 = dlcc.broadcast_in_dim %a, dims = [0, 2] : (tensor<1x3xf32>) -> tensor<2x4x3xf32>
  return %0 : tensor<2x4x3xf32>
}

// -----

// CHECK-DAG: #[[IN:.+]] = affine_map<(d0, d1) -> ()>
// CHECK-LABEL: func.func @broadcast_scalar_unsigned
// CHECK-SAME: (%[[S:.+]]: tensor<i8>) -> tensor<2x2xi8>
// CHECK: linalg.generic {indexing_maps = [#[[IN]], {{.+}}]{{.*}} ins(%[[S]] : tensor<i8>) outs(%{{.+}} : tensor<2x2xi8>)
func.func @broadcast_scalar_unsigned(%s: tensor<ui8>) -> tensor<2x2xui8> {
  %0 = dlcc.broadcast_in_dim %s, dims = [] : (tensor<ui8>) -> tensor<2x2xui8>
  return %0 : tensor<2x2xui8>
}

// -----

// CHECK-LABEL: func.func @broadcast_same_shape
// CHECK-SAME: (%[[A:.+]]: tensor<4xi64>)
// CHECK-NEXT: return %[[A]]
func.func @broadcast_same_shape(%a: tensor<4xi64>) -> tensor<4xi64> {
  %0 = dlcc.broadcast_in_dim %a, dims = [0] : (tensor<4xi64>) -> tensor<4xi64>
  return %0 : tensor<4xi64>
}

// -----

// CHECK-LABEL: func.func @reshape_collapse_expand
// CHECK-SAME: (%[[A:.+]]: tensor<2x3x4xf32>)
// CHECK: %[[C:.+]] = tensor.collapse_shape %[[A]] {{\[}}[0, 1], [2]] : tensor<2x3x4xf32> into tensor<6x4xf32>
// CHECK: %[[E:.+]] = tensor.expand_shape %[[C]] {{\[}}[0], [1, 2]] output_shape [6, 2, 2] : tensor<6x4xf32> into tensor<6x2x2xf32>
// CHECK: return %[[C]], %[[E]]
func.func @reshape_collapse_expand(%a: tensor<2x3x4xf32>) -> (tensor<6x4xf32>, tensor<6x2x2xf32>) {
  %0 = dlcc.reshape %a : (tensor<2x3x4xf32>) -> tensor<6x4xf32>
  %1 = dlcc.reshape %0 : (tensor<6x4xf32>) -> tensor<6x2x2xf32>
  return %0, %1 : tensor<6x4xf32>, tensor<6x2x2xf32>
}

// -----

// Neither a collapse nor an expand: through 1-D.
// CHECK-LABEL: func.func @reshape_through_flat
// CHECK-SAME: (%[[A:.+]]: tensor<6x4xi1>)
// CHECK: %[[F:.+]] = tensor.collapse_shape %[[A]] {{\[}}[0, 1]] : tensor<6x4xi1> into tensor<24xi1>
// CHECK: %[[R:.+]] = tensor.expand_shape %[[F]] {{\[}}[0, 1]] output_shape [4, 6] : tensor<24xi1> into tensor<4x6xi1>
// CHECK: return %[[R]]
func.func @reshape_through_flat(%a: tensor<6x4xi1>) -> tensor<4x6xi1> {
  %0 = dlcc.reshape %a : (tensor<6x4xi1>) -> tensor<4x6xi1>
  return %0 : tensor<4x6xi1>
}

// -----

// CHECK-LABEL: func.func @reshape_rank0
// CHECK-SAME: (%[[A:.+]]: tensor<1x1xi8>)
// CHECK: %[[S:.+]] = tensor.collapse_shape %[[A]] [] : tensor<1x1xi8> into tensor<i8>
// CHECK: %[[R:.+]] = tensor.expand_shape %[[S]] [] output_shape [1, 1, 1] : tensor<i8> into tensor<1x1x1xi8>
// CHECK: return %[[S]], %[[R]]
func.func @reshape_rank0(%a: tensor<1x1xui8>) -> (tensor<ui8>, tensor<1x1x1xui8>) {
  %0 = dlcc.reshape %a : (tensor<1x1xui8>) -> tensor<ui8>
  %1 = dlcc.reshape %0 : (tensor<ui8>) -> tensor<1x1x1xui8>
  return %0, %1 : tensor<ui8>, tensor<1x1x1xui8>
}

// -----

// CHECK-LABEL: func.func @transpose
// CHECK-SAME: (%[[A:.+]]: tensor<2x3x4xi64>, %[[S:.+]]: tensor<f32>)
// CHECK: %[[E:.+]] = tensor.empty() : tensor<4x2x3xi64>
// CHECK: %[[T:.+]] = linalg.transpose ins(%[[A]] : tensor<2x3x4xi64>) outs(%[[E]] : tensor<4x2x3xi64>) permutation = [2, 0, 1]
// CHECK: return %[[T]], %[[S]]
func.func @transpose(%a: tensor<2x3x4xi64>, %s: tensor<f32>) -> (tensor<4x2x3xi64>, tensor<f32>) {
  %0 = dlcc.transpose %a, permutation = [2, 0, 1] : (tensor<2x3x4xi64>) -> tensor<4x2x3xi64>
  %1 = dlcc.transpose %s, permutation = [] : (tensor<f32>) -> tensor<f32>
  return %0, %1 : tensor<4x2x3xi64>, tensor<f32>
}

// -----

// CHECK-LABEL: func.func @slice_strided_unsigned
// CHECK-SAME: (%[[A:.+]]: tensor<4x8xi8>)
// CHECK: %[[S:.+]] = tensor.extract_slice %[[A]][1, 2] [3, 3] [1, 2] : tensor<4x8xi8> to tensor<3x3xi8>
// CHECK: return %[[S]]
func.func @slice_strided_unsigned(%a: tensor<4x8xui8>) -> tensor<3x3xui8> {
  %0 = dlcc.slice %a, start = [1, 2], limit = [4, 8], strides = [1, 2]
      : (tensor<4x8xui8>) -> tensor<3x3xui8>
  return %0 : tensor<3x3xui8>
}

// -----

// CHECK-LABEL: func.func @reverse_pred
// CHECK-SAME: (%[[A:.+]]: tensor<4x8xi1>)
// CHECK: linalg.generic {{.*}} outs(%{{.+}} : tensor<4x8xi1>)
// CHECK-DAG: %[[I:.+]] = linalg.index 0 : index
// CHECK-DAG: %[[J:.+]] = linalg.index 1 : index
// CHECK-DAG: %[[C7:.+]] = arith.constant 7 : index
// CHECK: %[[RJ:.+]] = arith.subi %[[C7]], %[[J]] : index
// CHECK: %[[V:.+]] = tensor.extract %[[A]][%[[I]], %[[RJ]]] : tensor<4x8xi1>
// CHECK: linalg.yield %[[V]] : i1
func.func @reverse_pred(%a: tensor<4x8xi1>) -> tensor<4x8xi1> {
  %0 = dlcc.reverse %a, dims = [1] : tensor<4x8xi1>
  return %0 : tensor<4x8xi1>
}

// -----

// CHECK-LABEL: func.func @reverse_rank0
// CHECK-SAME: (%[[A:.+]]: tensor<f32>)
// CHECK-NEXT: return %[[A]]
func.func @reverse_rank0(%a: tensor<f32>) -> tensor<f32> {
  %0 = dlcc.reverse %a, dims = [] : tensor<f32>
  return %0 : tensor<f32>
}

// -----

// CHECK-LABEL: func.func @pad_constant
// CHECK-SAME: (%[[A:.+]]: tensor<4x8xi8>, %[[P:.+]]: tensor<i8>)
// CHECK: %[[V:.+]] = tensor.extract %[[P]][] : tensor<i8>
// CHECK: %[[R:.+]] = tensor.pad %[[A]] low[0, 1] high[2, 1]
// CHECK: tensor.yield %[[V]] : i8
// CHECK: } : tensor<4x8xi8> to tensor<6x10xi8>
// CHECK: return %[[R]]
func.func @pad_constant(%a: tensor<4x8xui8>, %p: tensor<ui8>) -> tensor<6x10xui8> {
  %0 = dlcc.pad constant %a, %p, low = [0, 1], high = [2, 1]
      : (tensor<4x8xui8>, tensor<ui8>) -> tensor<6x10xui8>
  return %0 : tensor<6x10xui8>
}

// -----

// Edge mode clamps the unpadded position into [0, n-1]; the unpadded
// dimension 0 reads at its loop index.
// CHECK-LABEL: func.func @pad_edge
// CHECK-SAME: (%[[A:.+]]: tensor<4x8xf32>, %{{.+}}: tensor<f32>)
// CHECK: linalg.generic {{.*}} outs(%{{.+}} : tensor<4x11xf32>)
// CHECK: %[[I:.+]] = linalg.index 0 : index
// CHECK: %[[J:.+]] = linalg.index 1 : index
// CHECK: %[[C2:.+]] = arith.constant 2 : index
// CHECK: %[[S:.+]] = arith.subi %[[J]], %[[C2]] : index
// CHECK: %[[C0:.+]] = arith.constant 0 : index
// CHECK: %[[C7:.+]] = arith.constant 7 : index
// CHECK: %[[LO:.+]] = arith.maxsi %[[S]], %[[C0]] : index
// CHECK: %[[P:.+]] = arith.minsi %[[LO]], %[[C7]] : index
// CHECK: tensor.extract %[[A]][%[[I]], %[[P]]] : tensor<4x8xf32>
func.func @pad_edge(%a: tensor<4x8xf32>, %p: tensor<f32>) -> tensor<4x11xf32> {
  %0 = dlcc.pad edge %a, %p, low = [0, 2], high = [0, 1]
      : (tensor<4x8xf32>, tensor<f32>) -> tensor<4x11xf32>
  return %0 : tensor<4x11xf32>
}

// -----

// Reflect: (n-1) - |(n-1) - |j||.
// CHECK-LABEL: func.func @pad_reflect
// CHECK-SAME: (%[[A:.+]]: tensor<5xi64>, %{{.+}}: tensor<i64>)
// CHECK: %[[I:.+]] = linalg.index 0 : index
// CHECK: %[[J:.+]] = arith.subi %[[I]], %{{.+}} : index
// CHECK: %[[NJ:.+]] = arith.subi %{{.+}}, %[[J]] : index
// CHECK: %[[AJ:.+]] = arith.maxsi %[[J]], %[[NJ]] : index
// CHECK: %[[D:.+]] = arith.subi %[[LAST:.+]], %[[AJ]] : index
// CHECK: %[[ND:.+]] = arith.subi %{{.+}}, %[[D]] : index
// CHECK: %[[AD:.+]] = arith.maxsi %[[D]], %[[ND]] : index
// CHECK: %[[P:.+]] = arith.subi %[[LAST]], %[[AD]] : index
// CHECK: tensor.extract %[[A]][%[[P]]] : tensor<5xi64>
func.func @pad_reflect(%a: tensor<5xi64>, %p: tensor<i64>) -> tensor<11xi64> {
  %0 = dlcc.pad reflect %a, %p, low = [4], high = [2]
      : (tensor<5xi64>, tensor<i64>) -> tensor<11xi64>
  return %0 : tensor<11xi64>
}

// -----

// Wrap: (j + n) mod n.
// CHECK-LABEL: func.func @pad_wrap
// CHECK-SAME: (%[[A:.+]]: tensor<3xf32>, %{{.+}}: tensor<f32>)
// CHECK: %[[I:.+]] = linalg.index 0 : index
// CHECK: %[[J:.+]] = arith.subi %[[I]], %{{.+}} : index
// CHECK: %[[N:.+]] = arith.constant 3 : index
// CHECK: %[[S:.+]] = arith.addi %[[J]], %[[N]] : index
// CHECK: %[[P:.+]] = arith.remsi %[[S]], %[[N]] : index
// CHECK: tensor.extract %[[A]][%[[P]]] : tensor<3xf32>
func.func @pad_wrap(%a: tensor<3xf32>, %p: tensor<f32>) -> tensor<8xf32> {
  %0 = dlcc.pad wrap %a, %p, low = [2], high = [3]
      : (tensor<3xf32>, tensor<f32>) -> tensor<8xf32>
  return %0 : tensor<8xf32>
}

// -----

// CHECK-LABEL: func.func @concatenate
// CHECK-SAME: (%[[A:.+]]: tensor<2x3xi8>, %[[B:.+]]: tensor<2x5xi8>)
// CHECK: %[[C:.+]] = tensor.concat dim(1) %[[A]], %[[B]] : (tensor<2x3xi8>, tensor<2x5xi8>) -> tensor<2x8xi8>
// CHECK: return %[[C]]
func.func @concatenate(%a: tensor<2x3xui8>, %b: tensor<2x5xui8>) -> tensor<2x8xui8> {
  %0 = dlcc.concatenate(%a, %b) dim = 1 : (tensor<2x3xui8>, tensor<2x5xui8>) -> tensor<2x8xui8>
  return %0 : tensor<2x8xui8>
}

// -----

// The index is read through an input map and clamped to [0, size-1] before
// tensor.extract.
// CHECK-DAG: #[[IDX:.+]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-DAG: #[[OUT:.+]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @gather_embedding
// CHECK-SAME: (%[[T:.+]]: tensor<100x16xf32>, %[[I:.+]]: tensor<2x8xi64>)
// CHECK: linalg.generic {indexing_maps = [#[[IDX]], #[[OUT]]]{{.*}} ins(%[[I]] : tensor<2x8xi64>) outs(%{{.+}} : tensor<2x8x16xf32>)
// CHECK: ^bb0(%[[ID:.+]]: i64, %{{.+}}: f32):
// CHECK: %[[X:.+]] = arith.index_cast %[[ID]] : i64 to index
// CHECK: %[[C0:.+]] = arith.constant 0 : index
// CHECK: %[[LO:.+]] = arith.maxsi %[[X]], %[[C0]] : index
// CHECK: %[[C99:.+]] = arith.constant 99 : index
// CHECK: %[[R:.+]] = arith.minsi %[[LO]], %[[C99]] : index
// CHECK: %[[K:.+]] = linalg.index 2 : index
// CHECK: %[[V:.+]] = tensor.extract %[[T]][%[[R]], %[[K]]] : tensor<100x16xf32>
// CHECK: linalg.yield %[[V]] : f32
func.func @gather_embedding(%t: tensor<100x16xf32>, %i: tensor<2x8xi64>) -> tensor<2x8x16xf32> {
  %0 = dlcc.gather %t[%i], axis = 0 : (tensor<100x16xf32>, tensor<2x8xi64>) -> tensor<2x8x16xf32>
  return %0 : tensor<2x8x16xf32>
}

// -----

// A 0-d i32 index on axis 1 of an unsigned tensor.
// CHECK-DAG: #[[IDX:.+]] = affine_map<(d0) -> ()>
// CHECK-LABEL: func.func @gather_scalar_index
// CHECK-SAME: (%[[T:.+]]: tensor<3x5xi8>, %[[I:.+]]: tensor<i32>)
// CHECK: linalg.generic {indexing_maps = [#[[IDX]], {{.+}}]{{.*}} ins(%[[I]] : tensor<i32>) outs(%{{.+}} : tensor<3xi8>)
// CHECK-DAG: arith.index_cast %{{.+}} : i32 to index
// CHECK-DAG: %[[R:.+]] = arith.minsi
// CHECK-DAG: %[[A:.+]] = linalg.index 0 : index
// CHECK: tensor.extract %[[T]][%[[A]], %[[R]]] : tensor<3x5xi8>
func.func @gather_scalar_index(%t: tensor<3x5xui8>, %i: tensor<i32>) -> tensor<3xui8> {
  %0 = dlcc.gather %t[%i], axis = 1 : (tensor<3x5xui8>, tensor<i32>) -> tensor<3xui8>
  return %0 : tensor<3xui8>
}

// -----

// CHECK-LABEL: func.func @gather_elements
// CHECK-SAME: (%[[X:.+]]: tensor<4x10xi1>, %[[I:.+]]: tensor<4x1xi64>)
// CHECK: linalg.generic {{.*}} ins(%[[I]] : tensor<4x1xi64>) outs(%{{.+}} : tensor<4x1xi1>)
// CHECK: %[[A:.+]] = linalg.index 0 : index
// CHECK: arith.maxsi
// CHECK: %[[C9:.+]] = arith.constant 9 : index
// CHECK: %[[R:.+]] = arith.minsi %{{.+}}, %[[C9]] : index
// CHECK: tensor.extract %[[X]][%[[A]], %[[R]]] : tensor<4x10xi1>
func.func @gather_elements(%x: tensor<4x10xi1>, %i: tensor<4x1xi64>) -> tensor<4x1xi1> {
  %0 = dlcc.gather_elements %x[%i], axis = 1 : (tensor<4x10xi1>, tensor<4x1xi64>) -> tensor<4x1xi1>
  return %0 : tensor<4x1xi1>
}

// -----

// A few indices into a small table: owned by destination, by comparison.
// The init is the output, the index loops reduce, and each destination adds
// the updates whose index equals its own position.
// CHECK-DAG: #[[IDX:.+]] = affine_map<(d0, d1, d2, d3) -> (d2, d3)>
// CHECK-DAG: #[[UPD:.+]] = affine_map<(d0, d1, d2, d3) -> (d2, d3, d1)>
// CHECK-DAG: #[[OUT:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1)>
// CHECK-LABEL: func.func @scatter_add_by_comparison
// CHECK-SAME: (%[[I:.+]]: tensor<2x3xi64>, %[[U:.+]]: tensor<2x3x4xf32>, %[[Z:.+]]: tensor<5x4xf32>)
// CHECK: %[[R:.+]] = linalg.generic {indexing_maps = [#[[IDX]], #[[UPD]], #[[OUT]]], iterator_types = ["parallel", "parallel", "reduction", "reduction"]} ins(%[[I]], %[[U]] : tensor<2x3xi64>, tensor<2x3x4xf32>) outs(%[[Z]] : tensor<5x4xf32>)
// CHECK: ^bb0(%[[ID:.+]]: i64, %[[V:.+]]: f32, %[[ACC:.+]]: f32):
// CHECK: %[[X:.+]] = arith.index_cast %[[ID]] : i64 to index
// CHECK: %[[N:.+]] = linalg.index 0 : index
// CHECK: %[[HIT:.+]] = arith.cmpi eq, %[[X]], %[[N]] : index
// CHECK: %[[SUM:.+]] = arith.addf %[[ACC]], %[[V]] : f32
// CHECK: %[[OUT:.+]] = arith.select %[[HIT]], %[[SUM]], %[[ACC]] : f32
// CHECK: linalg.yield %[[OUT]] : f32
// CHECK: return %[[R]]
func.func @scatter_add_by_comparison(%ids: tensor<2x3xi64>, %dy: tensor<2x3x4xf32>,
                                     %zeros: tensor<5x4xf32>) -> tensor<5x4xf32> {
  %0 = dlcc.scatter_add %ids, %dy into %zeros, axis = 0
      : (tensor<2x3xi64>, tensor<2x3x4xf32>, tensor<5x4xf32>) -> tensor<5x4xf32>
  return %0 : tensor<5x4xf32>
}

// -----

// An embedding's gradient (a table large for its indices): by sorting. The
// stable ranks of the 16 indices (T^2 comparisons), the permutation, the
// sorted keys, each row's start in them (a binary search per row, 101
// starts), then each table element adds its own row's updates only.
// CHECK-LABEL: func.func @scatter_add_embedding_grad
// CHECK-SAME: (%[[I:.+]]: tensor<2x8xi64>, %[[U:.+]]: tensor<2x8x16xf32>, %[[Z:.+]]: tensor<100x16xf32>)
// CHECK: %[[KEYS:.+]] = tensor.collapse_shape %[[I]] {{\[\[}}0, 1]] : tensor<2x8xi64> into tensor<16xi64>
// CHECK: %[[RANKS:.+]] = linalg.generic {{.+}} iterator_types = ["parallel", "reduction"]} ins(%[[KEYS]], %[[KEYS]] : tensor<16xi64>, tensor<16xi64>)
// CHECK: %[[ORDER:.+]] = linalg.generic {{.+}} iterator_types = ["parallel", "reduction"]} ins(%[[RANKS]] : tensor<16xi64>)
// CHECK: %[[SORTED:.+]] = linalg.generic {{.+}} ins(%[[ORDER]] : tensor<16xi64>)
// CHECK: tensor.extract %[[KEYS]]
// CHECK: %[[STARTS:.+]] = linalg.generic {{.+}} outs(%{{.+}} : tensor<101xi64>)
// CHECK: tensor.extract %[[SORTED]]
// CHECK: %[[ROWS:.+]] = tensor.collapse_shape %[[U]] {{\[\[}}0, 1], [2]] : tensor<2x8x16xf32> into tensor<16x16xf32>
// CHECK: %[[R:.+]] = linalg.generic {{.+}} ins(%[[Z]] : tensor<100x16xf32>)
// CHECK: ^bb0(%[[INIT:.+]]: f32, %{{.+}}: f32):
// CHECK: %[[N:.+]] = linalg.index 0 : index
// CHECK: tensor.extract %[[STARTS]][%[[N]]]
// CHECK: %[[COL:.+]] = linalg.index 1 : index
// CHECK: scf.for %[[K:.+]] = %{{.+}} to %{{.+}} step %{{.+}} iter_args(%[[ACC:.+]] = %[[INIT]]) -> (f32)
// CHECK: %[[P:.+]] = tensor.extract %[[ORDER]][%[[K]]]
// CHECK: %[[PI:.+]] = arith.index_cast %[[P]]
// CHECK: %[[V:.+]] = tensor.extract %[[ROWS]][%[[PI]], %[[COL]]]
// CHECK: arith.addf %[[ACC]], %[[V]] : f32
// CHECK: return %[[R]]
func.func @scatter_add_embedding_grad(%ids: tensor<2x8xi64>, %dy: tensor<2x8x16xf32>,
                                      %zeros: tensor<100x16xf32>) -> tensor<100x16xf32> {
  %0 = dlcc.scatter_add %ids, %dy into %zeros, axis = 0
      : (tensor<2x8xi64>, tensor<2x8x16xf32>, tensor<100x16xf32>) -> tensor<100x16xf32>
  return %0 : tensor<100x16xf32>
}

// -----

// CHECK-DAG: #[[IDX:.+]] = affine_map<(d0, d1) -> ()>
// CHECK-DAG: #[[UPD:.+]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @scatter_add_scalar_index_int
// CHECK: linalg.generic {indexing_maps = [#[[IDX]], #[[UPD]], {{.+}}], iterator_types = ["parallel", "parallel"]} ins(%{{.+}}, %{{.+}} : tensor<i32>, tensor<3xi8>) outs(%{{.+}} : tensor<3x4xi8>)
// CHECK: linalg.index 1 : index
// CHECK: arith.addi
func.func @scatter_add_scalar_index_int(%i: tensor<i32>, %u: tensor<3xui8>, %init: tensor<3x4xui8>) -> tensor<3x4xui8> {
  %0 = dlcc.scatter_add %i, %u into %init, axis = 1
      : (tensor<i32>, tensor<3xui8>, tensor<3x4xui8>) -> tensor<3x4xui8>
  return %0 : tensor<3x4xui8>
}

// -----

// An empty slice at the end of a dimension (which extract_slice would call
// out of bounds) is just an empty tensor.
// CHECK-LABEL: func.func @slice_empty_at_end
// CHECK: %[[E:.+]] = tensor.empty() : tensor<4x0xf32>
// CHECK-NEXT: return %[[E]]
func.func @slice_empty_at_end(%a: tensor<4x8xf32>) -> tensor<4x0xf32> {
  %0 = dlcc.slice %a, start = [0, 8], limit = [4, 8], strides = [1, 1]
      : (tensor<4x8xf32>) -> tensor<4x0xf32>
  return %0 : tensor<4x0xf32>
}

// -----

// Inputs empty along the dimension are dropped.
// CHECK-LABEL: func.func @concatenate_drops_empty
// CHECK-SAME: (%[[A:.+]]: tensor<2x3xi64>, %[[B:.+]]: tensor<2x0xi64>, %[[C:.+]]: tensor<2x1xi64>)
// CHECK: %[[R:.+]] = tensor.concat dim(1) %[[A]], %[[C]] : (tensor<2x3xi64>, tensor<2x1xi64>) -> tensor<2x4xi64>
// CHECK: return %[[R]], %[[A]]
func.func @concatenate_drops_empty(%a: tensor<2x3xi64>, %b: tensor<2x0xi64>, %c: tensor<2x1xi64>)
    -> (tensor<2x4xi64>, tensor<2x3xi64>) {
  %0 = dlcc.concatenate(%a, %b, %c) dim = 1
      : (tensor<2x3xi64>, tensor<2x0xi64>, tensor<2x1xi64>) -> tensor<2x4xi64>
  %1 = dlcc.concatenate(%b, %a) dim = 1 : (tensor<2x0xi64>, tensor<2x3xi64>) -> tensor<2x3xi64>
  return %0, %1 : tensor<2x4xi64>, tensor<2x3xi64>
}

// -----

// Nothing can be read from an empty axis (every index is out of range, a
// runtime error): the result is zeros.
// CHECK-LABEL: func.func @gather_empty_axis
// CHECK: %[[Z:.+]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[E:.+]] = tensor.empty() : tensor<3x2xf32>
// CHECK: %[[R:.+]] = linalg.fill ins(%[[Z]] : f32) outs(%[[E]] : tensor<3x2xf32>)
// CHECK: return %[[R]]
func.func @gather_empty_axis(%t: tensor<0x2xf32>, %i: tensor<3xi64>) -> tensor<3x2xf32> {
  %0 = dlcc.gather %t[%i], axis = 0 : (tensor<0x2xf32>, tensor<3xi64>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

// Resize: one generic over the output reading the input with tensor.extract.
// Nearest along the resized dim: the coordinate (asymmetric: x / 2, in f64)
// floored and clamped to the input; the other dim reads its output index.
// CHECK-LABEL: func.func @resize_nearest
// CHECK-SAME: (%[[X:.+]]: tensor<2x3xf32>)
// CHECK: linalg.generic {{.*}} outs(%{{.+}} : tensor<2x6xf32>)
// CHECK: %[[ROW:.+]] = linalg.index 0 : index
// CHECK: %[[COL:.+]] = linalg.index 1 : index
// CHECK: %[[XF:.+]] = arith.sitofp %{{.+}} : i64 to f64
// CHECK: %[[C:.+]] = arith.divf %[[XF]], %{{.+}} : f64
// CHECK: math.floor %[[C]] : f64
// CHECK: arith.maxsi
// CHECK: %[[I:.+]] = arith.minsi %{{.+}}, %{{.+}} : index
// CHECK: %[[V:.+]] = tensor.extract %[[X]][%[[ROW]], %[[I]]] : tensor<2x3xf32>
// CHECK: linalg.yield %[[V]] : f32
func.func @resize_nearest(%x: tensor<2x3xf32>) -> tensor<2x6xf32> {
  %0 = dlcc.resize nearest asymmetric floor %x, scales = [1.0, 2.0] {cubic_coeff_a = -7.500000e-01 : f64, exclude_outside = false, extrapolation_value = 0.000000e+00 : f64, roi = array<f64>} : (tensor<2x3xf32>) -> tensor<2x6xf32>
  return %0 : tensor<2x6xf32>
}

// -----

// Linear: two clamped neighbours base = ceil(x') - 1 and base + 1 weighted
// (1 - r, r) with r = x' - base; weights in f64, narrowed for the sum.
// CHECK-LABEL: func.func @resize_linear
// CHECK: math.ceil
// CHECK-DAG: %[[W0:.+]] = arith.truncf %{{.+}} : f64 to f32
// CHECK-DAG: %[[A:.+]] = tensor.extract
// CHECK: %[[P:.+]] = arith.mulf %[[W0]], %[[A]] : f32
// CHECK-DAG: %[[W1:.+]] = arith.truncf %{{.+}} : f64 to f32
// CHECK-DAG: %[[B:.+]] = tensor.extract
// CHECK: %[[Q:.+]] = arith.mulf %[[W1]], %[[B]] : f32
// CHECK: %[[S:.+]] = arith.addf %[[P]], %[[Q]] : f32
// CHECK: linalg.yield %[[S]] : f32
func.func @resize_linear(%x: tensor<4xf32>) -> tensor<8xf32> {
  %0 = dlcc.resize linear half_pixel round_prefer_floor %x, scales = [2.0] {cubic_coeff_a = -7.500000e-01 : f64, exclude_outside = false, extrapolation_value = 0.000000e+00 : f64, roi = array<f64>} : (tensor<4xf32>) -> tensor<8xf32>
  return %0 : tensor<8xf32>
}

// -----

// f64 data: the weights are used as they are.
// CHECK-LABEL: func.func @resize_linear_f64
// CHECK-NOT: arith.truncf
// CHECK: linalg.yield
func.func @resize_linear_f64(%x: tensor<4xf64>) -> tensor<6xf64> {
  %0 = dlcc.resize linear align_corners round_prefer_floor %x, scales = [1.5] {cubic_coeff_a = -7.500000e-01 : f64, exclude_outside = false, extrapolation_value = 0.000000e+00 : f64, roi = array<f64>} : (tensor<4xf64>) -> tensor<6xf64>
  return %0 : tensor<6xf64>
}

// -----

// scatter_elements: owned by destination; the last loop (a reduction) runs
// over the updates along the axis, indices and updates read at (i, k).
// CHECK-DAG: #[[READ:.+]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[OUT:.+]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @scatter_elements_max
// CHECK-SAME: (%[[X:.+]]: tensor<3x4xf32>, %[[I:.+]]: tensor<3x2xi64>, %[[U:.+]]: tensor<3x2xf32>)
// CHECK: linalg.generic {indexing_maps = [#[[READ]], #[[READ]], #[[OUT]]], iterator_types = ["parallel", "parallel", "reduction"]}
// CHECK-SAME: ins(%[[I]], %[[U]] : tensor<3x2xi64>, tensor<3x2xf32>) outs(%[[X]] : tensor<3x4xf32>)
// CHECK: %[[M:.+]] = arith.maximumf
// CHECK: %[[J:.+]] = linalg.index 1 : index
// CHECK: %[[HIT:.+]] = arith.cmpi eq, %{{.+}}, %[[J]] : index
// CHECK: arith.select %[[HIT]], %[[M]], %{{.+}} : f32
func.func @scatter_elements_max(%x: tensor<3x4xf32>, %i: tensor<3x2xi64>, %u: tensor<3x2xf32>) -> tensor<3x4xf32> {
  %0 = dlcc.scatter_elements max %u at %i into %x, axis = 1 : (tensor<3x4xf32>, tensor<3x2xi64>, tensor<3x2xf32>) -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// -----

// scatter_nd: one input per tuple coordinate (map (..., p) -> (p, t)); an
// update lands where every coordinate matches.
// CHECK-DAG: #[[C0:.+]] = affine_map<(d0, d1, d2, d3) -> (d3, 0)>
// CHECK-DAG: #[[C1:.+]] = affine_map<(d0, d1, d2, d3) -> (d3, 1)>
// CHECK-DAG: #[[UPD:.+]] = affine_map<(d0, d1, d2, d3) -> (d3, d2)>
// CHECK-LABEL: func.func @scatter_nd_none
// CHECK: linalg.generic {indexing_maps = [#[[C0]], #[[C1]], #[[UPD]], #{{.+}}], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
// CHECK: arith.andi
// CHECK: arith.andi
// CHECK: arith.select
func.func @scatter_nd_none(%x: tensor<4x3x2xf32>, %i: tensor<5x2xi64>, %u: tensor<5x2xf32>) -> tensor<4x3x2xf32> {
  %0 = dlcc.scatter_nd none %u at %i into %x : (tensor<4x3x2xf32>, tensor<5x2xi64>, tensor<5x2xf32>) -> tensor<4x3x2xf32>
  return %0 : tensor<4x3x2xf32>
}
