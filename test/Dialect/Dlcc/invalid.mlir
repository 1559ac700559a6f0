// RUN: dlcc-opt %s --split-input-file --verify-diagnostics

// One case per verifier rule of lib/Dialect/Dlcc/IR/DlccOps.cpp (op
// verifiers, result type inference) and per ODS constraint of the ops.
// Type inference errors are reported at the op, followed by
// "failed to infer returned types".

// -----

// Rule: a dimension index lies in [0, rank) (iota).
func.func @iota_dimension_out_of_range() -> tensor<2x3xi64> {
  // expected-error @+1 {{iota dimension 2 is out of range for rank 2}}
  %0 = dlcc.iota dim = 2 : tensor<2x3xi64>
  return %0 : tensor<2x3xi64>
}

// -----

// Rule: a dimension index lies in [0, rank): negative dimensions are rejected.
func.func @iota_negative_dimension() -> tensor<2x3xi64> {
  // expected-error @+1 {{iota dimension -1 is out of range for rank 2}}
  %0 = dlcc.iota dim = -1 : tensor<2x3xi64>
  return %0 : tensor<2x3xi64>
}

// -----

// Rule: elementwise ops have identical operand and result types.
func.func @unary_type_mismatch(%x: tensor<4xf32>) -> tensor<4xf16> {
  // expected-error @+1 {{'dlcc.exp' op requires the same type for all operands and results}}
  %0 = "dlcc.exp"(%x) : (tensor<4xf32>) -> tensor<4xf16>
  return %0 : tensor<4xf16>
}

// -----

// Rule: transcendental ops take float tensors only.
func.func @float_op_on_integers(%x: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error-re @+1 {{'dlcc.exp' op operand #0 must be statically shaped tensor of {{.*}}, but got 'tensor<4xi32>'}}
  %0 = dlcc.exp %x : tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

// Rule: logical not takes i1 tensors only.
func.func @not_on_float(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error-re @+1 {{'dlcc.not' op operand #0 must be statically shaped tensor of {{.*}}, but got 'tensor<4xf32>'}}
  %0 = dlcc.not %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Rule: every dlcc tensor has a static shape.
func.func @dynamic_shape(%x: tensor<?xf32>) -> tensor<?xf32> {
  // expected-error-re @+1 {{'dlcc.abs' op operand #0 must be statically shaped tensor of {{.*}}, but got 'tensor<?xf32>'}}
  %0 = dlcc.abs %x : tensor<?xf32>
  return %0 : tensor<?xf32>
}

// -----

// Rule: binary elementwise operands have the same shape (broadcasts are explicit).
func.func @binary_shape_mismatch(%a: tensor<4xf32>, %b: tensor<1xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'dlcc.add' op all non-scalar operands/results must have the same shape and base type}}
  %0 = "dlcc.add"(%a, %b) : (tensor<4xf32>, tensor<1xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Rule: logical ops take integer or i1 tensors only.
func.func @and_on_float(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error-re @+1 {{'dlcc.and' op operand #0 must be statically shaped tensor of {{.*}}, but got 'tensor<4xf32>'}}
  %0 = dlcc.and %a, %b : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Rule: compare operands have the same type.
func.func @compare_operand_type_mismatch(%a: tensor<4xf32>, %b: tensor<4xf16>) -> tensor<4xi1> {
  // expected-error @+1 {{'dlcc.compare' op failed to verify that all of {lhs, rhs} have same type}}
  %0 = "dlcc.compare"(%a, %b) <{direction = 2 : i32}>
      : (tensor<4xf32>, tensor<4xf16>) -> tensor<4xi1>
  return %0 : tensor<4xi1>
}

// -----

// Rule: compare yields an i1 tensor.
func.func @compare_result_not_i1(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xi8> {
  // expected-error-re @+1 {{'dlcc.compare' op result #0 must be statically shaped tensor of {{.*}}, but got 'tensor<4xi8>'}}
  %0 = "dlcc.compare"(%a, %b) <{direction = 2 : i32}>
      : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// -----

// Rule: compare yields a tensor of the operands' shape.
func.func @compare_result_shape(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<2x2xi1> {
  // expected-error @+1 {{'dlcc.compare' op all non-scalar operands/results must have the same shape and base type}}
  %0 = "dlcc.compare"(%a, %b) <{direction = 2 : i32}>
      : (tensor<4xf32>, tensor<4xf32>) -> tensor<2x2xi1>
  return %0 : tensor<2x2xi1>
}

// -----

// Rule: select branches and result have the same type.
func.func @select_branch_type_mismatch(%p: tensor<4xi1>, %a: tensor<4xf32>, %b: tensor<4xf16>)
    -> tensor<4xf32> {
  // expected-error @+1 {{'dlcc.select' op failed to verify that all of {on_true, on_false, result} have same type}}
  %0 = "dlcc.select"(%p, %a, %b) : (tensor<4xi1>, tensor<4xf32>, tensor<4xf16>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Rule: the select predicate has the result's shape.
func.func @select_pred_shape_mismatch(%p: tensor<2xi1>, %a: tensor<4xf32>, %b: tensor<4xf32>)
    -> tensor<4xf32> {
  // expected-error @+1 {{'dlcc.select' op failed to verify that all of {pred, result} have same shape}}
  %0 = dlcc.select %p, %a, %b : tensor<2xi1>, tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Rule: the select predicate is an i1 tensor.
func.func @select_pred_not_i1(%p: tensor<4xi8>, %a: tensor<4xf32>, %b: tensor<4xf32>)
    -> tensor<4xf32> {
  // expected-error-re @+1 {{'dlcc.select' op operand #0 must be statically shaped tensor of {{.*}}, but got 'tensor<4xi8>'}}
  %0 = dlcc.select %p, %a, %b : tensor<4xi8>, tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Rule: convert keeps the shape.
func.func @convert_shape_mismatch(%x: tensor<4xi64>) -> tensor<2xf32> {
  // expected-error @+1 {{'dlcc.convert' op failed to verify that all of {operand, result} have same shape}}
  %0 = dlcc.convert %x : (tensor<4xi64>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// Rule: a constant's value has the result type.
func.func @constant_type_mismatch() -> tensor<2xi32> {
  // expected-error @+1 {{'dlcc.constant' op failed to verify that all of {value, result} have same type}}
  %0 = "dlcc.constant"() <{value = dense<[1, 2]> : tensor<2xi64>}> : () -> tensor<2xi32>
  return %0 : tensor<2xi32>
}

// -----

// Rule: one entry of `dims` per operand dimension.
func.func @broadcast_dims_count(%x: tensor<8xf32>) -> tensor<4x8xf32> {
  // expected-error @+1 {{'dlcc.broadcast_in_dim' op has 2 dims for an operand of rank 1}}
  %0 = dlcc.broadcast_in_dim %x, dims = [0, 1] : (tensor<8xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

// Rule: broadcast dims are strictly increasing.
func.func @broadcast_dims_not_increasing(%x: tensor<4x4xf32>) -> tensor<4x4xf32> {
  // expected-error @+1 {{broadcast dim must be strictly increasing, got [1, 0]}}
  %0 = dlcc.broadcast_in_dim %x, dims = [1, 0] : (tensor<4x4xf32>) -> tensor<4x4xf32>
  return %0 : tensor<4x4xf32>
}

// -----

// Rule: broadcast dims are result dimensions.
func.func @broadcast_dim_out_of_range(%x: tensor<8xf32>) -> tensor<4x8xf32> {
  // expected-error @+1 {{broadcast dim 2 is out of range for rank 2}}
  %0 = dlcc.broadcast_in_dim %x, dims = [2] : (tensor<8xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

// Rule: each operand dimension is 1 or equals its result dimension.
func.func @broadcast_bad_size(%x: tensor<3xf32>) -> tensor<4x8xf32> {
  // expected-error @+1 {{'dlcc.broadcast_in_dim' op operand dimension 0 (size 3) cannot broadcast to result dimension 1 (size 8)}}
  %0 = dlcc.broadcast_in_dim %x, dims = [1] : (tensor<3xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

// Rule: broadcast keeps the element type.
func.func @broadcast_element_type(%x: tensor<8xf32>) -> tensor<4x8xf16> {
  // expected-error @+1 {{'dlcc.broadcast_in_dim' op failed to verify that all of {operand, result} have same element type}}
  %0 = dlcc.broadcast_in_dim %x, dims = [1] : (tensor<8xf32>) -> tensor<4x8xf16>
  return %0 : tensor<4x8xf16>
}

// -----

// Rule: reshape keeps the element count.
func.func @reshape_element_count(%x: tensor<2x3xf32>) -> tensor<7xf32> {
  // expected-error @+1 {{'dlcc.reshape' op cannot reshape 'tensor<2x3xf32>' (6 elements) into 'tensor<7xf32>' (7 elements)}}
  %0 = dlcc.reshape %x : (tensor<2x3xf32>) -> tensor<7xf32>
  return %0 : tensor<7xf32>
}

// -----

// Rule: the permutation is a permutation of [0, rank).
func.func @transpose_not_permutation(%x: tensor<2x3xf32>) -> tensor<3x2xf32> {
  // expected-error @+2 {{permutation [1, 1] is not a permutation of [0, 2)}}
  // expected-error @+1 {{'dlcc.transpose' op failed to infer returned types}}
  %0 = dlcc.transpose %x, permutation = [1, 1] : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

// Rule: the permutation has one entry per dimension.
func.func @transpose_permutation_size(%x: tensor<2x3xf32>) -> tensor<3x2xf32> {
  // expected-error @+2 {{permutation has 3 entries for rank 2}}
  // expected-error @+1 {{'dlcc.transpose' op failed to infer returned types}}
  %0 = dlcc.transpose %x, permutation = [1, 0, 2] : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

// Rule: the result type is the inferred (permuted) type.
func.func @transpose_wrong_result(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+2 {{'dlcc.transpose' op inferred type(s) 'tensor<3x2xf32>' are incompatible with return type(s) of operation 'tensor<2x3xf32>'}}
  // expected-error @+1 {{'dlcc.transpose' op failed to infer returned types}}
  %0 = dlcc.transpose %x, permutation = [1, 0] : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// Rule: start, limit and strides have one entry per dimension.
func.func @slice_entries(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  // expected-error @+2 {{start, limit and strides need 2 entries each}}
  // expected-error @+1 {{'dlcc.slice' op failed to infer returned types}}
  %0 = dlcc.slice %x, start = [0], limit = [4, 8], strides = [1, 1]
      : (tensor<4x8xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

// Rule: 0 <= start <= limit <= size: limit past the end.
func.func @slice_limit_out_of_bounds(%x: tensor<4x8xf32>) -> tensor<4x9xf32> {
  // expected-error @+2 {{slice [0, 9) of dimension 1 (size 8) is out of bounds}}
  // expected-error @+1 {{'dlcc.slice' op failed to infer returned types}}
  %0 = dlcc.slice %x, start = [0, 0], limit = [4, 9], strides = [1, 1]
      : (tensor<4x8xf32>) -> tensor<4x9xf32>
  return %0 : tensor<4x9xf32>
}

// -----

// Rule: 0 <= start <= limit <= size: start after limit.
func.func @slice_start_after_limit(%x: tensor<4x8xf32>) -> tensor<0x8xf32> {
  // expected-error @+2 {{slice [3, 2) of dimension 0 (size 4) is out of bounds}}
  // expected-error @+1 {{'dlcc.slice' op failed to infer returned types}}
  %0 = dlcc.slice %x, start = [3, 0], limit = [2, 8], strides = [1, 1]
      : (tensor<4x8xf32>) -> tensor<0x8xf32>
  return %0 : tensor<0x8xf32>
}

// -----

// Rule: 0 <= start <= limit <= size: negative start.
func.func @slice_negative_start(%x: tensor<4x8xf32>) -> tensor<5x8xf32> {
  // expected-error @+2 {{slice [-1, 4) of dimension 0 (size 4) is out of bounds}}
  // expected-error @+1 {{'dlcc.slice' op failed to infer returned types}}
  %0 = dlcc.slice %x, start = [-1, 0], limit = [4, 8], strides = [1, 1]
      : (tensor<4x8xf32>) -> tensor<5x8xf32>
  return %0 : tensor<5x8xf32>
}

// -----

// Rule: stride >= 1.
func.func @slice_stride_zero(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  // expected-error @+2 {{stride 0 of dimension 1 must be >= 1}}
  // expected-error @+1 {{'dlcc.slice' op failed to infer returned types}}
  %0 = dlcc.slice %x, start = [0, 0], limit = [4, 8], strides = [1, 0]
      : (tensor<4x8xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

// Rule: the result type is the inferred (strided) type.
func.func @slice_wrong_result(%x: tensor<4x8xf32>) -> tensor<4x4xf32> {
  // expected-error @+2 {{'dlcc.slice' op inferred type(s) 'tensor<4x3xf32>' are incompatible with return type(s) of operation 'tensor<4x4xf32>'}}
  // expected-error @+1 {{'dlcc.slice' op failed to infer returned types}}
  %0 = dlcc.slice %x, start = [0, 0], limit = [4, 8], strides = [1, 3]
      : (tensor<4x8xf32>) -> tensor<4x4xf32>
  return %0 : tensor<4x4xf32>
}

// -----

// Rule: reverse dims are dimensions of the operand.
func.func @reverse_dim_out_of_range(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  // expected-error @+1 {{reverse dim 2 is out of range for rank 2}}
  %0 = dlcc.reverse %x, dims = [2] : tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

// Rule: reverse dims are distinct.
func.func @reverse_dim_repeated(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  // expected-error @+1 {{reverse dim must be strictly increasing, got [1, 1]}}
  %0 = dlcc.reverse %x, dims = [1, 1] : tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

// Rule: low and high are non-negative.
func.func @pad_negative(%x: tensor<4x8xf32>, %v: tensor<f32>) -> tensor<3x8xf32> {
  // expected-error @+2 {{padding of dimension 0 must be non-negative}}
  // expected-error @+1 {{'dlcc.pad' op failed to infer returned types}}
  %0 = dlcc.pad constant %x, %v, low = [-1, 0], high = [0, 0]
      : (tensor<4x8xf32>, tensor<f32>) -> tensor<3x8xf32>
  return %0 : tensor<3x8xf32>
}

// -----

// Rule: low and high have one entry per dimension.
func.func @pad_entries(%x: tensor<4x8xf32>, %v: tensor<f32>) -> tensor<4x8xf32> {
  // expected-error @+2 {{low and high need 2 entries each}}
  // expected-error @+1 {{'dlcc.pad' op failed to infer returned types}}
  %0 = dlcc.pad constant %x, %v, low = [0], high = [0, 0]
      : (tensor<4x8xf32>, tensor<f32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

// Rule: reflect needs pads smaller than the dimension.
func.func @pad_reflect_too_large(%x: tensor<4x8xf32>, %v: tensor<f32>) -> tensor<8x8xf32> {
  // expected-error @+2 {{padding (4, 0) is too large for reflect mode on dimension 0 of size 4}}
  // expected-error @+1 {{'dlcc.pad' op failed to infer returned types}}
  %0 = dlcc.pad reflect %x, %v, low = [4, 0], high = [0, 0]
      : (tensor<4x8xf32>, tensor<f32>) -> tensor<8x8xf32>
  return %0 : tensor<8x8xf32>
}

// -----

// Rule: wrap pads are no larger than the dimension.
func.func @pad_wrap_too_large(%x: tensor<4x8xf32>, %v: tensor<f32>) -> tensor<4x17xf32> {
  // expected-error @+2 {{padding (0, 9) is too large for wrap mode on dimension 1 of size 8}}
  // expected-error @+1 {{'dlcc.pad' op failed to infer returned types}}
  %0 = dlcc.pad wrap %x, %v, low = [0, 0], high = [0, 9]
      : (tensor<4x8xf32>, tensor<f32>) -> tensor<4x17xf32>
  return %0 : tensor<4x17xf32>
}

// -----

// Rule: edge padding needs a non-empty dimension.
func.func @pad_edge_empty(%x: tensor<0x8xf32>, %v: tensor<f32>) -> tensor<1x8xf32> {
  // expected-error @+2 {{padding (1, 0) is too large for edge mode on dimension 0 of size 0}}
  // expected-error @+1 {{'dlcc.pad' op failed to infer returned types}}
  %0 = dlcc.pad edge %x, %v, low = [1, 0], high = [0, 0]
      : (tensor<0x8xf32>, tensor<f32>) -> tensor<1x8xf32>
  return %0 : tensor<1x8xf32>
}

// -----

// Rule: the padding value has the operand's element type.
func.func @pad_value_element_type(%x: tensor<4x8xf32>, %v: tensor<f16>) -> tensor<4x8xf32> {
  // expected-error @+1 {{'dlcc.pad' op failed to verify that all of {operand, padding_value} have same element type}}
  %0 = dlcc.pad constant %x, %v, low = [0, 0], high = [0, 0]
      : (tensor<4x8xf32>, tensor<f16>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

// Rule: the padding value is a 0-d tensor.
func.func @pad_value_not_0d(%x: tensor<4x8xf32>, %v: tensor<1xf32>) -> tensor<4x8xf32> {
  // expected-error-re @+1 {{'dlcc.pad' op operand #1 must be 0D tensor of {{.*}}, but got 'tensor<1xf32>'}}
  %0 = dlcc.pad constant %x, %v, low = [0, 0], high = [0, 0]
      : (tensor<4x8xf32>, tensor<1xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

// Rule: concatenated sizes agree except along the concatenated dimension.
func.func @concatenate_mismatched_dims(%a: tensor<2x3xf32>, %b: tensor<3x5xf32>)
    -> tensor<2x8xf32> {
  // expected-error @+2 {{input shapes [2, 3] and [3, 5] differ outside dimension 1}}
  // expected-error @+1 {{'dlcc.concatenate' op failed to infer returned types}}
  %0 = dlcc.concatenate(%a, %b) dim = 1
      : (tensor<2x3xf32>, tensor<3x5xf32>) -> tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}

// -----

// Rule: concatenated inputs have the same rank.
func.func @concatenate_rank(%a: tensor<2x3xf32>, %b: tensor<2xf32>) -> tensor<2x4xf32> {
  // expected-error @+2 {{inputs must have the same rank and element type}}
  // expected-error @+1 {{'dlcc.concatenate' op failed to infer returned types}}
  %0 = dlcc.concatenate(%a, %b) dim = 1
      : (tensor<2x3xf32>, tensor<2xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// Rule: concatenated inputs have the same element type.
func.func @concatenate_element_type(%a: tensor<2x3xf32>, %b: tensor<2x3xf16>) -> tensor<2x6xf32> {
  // expected-error @+2 {{inputs must have the same rank and element type}}
  // expected-error @+1 {{'dlcc.concatenate' op failed to infer returned types}}
  %0 = dlcc.concatenate(%a, %b) dim = 1
      : (tensor<2x3xf32>, tensor<2x3xf16>) -> tensor<2x6xf32>
  return %0 : tensor<2x6xf32>
}

// -----

// Rule: the concatenate dimension is in [0, rank).
func.func @concatenate_dimension(%a: tensor<2x3xf32>, %b: tensor<2x3xf32>) -> tensor<2x6xf32> {
  // expected-error @+2 {{concatenate dimension 2 is out of range for rank 2}}
  // expected-error @+1 {{'dlcc.concatenate' op failed to infer returned types}}
  %0 = dlcc.concatenate(%a, %b) dim = 2
      : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x6xf32>
  return %0 : tensor<2x6xf32>
}

// -----

// Rule: concatenate needs at least one input.
func.func @concatenate_no_inputs() -> tensor<2x6xf32> {
  // expected-error @+2 {{needs at least one input}}
  // expected-error @+1 {{'dlcc.concatenate' op failed to infer returned types}}
  %0 = dlcc.concatenate() dim = 0 : () -> tensor<2x6xf32>
  return %0 : tensor<2x6xf32>
}

// -----

// Rule: the gather axis is in [0, rank).
func.func @gather_axis_out_of_range(%t: tensor<100x16xf32>, %i: tensor<8xi64>) -> tensor<8xf32> {
  // expected-error @+2 {{gather axis 2 is out of range for rank 2}}
  // expected-error @+1 {{'dlcc.gather' op failed to infer returned types}}
  %0 = dlcc.gather %t[%i], axis = 2 : (tensor<100x16xf32>, tensor<8xi64>) -> tensor<8xf32>
  return %0 : tensor<8xf32>
}

// -----

// Rule: the result type is the inferred gather type.
func.func @gather_wrong_result(%t: tensor<100x16xf32>, %i: tensor<8xi64>) -> tensor<8x100xf32> {
  // expected-error @+2 {{'dlcc.gather' op inferred type(s) 'tensor<8x16xf32>' are incompatible with return type(s) of operation 'tensor<8x100xf32>'}}
  // expected-error @+1 {{'dlcc.gather' op failed to infer returned types}}
  %0 = dlcc.gather %t[%i], axis = 0 : (tensor<100x16xf32>, tensor<8xi64>) -> tensor<8x100xf32>
  return %0 : tensor<8x100xf32>
}

// -----

// Rule: gather indices are i32 or i64.
func.func @gather_float_indices(%t: tensor<100x16xf32>, %i: tensor<8xf32>) -> tensor<8x16xf32> {
  // expected-error-re @+1 {{'dlcc.gather' op operand #1 must be statically shaped tensor of {{.*}}, but got 'tensor<8xf32>'}}
  %0 = dlcc.gather %t[%i], axis = 0 : (tensor<100x16xf32>, tensor<8xf32>) -> tensor<8x16xf32>
  return %0 : tensor<8x16xf32>
}

// -----

// Rule: gather_elements indices have the operand's rank.
func.func @gather_elements_rank(%x: tensor<4x10xf32>, %i: tensor<4xi64>) -> tensor<4xf32> {
  // expected-error @+1 {{'dlcc.gather_elements' op indices of rank 1 for an operand of rank 2}}
  %0 = dlcc.gather_elements %x[%i], axis = 1 : (tensor<4x10xf32>, tensor<4xi64>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Rule: the gather_elements axis is in [0, rank).
func.func @gather_elements_axis(%x: tensor<4x10xf32>, %i: tensor<4x1xi64>) -> tensor<4x1xf32> {
  // expected-error @+1 {{gather_elements axis 2 is out of range for rank 2}}
  %0 = dlcc.gather_elements %x[%i], axis = 2
      : (tensor<4x10xf32>, tensor<4x1xi64>) -> tensor<4x1xf32>
  return %0 : tensor<4x1xf32>
}

// -----

// Rule: the gather_elements result has the indices' shape.
func.func @gather_elements_result_shape(%x: tensor<4x10xf32>, %i: tensor<4x1xi64>)
    -> tensor<4x2xf32> {
  // expected-error @+1 {{'dlcc.gather_elements' op failed to verify that all of {indices, result} have same shape}}
  %0 = dlcc.gather_elements %x[%i], axis = 1
      : (tensor<4x10xf32>, tensor<4x1xi64>) -> tensor<4x2xf32>
  return %0 : tensor<4x2xf32>
}

// -----

// Rule: updates are shaped like gather(init, indices, axis).
func.func @scatter_add_updates_shape(%i: tensor<2x8xi64>, %u: tensor<2x8x15xf32>,
    %z: tensor<100x16xf32>)
    -> tensor<100x16xf32> {
  // expected-error @+1 {{'dlcc.scatter_add' op updates have shape [2, 8, 15], expected [2, 8, 16]}}
  %0 = dlcc.scatter_add %i, %u into %z, axis = 0
      : (tensor<2x8xi64>, tensor<2x8x15xf32>, tensor<100x16xf32>) -> tensor<100x16xf32>
  return %0 : tensor<100x16xf32>
}

// -----

// Rule: updates have init's element type.
func.func @scatter_add_element_type(%i: tensor<8xi64>, %u: tensor<8x16xf16>, %z: tensor<100x16xf32>)
    -> tensor<100x16xf32> {
  // expected-error @+1 {{'dlcc.scatter_add' op updates and init element types differ}}
  %0 = dlcc.scatter_add %i, %u into %z, axis = 0
      : (tensor<8xi64>, tensor<8x16xf16>, tensor<100x16xf32>) -> tensor<100x16xf32>
  return %0 : tensor<100x16xf32>
}

// -----

// Rule: the scatter_add axis is in [0, rank).
func.func @scatter_add_axis(%i: tensor<8xi64>, %u: tensor<8x16xf32>, %z: tensor<100x16xf32>)
    -> tensor<100x16xf32> {
  // expected-error @+1 {{scatter_add axis 2 is out of range for rank 2}}
  %0 = dlcc.scatter_add %i, %u into %z, axis = 2
      : (tensor<8xi64>, tensor<8x16xf32>, tensor<100x16xf32>) -> tensor<100x16xf32>
  return %0 : tensor<100x16xf32>
}

// -----

// Rule: the scatter_add result has init's type.
func.func @scatter_add_result_type(%i: tensor<8xi64>, %u: tensor<8x16xf32>, %z: tensor<100x16xf32>)
    -> tensor<100x15xf32> {
  // expected-error @+1 {{'dlcc.scatter_add' op failed to verify that all of {init, result} have same type}}
  %0 = dlcc.scatter_add %i, %u into %z, axis = 0
      : (tensor<8xi64>, tensor<8x16xf32>, tensor<100x16xf32>) -> tensor<100x15xf32>
  return %0 : tensor<100x15xf32>
}

// -----

// Rule: reduce dims are strictly increasing.
func.func @reduce_dims_unsorted(%x: tensor<4x8xf32>) -> tensor<f32> {
  // expected-error @+2 {{reduce dim must be strictly increasing, got [1, 0]}}
  // expected-error @+1 {{'dlcc.reduce' op failed to infer returned types}}
  %0 = dlcc.reduce sum %x, dims = [1, 0] : (tensor<4x8xf32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

// Rule: reduce dims are in [0, rank).
func.func @reduce_dim_out_of_range(%x: tensor<4x8xf32>) -> tensor<4xf32> {
  // expected-error @+2 {{reduce dim 2 is out of range for rank 2}}
  // expected-error @+1 {{'dlcc.reduce' op failed to infer returned types}}
  %0 = dlcc.reduce max %x, dims = [2] : (tensor<4x8xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Rule: the result type is the operand without the reduced dims.
func.func @reduce_wrong_result(%x: tensor<4x8xf32>) -> tensor<8xf32> {
  // expected-error @+2 {{'dlcc.reduce' op inferred type(s) 'tensor<4xf32>' are incompatible with return type(s) of operation 'tensor<8xf32>'}}
  // expected-error @+1 {{'dlcc.reduce' op failed to infer returned types}}
  %0 = dlcc.reduce sum %x, dims = [1] : (tensor<4x8xf32>) -> tensor<8xf32>
  return %0 : tensor<8xf32>
}

// -----

// Rule: the arg_reduce result is the operand's shape without `dimension`.
func.func @arg_reduce_result_shape(%x: tensor<4x8xf32>) -> tensor<8xi64> {
  // expected-error @+1 {{'dlcc.arg_reduce' op result shape [8] should be [4]}}
  %0 = dlcc.arg_reduce argmax %x, dim = 1 : (tensor<4x8xf32>) -> tensor<8xi64>
  return %0 : tensor<8xi64>
}

// -----

// Rule: the arg_reduce dimension is in [0, rank).
func.func @arg_reduce_dim(%x: tensor<4x8xf32>) -> tensor<4xi64> {
  // expected-error @+1 {{arg_reduce dimension 2 is out of range for rank 2}}
  %0 = dlcc.arg_reduce argmax %x, dim = 2 : (tensor<4x8xf32>) -> tensor<4xi64>
  return %0 : tensor<4xi64>
}

// -----

// Rule: arg_reduce cannot reduce an empty dimension.
func.func @arg_reduce_empty(%x: tensor<4x0xf32>) -> tensor<4xi64> {
  // expected-error @+1 {{'dlcc.arg_reduce' op cannot reduce an empty dimension}}
  %0 = dlcc.arg_reduce argmin %x, dim = 1 : (tensor<4x0xf32>) -> tensor<4xi64>
  return %0 : tensor<4xi64>
}

// -----

// Rule: arg_reduce yields i64 indices.
func.func @arg_reduce_result_i32(%x: tensor<4x8xf32>) -> tensor<4xi32> {
  // expected-error-re @+1 {{'dlcc.arg_reduce' op result #0 must be statically shaped tensor of {{.*}}, but got 'tensor<4xi32>'}}
  %0 = dlcc.arg_reduce argmax %x, dim = 1 : (tensor<4x8xf32>) -> tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

// Rule: the cumsum dimension is in [0, rank).
func.func @cumsum_dim(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  // expected-error @+1 {{cumsum dimension 2 is out of range for rank 2}}
  %0 = dlcc.cumsum %x, dim = 2 : tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

// Rule: matmul contraction sizes agree.
func.func @matmul_contraction(%a: tensor<16x64xf32>, %b: tensor<32x32xf32>) -> tensor<16x32xf32> {
  // expected-error @+2 {{matmul contraction sizes differ: 64 and 32}}
  // expected-error @+1 {{'dlcc.matmul' op failed to infer returned types}}
  %0 = dlcc.matmul %a, %b : (tensor<16x64xf32>, tensor<32x32xf32>) -> tensor<16x32xf32>
  return %0 : tensor<16x32xf32>
}

// -----

// Rule: matmul contraction sizes agree (with transpose_rhs, rhs is [N, K]).
func.func @matmul_contraction_transposed(%a: tensor<16x64xf32>, %b: tensor<64x32xf32>)
    -> tensor<16x64xf32> {
  // expected-error @+2 {{matmul contraction sizes differ: 64 and 32}}
  // expected-error @+1 {{'dlcc.matmul' op failed to infer returned types}}
  %0 = dlcc.matmul %a, %b transpose_rhs
      : (tensor<16x64xf32>, tensor<64x32xf32>) -> tensor<16x64xf32>
  return %0 : tensor<16x64xf32>
}

// -----

// Rule: a batched rhs has exactly lhs's batch dimensions.
func.func @matmul_batch(%a: tensor<2x16x64xf32>, %b: tensor<3x64x32xf32>) -> tensor<2x16x32xf32> {
  // expected-error @+2 {{matmul batch dimensions differ: [2, 16, 64] and [3, 64, 32]}}
  // expected-error @+1 {{'dlcc.matmul' op failed to infer returned types}}
  %0 = dlcc.matmul %a, %b : (tensor<2x16x64xf32>, tensor<3x64x32xf32>) -> tensor<2x16x32xf32>
  return %0 : tensor<2x16x32xf32>
}

// -----

// Rule: a batched rhs needs an lhs with the same batch dimensions.
func.func @matmul_batched_rhs_with_matrix_lhs(%a: tensor<16x64xf32>, %b: tensor<2x64x32xf32>)
    -> tensor<16x32xf32> {
  // expected-error @+2 {{matmul batch dimensions differ: [16, 64] and [2, 64, 32]}}
  // expected-error @+1 {{'dlcc.matmul' op failed to infer returned types}}
  %0 = dlcc.matmul %a, %b : (tensor<16x64xf32>, tensor<2x64x32xf32>) -> tensor<16x32xf32>
  return %0 : tensor<16x32xf32>
}

// -----

// Rule: matmul operands have rank >= 2 (1-D operands are promoted by the importer).
func.func @matmul_rank1(%a: tensor<64xf32>, %b: tensor<64x32xf32>) -> tensor<32xf32> {
  // expected-error @+2 {{matmul operands need rank >= 2}}
  // expected-error @+1 {{'dlcc.matmul' op failed to infer returned types}}
  %0 = dlcc.matmul %a, %b : (tensor<64xf32>, tensor<64x32xf32>) -> tensor<32xf32>
  return %0 : tensor<32xf32>
}

// -----

// Rule: the result type is the inferred [B..., M, N].
func.func @matmul_wrong_result(%a: tensor<16x64xf32>, %b: tensor<64x32xf32>) -> tensor<16x16xf32> {
  // expected-error @+2 {{'dlcc.matmul' op inferred type(s) 'tensor<16x32xf32>' are incompatible with return type(s) of operation 'tensor<16x16xf32>'}}
  // expected-error @+1 {{'dlcc.matmul' op failed to infer returned types}}
  %0 = dlcc.matmul %a, %b : (tensor<16x64xf32>, tensor<64x32xf32>) -> tensor<16x16xf32>
  return %0 : tensor<16x16xf32>
}

// -----

// Rule: matmul takes float tensors only.
func.func @matmul_integer(%a: tensor<16x64xi32>, %b: tensor<64x32xi32>) -> tensor<16x32xi32> {
  // expected-error-re @+1 {{'dlcc.matmul' op operand #0 must be statically shaped tensor of {{.*}}, but got 'tensor<16x64xi32>'}}
  %0 = dlcc.matmul %a, %b : (tensor<16x64xi32>, tensor<64x32xi32>) -> tensor<16x32xi32>
  return %0 : tensor<16x32xi32>
}

// -----

// Rule: matmul operands and result have the same element type.
func.func @matmul_element_types(%a: tensor<16x64xf32>, %b: tensor<64x32xbf16>)
    -> tensor<16x32xf32> {
  // expected-error @+1 {{'dlcc.matmul' op failed to verify that all of {lhs, rhs, result} have same element type}}
  %0 = dlcc.matmul %a, %b : (tensor<16x64xf32>, tensor<64x32xbf16>) -> tensor<16x32xf32>
  return %0 : tensor<16x32xf32>
}

// -----

// Rule: filter channels are C/groups.
func.func @conv_groups_channels(%x: tensor<1x4x8x8xf32>, %w: tensor<6x4x3x3xf32>)
    -> tensor<1x6x6x6xf32> {
  // expected-error @+2 {{convolution with 2 groups: input has 4 channels, filter [6, 4, 3, 3]}}
  // expected-error @+1 {{'dlcc.convolution' op failed to infer returned types}}
  %0 = dlcc.convolution %x, %w, strides = [1, 1], pad_low = [0, 0], pad_high = [0, 0],
      dilations = [1, 1], groups = 2
      : (tensor<1x4x8x8xf32>, tensor<6x4x3x3xf32>) -> tensor<1x6x6x6xf32>
  return %0 : tensor<1x6x6x6xf32>
}

// -----

// Rule: groups divide the output channels.
func.func @conv_groups_output_channels(%x: tensor<1x4x8x8xf32>, %w: tensor<5x2x3x3xf32>)
    -> tensor<1x5x6x6xf32> {
  // expected-error @+2 {{convolution with 2 groups: input has 4 channels, filter [5, 2, 3, 3]}}
  // expected-error @+1 {{'dlcc.convolution' op failed to infer returned types}}
  %0 = dlcc.convolution %x, %w, strides = [1, 1], pad_low = [0, 0], pad_high = [0, 0],
      dilations = [1, 1], groups = 2
      : (tensor<1x4x8x8xf32>, tensor<5x2x3x3xf32>) -> tensor<1x5x6x6xf32>
  return %0 : tensor<1x5x6x6xf32>
}

// -----

// Rule: groups >= 1.
func.func @conv_groups_zero(%x: tensor<1x4x8x8xf32>, %w: tensor<6x4x3x3xf32>)
    -> tensor<1x6x6x6xf32> {
  // expected-error @+2 {{convolution with 0 groups: input has 4 channels, filter [6, 4, 3, 3]}}
  // expected-error @+1 {{'dlcc.convolution' op failed to infer returned types}}
  %0 = dlcc.convolution %x, %w, strides = [1, 1], pad_low = [0, 0], pad_high = [0, 0],
      dilations = [1, 1], groups = 0
      : (tensor<1x4x8x8xf32>, tensor<6x4x3x3xf32>) -> tensor<1x6x6x6xf32>
  return %0 : tensor<1x6x6x6xf32>
}

// -----

// Rule: the kernel fits in the padded input.
func.func @conv_kernel_too_large(%x: tensor<1x3x4x4xf32>, %w: tensor<8x3x5x5xf32>)
    -> tensor<1x8x1x1xf32> {
  // expected-error @+2 {{kernel of size 5 (dilation 1) does not fit spatial dimension 0 of padded size 4}}
  // expected-error @+1 {{'dlcc.convolution' op failed to infer returned types}}
  %0 = dlcc.convolution %x, %w, strides = [1, 1], pad_low = [0, 0], pad_high = [0, 0],
      dilations = [1, 1], groups = 1
      : (tensor<1x3x4x4xf32>, tensor<8x3x5x5xf32>) -> tensor<1x8x1x1xf32>
  return %0 : tensor<1x8x1x1xf32>
}

// -----

// Rule: the dilated kernel fits in the padded input.
func.func @conv_dilated_kernel_too_large(%x: tensor<1x3x6x6xf32>, %w: tensor<8x3x3x3xf32>)
    -> tensor<1x8x1x1xf32> {
  // expected-error @+2 {{kernel of size 3 (dilation 3) does not fit spatial dimension 0 of padded size 6}}
  // expected-error @+1 {{'dlcc.convolution' op failed to infer returned types}}
  %0 = dlcc.convolution %x, %w, strides = [1, 1], pad_low = [0, 0], pad_high = [0, 0],
      dilations = [3, 3], groups = 1
      : (tensor<1x3x6x6xf32>, tensor<8x3x3x3xf32>) -> tensor<1x8x1x1xf32>
  return %0 : tensor<1x8x1x1xf32>
}

// -----

// Rule: input [N, C, D...] and filter [O, C/groups, K...] of equal rank >= 3.
func.func @conv_rank(%x: tensor<3x4xf32>, %w: tensor<8x3xf32>) -> tensor<3x8xf32> {
  // expected-error @+2 {{convolution needs input and filter of the same rank >= 3, got [3, 4] and [8, 3]}}
  // expected-error @+1 {{'dlcc.convolution' op failed to infer returned types}}
  %0 = dlcc.convolution %x, %w, strides = [], pad_low = [], pad_high = [], dilations = [],
      groups = 1
      : (tensor<3x4xf32>, tensor<8x3xf32>) -> tensor<3x8xf32>
  return %0 : tensor<3x8xf32>
}

// -----

// Rule: a per-spatial-dimension attribute has one entry per spatial dim.
func.func @conv_strides_entries(%x: tensor<1x3x8x8xf32>, %w: tensor<8x3x3x3xf32>)
    -> tensor<1x8x6x6xf32> {
  // expected-error @+2 {{'strides' has 1 entries, expected one per spatial dimension (2)}}
  // expected-error @+1 {{'dlcc.convolution' op failed to infer returned types}}
  %0 = dlcc.convolution %x, %w, strides = [1], pad_low = [0, 0], pad_high = [0, 0], dilations = [1,
      1], groups = 1
      : (tensor<1x3x8x8xf32>, tensor<8x3x3x3xf32>) -> tensor<1x8x6x6xf32>
  return %0 : tensor<1x8x6x6xf32>
}

// -----

// Rule: strides are >= 1.
func.func @conv_stride_zero(%x: tensor<1x3x8x8xf32>, %w: tensor<8x3x3x3xf32>)
    -> tensor<1x8x6x6xf32> {
  // expected-error @+2 {{'strides' entries must be >= 1, got [1, 0]}}
  // expected-error @+1 {{'dlcc.convolution' op failed to infer returned types}}
  %0 = dlcc.convolution %x, %w, strides = [1, 0], pad_low = [0, 0], pad_high = [0, 0],
      dilations = [1, 1], groups = 1
      : (tensor<1x3x8x8xf32>, tensor<8x3x3x3xf32>) -> tensor<1x8x6x6xf32>
  return %0 : tensor<1x8x6x6xf32>
}

// -----

// Rule: convolution padding is >= 0.
func.func @conv_negative_padding(%x: tensor<1x3x8x8xf32>, %w: tensor<8x3x3x3xf32>)
    -> tensor<1x8x6x6xf32> {
  // expected-error @+2 {{'pad_low' entries must be >= 0, got [0, -1]}}
  // expected-error @+1 {{'dlcc.convolution' op failed to infer returned types}}
  %0 = dlcc.convolution %x, %w, strides = [1, 1], pad_low = [0, -1], pad_high = [0, 0],
      dilations = [1, 1], groups = 1
      : (tensor<1x3x8x8xf32>, tensor<8x3x3x3xf32>) -> tensor<1x8x6x6xf32>
  return %0 : tensor<1x8x6x6xf32>
}

// -----

// Rule: dilations are >= 1.
func.func @conv_dilation_zero(%x: tensor<1x3x8x8xf32>, %w: tensor<8x3x3x3xf32>)
    -> tensor<1x8x6x6xf32> {
  // expected-error @+2 {{'dilations' entries must be >= 1, got [0, 1]}}
  // expected-error @+1 {{'dlcc.convolution' op failed to infer returned types}}
  %0 = dlcc.convolution %x, %w, strides = [1, 1], pad_low = [0, 0], pad_high = [0, 0],
      dilations = [0, 1], groups = 1
      : (tensor<1x3x8x8xf32>, tensor<8x3x3x3xf32>) -> tensor<1x8x6x6xf32>
  return %0 : tensor<1x8x6x6xf32>
}

// -----

// Rule: the result type is the inferred convolution output.
func.func @conv_wrong_result(%x: tensor<1x3x8x8xf32>, %w: tensor<8x3x3x3xf32>)
    -> tensor<1x8x8x8xf32> {
  // expected-error @+2 {{'dlcc.convolution' op inferred type(s) 'tensor<1x8x6x6xf32>' are incompatible with return type(s) of operation 'tensor<1x8x8x8xf32>'}}
  // expected-error @+1 {{'dlcc.convolution' op failed to infer returned types}}
  %0 = dlcc.convolution %x, %w, strides = [1, 1], pad_low = [0, 0], pad_high = [0, 0],
      dilations = [1, 1], groups = 1
      : (tensor<1x3x8x8xf32>, tensor<8x3x3x3xf32>) -> tensor<1x8x8x8xf32>
  return %0 : tensor<1x8x8x8xf32>
}

// -----

// Rule: the forward convolution of a result-typed input with the filter has grad_output's shape.
func.func @conv_backward_data_mismatch(%dy: tensor<1x6x5x5xf32>, %w: tensor<6x2x3x3xf32>)
    -> tensor<1x4x8x8xf32> {
  // expected-error @+1 {{'dlcc.convolution_backward_data' op grad_output shape [1, 6, 5, 5] does not match the forward output [1, 6, 4, 4]}}
  %0 = dlcc.convolution_backward_data %dy, %w, strides = [2, 2], pad_low = [1, 1], pad_high = [0,
      0], dilations = [1, 1], groups = 2
      : (tensor<1x6x5x5xf32>, tensor<6x2x3x3xf32>) -> tensor<1x4x8x8xf32>
  return %0 : tensor<1x4x8x8xf32>
}

// -----

// Rule: convolution_backward_data checks the forward attributes (groups).
func.func @conv_backward_data_groups(%dy: tensor<1x6x4x4xf32>, %w: tensor<6x2x3x3xf32>)
    -> tensor<1x4x8x8xf32> {
  // expected-error @+1 {{convolution with 3 groups: input has 4 channels, filter [6, 2, 3, 3]}}
  %0 = dlcc.convolution_backward_data %dy, %w, strides = [2, 2], pad_low = [1, 1], pad_high = [0,
      0], dilations = [1, 1], groups = 3
      : (tensor<1x6x4x4xf32>, tensor<6x2x3x3xf32>) -> tensor<1x4x8x8xf32>
  return %0 : tensor<1x4x8x8xf32>
}

// -----

// Rule: the forward convolution of input with a result-typed filter has grad_output's shape.
func.func @conv_backward_filter_mismatch(%x: tensor<1x4x8x8xf32>, %dy: tensor<1x6x4x3xf32>)
    -> tensor<6x2x3x3xf32> {
  // expected-error @+1 {{'dlcc.convolution_backward_filter' op grad_output shape [1, 6, 4, 3] does not match the forward output [1, 6, 4, 4]}}
  %0 = dlcc.convolution_backward_filter %x, %dy, strides = [2, 2], pad_low = [1, 1], pad_high = [0,
      0], dilations = [1, 1], groups = 2
      : (tensor<1x4x8x8xf32>, tensor<1x6x4x3xf32>) -> tensor<6x2x3x3xf32>
  return %0 : tensor<6x2x3x3xf32>
}

// -----

// Rule: convolution_backward_filter checks the forward attributes (filter channels).
func.func @conv_backward_filter_channels(%x: tensor<1x4x8x8xf32>, %dy: tensor<1x6x4x4xf32>)
    -> tensor<6x4x3x3xf32> {
  // expected-error @+1 {{convolution with 2 groups: input has 4 channels, filter [6, 4, 3, 3]}}
  %0 = dlcc.convolution_backward_filter %x, %dy, strides = [2, 2], pad_low = [1, 1], pad_high = [0,
      0], dilations = [1, 1], groups = 2
      : (tensor<1x4x8x8xf32>, tensor<1x6x4x4xf32>) -> tensor<6x4x3x3xf32>
  return %0 : tensor<6x4x3x3xf32>
}

// -----

// Rule: the pool output size is at most the ceil-mode size.
func.func @pool_output_above_ceil(%x: tensor<1x2x8x8xf32>) -> tensor<1x2x6x4xf32> {
  // expected-error @+1 {{'dlcc.pool' op output size 6 of spatial dimension 0 is not between 4 (floor) and 5 (ceil)}}
  %0 = dlcc.pool avg %x, window = [3, 3], strides = [2, 2], pad_low = [1, 1], pad_high = [1, 1],
      dilations = [1, 1]
      : (tensor<1x2x8x8xf32>) -> tensor<1x2x6x4xf32>
  return %0 : tensor<1x2x6x4xf32>
}

// -----

// Rule: the pool output size is at least the floor-mode size.
func.func @pool_output_below_floor(%x: tensor<1x2x8x8xf32>) -> tensor<1x2x4x3xf32> {
  // expected-error @+1 {{'dlcc.pool' op output size 3 of spatial dimension 1 is not between 4 (floor) and 5 (ceil)}}
  %0 = dlcc.pool max %x, window = [3, 3], strides = [2, 2], pad_low = [1, 1], pad_high = [1, 1],
      dilations = [1, 1]
      : (tensor<1x2x8x8xf32>) -> tensor<1x2x4x3xf32>
  return %0 : tensor<1x2x4x3xf32>
}

// -----

// Rule: pool padding is smaller than the dilated window.
func.func @pool_padding_not_smaller_than_window(%x: tensor<1x2x8x8xf32>) -> tensor<1x2x10x8xf32> {
  // expected-error @+1 {{'dlcc.pool' op padding of spatial dimension 0 must be smaller than the dilated window}}
  %0 = dlcc.pool max %x, window = [2, 2], strides = [1, 1], pad_low = [2, 0], pad_high = [1, 1],
      dilations = [1, 1]
      : (tensor<1x2x8x8xf32>) -> tensor<1x2x10x8xf32>
  return %0 : tensor<1x2x10x8xf32>
}

// -----

// Rule: pool maps [N, C, D...] to a tensor keeping N and C.
func.func @pool_keeps_channels(%x: tensor<1x2x8x8xf32>) -> tensor<1x3x4x4xf32> {
  // expected-error @+1 {{'dlcc.pool' op pools [N, C, D...] tensors keeping N and C; got 'tensor<1x2x8x8xf32>' -> 'tensor<1x3x4x4xf32>'}}
  %0 = dlcc.pool max %x, window = [2, 2], strides = [2, 2], pad_low = [0, 0], pad_high = [0, 0],
      dilations = [1, 1]
      : (tensor<1x2x8x8xf32>) -> tensor<1x3x4x4xf32>
  return %0 : tensor<1x3x4x4xf32>
}

// -----

// Rule: a per-spatial-dimension attribute has one entry per spatial dim (window).
func.func @pool_window_entries(%x: tensor<1x2x8x8xf32>) -> tensor<1x2x4x4xf32> {
  // expected-error @+1 {{'window' has 1 entries, expected one per spatial dimension (2)}}
  %0 = dlcc.pool max %x, window = [2], strides = [2, 2], pad_low = [0, 0], pad_high = [0, 0],
      dilations = [1, 1]
      : (tensor<1x2x8x8xf32>) -> tensor<1x2x4x4xf32>
  return %0 : tensor<1x2x4x4xf32>
}

// -----

// Rule: window entries are >= 1.
func.func @pool_window_zero(%x: tensor<1x2x8x8xf32>) -> tensor<1x2x4x4xf32> {
  // expected-error @+1 {{'window' entries must be >= 1, got [0, 2]}}
  %0 = dlcc.pool max %x, window = [0, 2], strides = [2, 2], pad_low = [0, 0], pad_high = [0, 0],
      dilations = [1, 1]
      : (tensor<1x2x8x8xf32>) -> tensor<1x2x4x4xf32>
  return %0 : tensor<1x2x4x4xf32>
}

// -----

// Rule: average pooling needs floats (max pooling also takes integers).
func.func @pool_avg_integer(%x: tensor<1x2x8x8xi32>) -> tensor<1x2x4x4xi32> {
  // expected-error @+1 {{'dlcc.pool' op average pooling needs a float tensor, got 'tensor<1x2x8x8xi32>'}}
  %0 = dlcc.pool avg %x, window = [2, 2], strides = [2, 2], pad_low = [0, 0], pad_high = [0, 0],
      dilations = [1, 1]
      : (tensor<1x2x8x8xi32>) -> tensor<1x2x4x4xi32>
  return %0 : tensor<1x2x4x4xi32>
}

// -----

// Rule: pool_backward yields the input's type.
func.func @pool_backward_type(%x: tensor<1x2x8x8xf32>, %dy: tensor<1x2x4x4xf32>)
    -> tensor<1x2x8x8xf16> {
  // expected-error @+1 {{'dlcc.pool_backward' op failed to verify that all of {input, result} have same type}}
  %0 = dlcc.pool_backward max %x, %dy, window = [2, 2], strides = [2, 2], pad_low = [0, 0],
      pad_high = [0, 0], dilations = [1, 1]
      : (tensor<1x2x8x8xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x8x8xf16>
  return %0 : tensor<1x2x8x8xf16>
}

// -----

// Rule: per-channel operands of batch norm are [C].
func.func @batch_norm_per_channel_shape(%x: tensor<8x16x4x4xf32>, %g: tensor<8xf32>,
    %b: tensor<16xf32>)
    -> (tensor<8x16x4x4xf32>, tensor<8xf32>, tensor<8xf32>) {
  // expected-error @+2 {{per-channel operand 'tensor<8xf32>' should be 'tensor<16xf32>'}}
  // expected-error @+1 {{'dlcc.batch_norm_training' op failed to infer returned types}}
  %y, %m, %v = dlcc.batch_norm_training %x, %g, %b, epsilon = 1.0e-05
      : (tensor<8x16x4x4xf32>, tensor<8xf32>, tensor<16xf32>) -> (tensor<8x16x4x4xf32>,
        tensor<8xf32>, tensor<8xf32>)
  return %y, %m, %v : tensor<8x16x4x4xf32>, tensor<8xf32>, tensor<8xf32>
}

// -----

// Rule: per-channel operands of batch norm have the input's element type.
func.func @batch_norm_per_channel_element_type(%x: tensor<8x16xf32>, %g: tensor<16xf32>,
    %b: tensor<16xf32>, %m: tensor<16xf16>, %v: tensor<16xf32>)
    -> tensor<8x16xf32> {
  // expected-error @+2 {{per-channel operand 'tensor<16xf16>' should be 'tensor<16xf32>'}}
  // expected-error @+1 {{'dlcc.batch_norm_inference' op failed to infer returned types}}
  %0 = dlcc.batch_norm_inference %x, %g, %b, %m, %v, epsilon = 1.0e-05
      : (tensor<8x16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf16>, tensor<16xf32>)
        -> tensor<8x16xf32>
  return %0 : tensor<8x16xf32>
}

// -----

// Rule: batch norm input has rank >= 2.
func.func @batch_norm_rank(%x: tensor<16xf32>, %g: tensor<16xf32>, %b: tensor<16xf32>,
    %m: tensor<16xf32>, %v: tensor<16xf32>)
    -> tensor<16xf32> {
  // expected-error @+2 {{batch norm input needs rank >= 2}}
  // expected-error @+1 {{'dlcc.batch_norm_inference' op failed to infer returned types}}
  %0 = dlcc.batch_norm_inference %x, %g, %b, %m, %v, epsilon = 1.0e-05
      : (tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>)
        -> tensor<16xf32>
  return %0 : tensor<16xf32>
}

// -----

// Rule: batch_norm_backward grad_output has the input's type.
func.func @batch_norm_backward_grad_output(%x: tensor<8x16xf32>, %g: tensor<16xf32>,
    %m: tensor<16xf32>, %v: tensor<16xf32>, %dy: tensor<8x15xf32>)
    -> (tensor<8x16xf32>, tensor<16xf32>, tensor<16xf32>) {
  // expected-error @+2 {{grad_output must have the input's type}}
  // expected-error @+1 {{'dlcc.batch_norm_backward' op failed to infer returned types}}
  %0:3 = dlcc.batch_norm_backward %x, %g, %m, %v, %dy, epsilon = 1.0e-05
      : (tensor<8x16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<8x15xf32>)
        -> (tensor<8x16xf32>, tensor<16xf32>, tensor<16xf32>)
  return %0#0, %0#1, %0#2 : tensor<8x16xf32>, tensor<16xf32>, tensor<16xf32>
}

// -----

// Rule: layer norm scale/offset have the normalized shape input[axis:].
func.func @layer_norm_scale_shape(%x: tensor<2x8x64xf32>, %g: tensor<8x64xf32>, %b: tensor<64xf32>)
    -> (tensor<2x8x64xf32>, tensor<2x8x1xf32>, tensor<2x8x1xf32>) {
  // expected-error @+2 {{scale and offset must have the normalized shape [64], got [8, 64]}}
  // expected-error @+1 {{'dlcc.layer_norm' op failed to infer returned types}}
  %0:3 = dlcc.layer_norm %x, %g, %b, axis = 2, epsilon = 1.0e-05
      : (tensor<2x8x64xf32>, tensor<8x64xf32>, tensor<64xf32>) -> (tensor<2x8x64xf32>,
        tensor<2x8x1xf32>, tensor<2x8x1xf32>)
  return %0#0, %0#1, %0#2 : tensor<2x8x64xf32>, tensor<2x8x1xf32>, tensor<2x8x1xf32>
}

// -----

// Rule: the layer norm axis is in [0, rank).
func.func @layer_norm_axis(%x: tensor<2x8x64xf32>, %g: tensor<64xf32>, %b: tensor<64xf32>)
    -> (tensor<2x8x64xf32>, tensor<2x8x1xf32>, tensor<2x8x1xf32>) {
  // expected-error @+2 {{layer norm axis 3 is out of range for rank 3}}
  // expected-error @+1 {{'dlcc.layer_norm' op failed to infer returned types}}
  %0:3 = dlcc.layer_norm %x, %g, %b, axis = 3, epsilon = 1.0e-05
      : (tensor<2x8x64xf32>, tensor<64xf32>, tensor<64xf32>) -> (tensor<2x8x64xf32>,
        tensor<2x8x1xf32>, tensor<2x8x1xf32>)
  return %0#0, %0#1, %0#2 : tensor<2x8x64xf32>, tensor<2x8x1xf32>, tensor<2x8x1xf32>
}

// -----

// Rule: layer norm statistics keep the rank, with the normalized dims set to 1.
func.func @layer_norm_statistics_type(%x: tensor<2x8x64xf32>, %g: tensor<64xf32>,
    %b: tensor<64xf32>)
    -> (tensor<2x8x64xf32>, tensor<2x8xf32>, tensor<2x8xf32>) {
  // expected-error @+2 {{'dlcc.layer_norm' op inferred type(s) 'tensor<2x8x64xf32>', 'tensor<2x8x1xf32>', 'tensor<2x8x1xf32>' are incompatible with return type(s) of operation 'tensor<2x8x64xf32>', 'tensor<2x8xf32>', 'tensor<2x8xf32>'}}
  // expected-error @+1 {{'dlcc.layer_norm' op failed to infer returned types}}
  %0:3 = dlcc.layer_norm %x, %g, %b, axis = 2, epsilon = 1.0e-05
      : (tensor<2x8x64xf32>, tensor<64xf32>, tensor<64xf32>) -> (tensor<2x8x64xf32>,
        tensor<2x8xf32>, tensor<2x8xf32>)
  return %0#0, %0#1, %0#2 : tensor<2x8x64xf32>, tensor<2x8xf32>, tensor<2x8xf32>
}

// -----

// Rule: saved statistics have the forward op's statistics type.
func.func @layer_norm_backward_stats(%x: tensor<2x8x64xf32>, %g: tensor<64xf32>,
    %m: tensor<2x8xf32>, %s: tensor<2x8xf32>, %dy: tensor<2x8x64xf32>)
    -> (tensor<2x8x64xf32>, tensor<64xf32>, tensor<64xf32>) {
  // expected-error @+2 {{mean and inv_std_dev must be 'tensor<2x8x1xf32>'}}
  // expected-error @+1 {{'dlcc.layer_norm_backward' op failed to infer returned types}}
  %0:3 = dlcc.layer_norm_backward %x, %g, %m, %s, %dy, axis = 2
      : (tensor<2x8x64xf32>, tensor<64xf32>, tensor<2x8xf32>, tensor<2x8xf32>, tensor<2x8x64xf32>)
        -> (tensor<2x8x64xf32>, tensor<64xf32>, tensor<64xf32>)
  return %0#0, %0#1, %0#2 : tensor<2x8x64xf32>, tensor<64xf32>, tensor<64xf32>
}

// -----

// Rule: layer_norm_backward grad_output has the input's type.
func.func @layer_norm_backward_grad_output(%x: tensor<2x8x64xf32>, %g: tensor<64xf32>,
    %m: tensor<2x8x1xf32>, %s: tensor<2x8x1xf32>, %dy: tensor<2x8x64xf16>)
    -> (tensor<2x8x64xf32>, tensor<64xf32>, tensor<64xf32>) {
  // expected-error @+2 {{grad_output must have the input's type}}
  // expected-error @+1 {{'dlcc.layer_norm_backward' op failed to infer returned types}}
  %0:3 = dlcc.layer_norm_backward %x, %g, %m, %s, %dy, axis = 2
      : (tensor<2x8x64xf32>, tensor<64xf32>, tensor<2x8x1xf32>, tensor<2x8x1xf32>,
        tensor<2x8x64xf16>) -> (tensor<2x8x64xf32>, tensor<64xf32>, tensor<64xf32>)
  return %0#0, %0#1, %0#2 : tensor<2x8x64xf32>, tensor<64xf32>, tensor<64xf32>
}

// -----

// Rule: the softmax dimension is in [0, rank).
func.func @softmax_dim(%x: tensor<4x10xf32>) -> tensor<4x10xf32> {
  // expected-error @+1 {{softmax dimension 2 is out of range for rank 2}}
  %0 = dlcc.softmax %x, dim = 2 : tensor<4x10xf32>
  return %0 : tensor<4x10xf32>
}

// -----

// Rule: the log_softmax dimension is in [0, rank).
func.func @log_softmax_dim(%x: tensor<4x10xf32>) -> tensor<4x10xf32> {
  // expected-error @+1 {{log_softmax dimension -1 is out of range for rank 2}}
  %0 = dlcc.log_softmax %x, dim = -1 : tensor<4x10xf32>
  return %0 : tensor<4x10xf32>
}

// -----

// Rule: log_probs [N, C, D...] and labels [N, D...].
func.func @cross_entropy_label_shape(%lp: tensor<8x10xf32>, %l: tensor<10xi64>) -> tensor<f32> {
  // expected-error @+2 {{labels have shape [10], expected [8]}}
  // expected-error @+1 {{'dlcc.cross_entropy' op failed to infer returned types}}
  %0 = dlcc.cross_entropy %lp, %l, ignore_index = -100, reduction = mean
      : (tensor<8x10xf32>, tensor<10xi64>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

// Rule: weights are [C] of the log_probs' element type.
func.func @cross_entropy_weights(%lp: tensor<8x10xf32>, %l: tensor<8xi64>, %w: tensor<8xf32>)
    -> tensor<f32> {
  // expected-error @+2 {{weights must be 'tensor<10xf32>'}}
  // expected-error @+1 {{'dlcc.cross_entropy' op failed to infer returned types}}
  %0 = dlcc.cross_entropy %lp, %l weights %w, ignore_index = -100, reduction = mean
      : (tensor<8x10xf32>, tensor<8xi64>, tensor<8xf32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

// Rule: log_probs has rank >= 2.
func.func @cross_entropy_rank(%lp: tensor<10xf32>, %l: tensor<i64>) -> tensor<f32> {
  // expected-error @+2 {{log_probs needs rank >= 2 ([N, C, ...])}}
  // expected-error @+1 {{'dlcc.cross_entropy' op failed to infer returned types}}
  %0 = dlcc.cross_entropy %lp, %l, ignore_index = -100, reduction = mean
      : (tensor<10xf32>, tensor<i64>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

// Rule: reduction = none yields the [N, D...] loss.
func.func @cross_entropy_none_result(%lp: tensor<8x10xf32>, %l: tensor<8xi64>) -> tensor<f32> {
  // expected-error @+2 {{'dlcc.cross_entropy' op inferred type(s) 'tensor<8xf32>' are incompatible with return type(s) of operation 'tensor<f32>'}}
  // expected-error @+1 {{'dlcc.cross_entropy' op failed to infer returned types}}
  %0 = dlcc.cross_entropy %lp, %l, ignore_index = -100, reduction = none
      : (tensor<8x10xf32>, tensor<8xi64>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

// Rule: 0 <= ratio < 1: ratio 1 is rejected.
func.func @dropout_ratio_one(%k: tensor<2xi64>) -> tensor<4xi1> {
  // expected-error @+1 {{'dlcc.dropout_mask' op ratio must be in [0, 1), got 1.000000e+00}}
  %0 = dlcc.dropout_mask %k, ratio = 1.0 : (tensor<2xi64>) -> tensor<4xi1>
  return %0 : tensor<4xi1>
}

// -----

// Rule: 0 <= ratio < 1: negative ratios are rejected.
func.func @dropout_ratio_negative(%k: tensor<2xi64>) -> tensor<4xi1> {
  // expected-error @+1 {{'dlcc.dropout_mask' op ratio must be in [0, 1), got -5.000000e-01}}
  %0 = dlcc.dropout_mask %k, ratio = -0.5 : (tensor<2xi64>) -> tensor<4xi1>
  return %0 : tensor<4xi1>
}

// -----

// Rule: the dropout key is (seed, counter).
func.func @dropout_key_shape(%k: tensor<3xi64>) -> tensor<4xi1> {
  // expected-error @+1 {{'dlcc.dropout_mask' op key must be tensor<2xi64>}}
  %0 = dlcc.dropout_mask %k, ratio = 0.5 : (tensor<3xi64>) -> tensor<4xi1>
  return %0 : tensor<4xi1>
}

// -----

// Rule: the dropout key is i64.
func.func @dropout_key_i32(%k: tensor<2xi32>) -> tensor<4xi1> {
  // expected-error-re @+1 {{'dlcc.dropout_mask' op operand #0 must be statically shaped tensor of {{.*}}, but got 'tensor<2xi32>'}}
  %0 = dlcc.dropout_mask %k, ratio = 0.5 : (tensor<2xi32>) -> tensor<4xi1>
  return %0 : tensor<4xi1>
}

// -----

// Rule: an initial value has exactly the slot's type (element type).
// expected-error @+1 {{'dlcc.state_slot' op initial value of type 'tensor<2xi32>' does not match the slot type 'tensor<2xf32>'}}
dlcc.state_slot parameter @w : tensor<2xf32> = dense<[1, 2]> : tensor<2xi32>

// -----

// Rule: an initial value has exactly the slot's type (shape).
// expected-error @+1 {{'dlcc.state_slot' op initial value of type 'tensor<3xf32>' does not match the slot type 'tensor<2xf32>'}}
dlcc.state_slot parameter @w : tensor<2xf32> = dense<1.0> : tensor<3xf32>

// -----

// Rule: gradient y is a 0-d tensor.
func.func @gradient_non_scalar_y(%y: tensor<2xf32>, %x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'dlcc.gradient' op y must be a 0-d tensor, got 'tensor<2xf32>'}}
  %0 = dlcc.gradient %y wrt %x : (tensor<2xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Rule: each gradient has the type of its x.
func.func @gradient_type_mismatch(%y: tensor<f32>, %x: tensor<4xf32>) -> tensor<4xf16> {
  // expected-error @+1 {{'dlcc.gradient' op gradient type 'tensor<4xf16>' differs from its x's type 'tensor<4xf32>'}}
  %0 = dlcc.gradient %y wrt %x : (tensor<f32>, tensor<4xf32>) -> tensor<4xf16>
  return %0 : tensor<4xf16>
}

// -----

// Rule: gradient has one result per x.
func.func @gradient_result_count(%y: tensor<f32>, %x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'dlcc.gradient' op needs one result per x}}
  %0:2 = dlcc.gradient %y wrt %x : (tensor<f32>, tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>)
  return %0#0 : tensor<4xf32>
}

// -----

func.func @softmax_backward_dim_out_of_range(%y: tensor<4x10xf32>, %dy: tensor<4x10xf32>) -> tensor<4x10xf32> {
  // expected-error @+1 {{softmax_backward dimension 5 is out of range for rank 2}}
  %0 = dlcc.softmax_backward %y, %dy, dim = 5 : tensor<4x10xf32>
  return %0 : tensor<4x10xf32>
}

// -----

func.func @log_softmax_backward_dim_negative(%y: tensor<4x10xf32>, %dy: tensor<4x10xf32>) -> tensor<4x10xf32> {
  // expected-error @+1 {{log_softmax_backward dimension -3 is out of range for rank 2}}
  %0 = dlcc.log_softmax_backward %y, %dy, dim = -3 : tensor<4x10xf32>
  return %0 : tensor<4x10xf32>
}

// -----

func.func @pool_backward_window_entries(%x: tensor<1x2x8x8xf32>, %dy: tensor<1x2x4x4xf32>) -> tensor<1x2x8x8xf32> {
  // expected-error @+1 {{'window' has 1 entries, expected one per spatial dimension (2)}}
  %0 = dlcc.pool_backward max %x, %dy, window = [2], strides = [2, 2], pad_low = [0, 0],
      pad_high = [0, 0], dilations = [1, 1]
      : (tensor<1x2x8x8xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x8x8xf32>
  return %0 : tensor<1x2x8x8xf32>
}

// -----

func.func @pool_backward_grad_output_shape(%x: tensor<1x2x8x8xf32>, %dy: tensor<1x2x3x7xf32>) -> tensor<1x2x8x8xf32> {
  // expected-error @+1 {{output size 3 of spatial dimension 0 is not between 4 (floor) and 4 (ceil)}}
  %0 = dlcc.pool_backward max %x, %dy, window = [2, 2], strides = [2, 2], pad_low = [0, 0],
      pad_high = [0, 0], dilations = [1, 1]
      : (tensor<1x2x8x8xf32>, tensor<1x2x3x7xf32>) -> tensor<1x2x8x8xf32>
  return %0 : tensor<1x2x8x8xf32>
}

// -----

func.func @gather_elements_indices_larger_than_operand(%x: tensor<4x10xf32>, %i: tensor<5x1xi64>) -> tensor<5x1xf32> {
  // expected-error @+1 {{indices dimension 0 (size 5) exceeds the operand's (size 4)}}
  %0 = dlcc.gather_elements %x[%i], axis = 1 : (tensor<4x10xf32>, tensor<5x1xi64>) -> tensor<5x1xf32>
  return %0 : tensor<5x1xf32>
}

// -----

func.func @resize_rank(%x: tensor<2x3xf32>) -> tensor<6xf32> {
  // expected-error @+1 {{result of rank 1 for an operand of rank 2}}
  %0 = dlcc.resize nearest asymmetric floor %x, scales = [1.0, 2.0] {cubic_coeff_a = -7.500000e-01 : f64, exclude_outside = false, extrapolation_value = 0.000000e+00 : f64, roi = array<f64>} : (tensor<2x3xf32>) -> tensor<6xf32>
  return %0 : tensor<6xf32>
}

// -----

func.func @resize_scale_count(%x: tensor<2x3xf32>) -> tensor<2x6xf32> {
  // expected-error @+1 {{has 1 scales for rank 2}}
  %0 = dlcc.resize nearest asymmetric floor %x, scales = [2.0] {cubic_coeff_a = -7.500000e-01 : f64, exclude_outside = false, extrapolation_value = 0.000000e+00 : f64, roi = array<f64>} : (tensor<2x3xf32>) -> tensor<2x6xf32>
  return %0 : tensor<2x6xf32>
}

// -----

func.func @resize_scale_sign(%x: tensor<2x3xf32>) -> tensor<2x6xf32> {
  // expected-error @+1 {{scale -2.000000e+00 of dimension 1 is not positive and finite}}
  %0 = dlcc.resize nearest asymmetric floor %x, scales = [1.0, -2.0] {cubic_coeff_a = -7.500000e-01 : f64, exclude_outside = false, extrapolation_value = 0.000000e+00 : f64, roi = array<f64>} : (tensor<2x3xf32>) -> tensor<2x6xf32>
  return %0 : tensor<2x6xf32>
}

// -----

func.func @resize_crop_without_roi(%x: tensor<2x3xf32>) -> tensor<2x6xf32> {
  // expected-error @+1 {{has a region of interest of 0 values; expected 4}}
  %0 = dlcc.resize linear tf_crop_and_resize floor %x, scales = [1.0, 2.0] {cubic_coeff_a = -7.500000e-01 : f64, exclude_outside = false, extrapolation_value = 0.000000e+00 : f64, roi = array<f64>} : (tensor<2x3xf32>) -> tensor<2x6xf32>
  return %0 : tensor<2x6xf32>
}

// -----

func.func @scatter_elements_indices_shape(%x: tensor<3x4xf32>, %i: tensor<2x2xi64>, %u: tensor<2x2xf32>) -> tensor<3x4xf32> {
  // expected-error @+1 {{indices dimension 0 (size 2) differs from the data's (size 3)}}
  %0 = dlcc.scatter_elements add %u at %i into %x, axis = 1 : (tensor<3x4xf32>, tensor<2x2xi64>, tensor<2x2xf32>) -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// -----

func.func @scatter_nd_updates_shape(%x: tensor<4x3xf32>, %i: tensor<2x1xi64>, %u: tensor<2x4xf32>) -> tensor<4x3xf32> {
  // expected-error @+1 {{updates have shape [2, 4], expected [2, 3]}}
  %0 = dlcc.scatter_nd add %u at %i into %x : (tensor<4x3xf32>, tensor<2x1xi64>, tensor<2x4xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

func.func @resize_linear_integers(%x: tensor<2x3xi32>) -> tensor<2x6xi32> {
  // expected-error @+1 {{interpolates 'i32' elements; only nearest takes non-floats}}
  %0 = dlcc.resize linear asymmetric floor %x, scales = [1.0, 2.0] {cubic_coeff_a = -7.500000e-01 : f64, exclude_outside = false, extrapolation_value = 0.000000e+00 : f64, roi = array<f64>} : (tensor<2x3xi32>) -> tensor<2x6xi32>
  return %0 : tensor<2x6xi32>
}

// -----

func.func @grid_sample_grid_shape(%x: tensor<1x2x3x4xf32>, %g: tensor<1x5x5x3xf32>) -> tensor<1x2x5x5xf32> {
  // expected-error @+1 {{grid [1, 5, 5, 3] does not fit input [1, 2, 3, 4]}}
  %0 = dlcc.grid_sample linear zeros %x, %g : (tensor<1x2x3x4xf32>, tensor<1x5x5x3xf32>) -> tensor<1x2x5x5xf32>
  return %0 : tensor<1x2x5x5xf32>
}
