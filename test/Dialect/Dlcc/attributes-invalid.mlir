// RUN: dlcc-opt %s --split-input-file --verify-diagnostics

// One case per rule of lib/Dialect/Dlcc/IR/DlccAttributes.cpp: the typed
// library-call descriptors and the dlcc.* discardable attributes.

// Rule: every dlcc.* attribute is a declared one.
// expected-error @+1 {{'builtin.module' op has the unknown attribute 'dlcc.kernal'}}
module attributes {dlcc.kernal} {
}

// -----

// Rule: dlcc.state names a dlcc.state_slot.
module {
  // expected-error @+1 {{'func.func' op argument 0 names @nope, which is not a dlcc.state_slot}}
  func.func @f(%w: tensor<4xf32> {dlcc.state = @nope}) {
    return
  }
}

// -----

// Rule: the argument holds its slot's shape.
module {
  dlcc.state_slot parameter @w : tensor<4xf32>
  // expected-error @+1 {{'func.func' op argument 0 of type 'tensor<5xf32>' does not hold state slot @w of type 'tensor<4xf32>'}}
  func.func @f(%w: tensor<5xf32> {dlcc.state = @w}) {
    return
  }
}

// -----

// Rule: one argument per slot.
module {
  dlcc.state_slot parameter @w : tensor<4xf32>
  // expected-error @+1 {{'func.func' op arguments 0 and 1 both name state slot @w}}
  func.func @f(%a: tensor<4xf32> {dlcc.state = @w}, %b: tensor<4xf32> {dlcc.state = @w}) {
    return
  }
}

// -----

// Rule: dlcc.tied_state names a slot of the result's shape.
module {
  dlcc.state_slot batch_norm_statistic @mean : tensor<4xf32>
  // expected-error @+1 {{'func.func' op result 0 of type 'tensor<3xf32>' does not hold state slot @mean of type 'tensor<4xf32>'}}
  func.func @f(%m: tensor<3xf32>) -> (tensor<3xf32> {dlcc.tied_state = @mean}) {
    return %m : tensor<3xf32>
  }
}

// -----

// Rule: dlcc.state is a symbol reference.
module {
  // expected-error @+1 {{'func.func' op attribute 'dlcc.state' must be a symbol reference, got "w"}}
  func.func @f(%w: tensor<4xf32> {dlcc.state = "w"}) {
    return
  }
}

// -----

// Rule: inputs are named by strings; unknown argument attributes are errors.
module {
  // expected-error @+1 {{'func.func' op argument 0 has the unknown attribute 'dlcc.inputs'}}
  func.func @f(%x: tensor<4xf32> {dlcc.inputs = "x"}) {
    return
  }
}

// -----

// Rule: a library call is a typed descriptor, not a dictionary.
module {
  // expected-error @+1 {{'func.func' op attribute 'dlcc.library_call' must be a #dlcc.gemm_call or #dlcc.conv_call, got {kind = "gemm"}}}
  func.func private @k(%a: memref<4xf32>) attributes {dlcc.kernel, dlcc.library_call = {kind = "gemm"}} {
    return
  }
}

// -----

// Rule: launch sizes and library calls belong on kernels.
module {
  // expected-error @+1 {{'func.func' op attribute 'dlcc.grid' belongs on a kernel function (dlcc.kernel)}}
  func.func private @k(%a: memref<4xf32>) attributes {dlcc.grid = 4 : i64} {
    return
  }
}

// -----

// Rule: in-place arguments are argument numbers of the kernel.
module {
  // expected-error @+1 {{'func.func' op attribute 'dlcc.in_place_arguments' must be argument numbers below 2, got array<i64: 0, 2>}}
  func.func private @k(%a: memref<4xf32>, %b: memref<4xf32>) attributes {dlcc.kernel, dlcc.in_place_arguments = array<i64: 0, 2>} {
    return
  }
}

// -----

// Rule: a block has at least one thread.
module {
  // expected-error @+1 {{'func.func' op attribute 'dlcc.block' must be a positive i64, got 0 : i64}}
  func.func private @k(%a: memref<4xf32>) attributes {dlcc.kernel, dlcc.block = 0 : i64} {
    return
  }
}

// -----

// Rule: gemm operands are distinct argument numbers.
// expected-error @+1 {{gemm operands must be distinct argument numbers, got a = 0, b = 0, c = 2}}
#bad = #dlcc.gemm_call<a = 0, b = 0, c = 2, m = 2, n = 3, k = 4, batch = 1, trans_a = false, trans_b = false, lda = 4, ldb = 3, ldc = 3, stride_a = 0, stride_b = 0, stride_c = 0, element_type = f32, compute_type = f32>

// -----

// Rule: gemm sizes are positive.
// expected-error @+1 {{gemm sizes must be positive, got m = 0, n = 3, k = 4, batch = 1}}
#bad = #dlcc.gemm_call<a = 0, b = 1, c = 2, m = 0, n = 3, k = 4, batch = 1, trans_a = false, trans_b = false, lda = 4, ldb = 3, ldc = 3, stride_a = 0, stride_b = 0, stride_c = 0, element_type = f32, compute_type = f32>

// -----

// Rule: leading dimensions cover the stored rows.
// expected-error @+1 {{gemm leading dimensions 3, 3, 3 are shorter than the rows}}
#bad = #dlcc.gemm_call<a = 0, b = 1, c = 2, m = 2, n = 3, k = 4, batch = 1, trans_a = false, trans_b = false, lda = 3, ldb = 3, ldc = 3, stride_a = 0, stride_b = 0, stride_c = 0, element_type = f32, compute_type = f32>

// -----

// Rule: convolution shapes share one rank >= 3.
// expected-error @+1 {{convolution shapes must share one rank >= 3}}
#bad = #dlcc.conv_call<kind = forward, x = 0, w = 1, y = 2, input_shape = [1, 2, 6, 6], filter_shape = [4, 2, 3], output_shape = [1, 4, 4, 4], strides = [1, 1], pads = [0, 0, 0, 0], dilations = [1, 1], groups = 1, element_type = f32>

// -----

// Rule: geometry matches the spatial rank.
// expected-error @+1 {{convolution strides, dilations and pads must match the 2 spatial dimension(s)}}
#bad = #dlcc.conv_call<kind = forward, x = 0, w = 1, y = 2, input_shape = [1, 2, 6, 6], filter_shape = [4, 2, 3, 3], output_shape = [1, 4, 4, 4], strides = [1], pads = [0, 0, 0, 0], dilations = [1, 1], groups = 1, element_type = f32>

// -----

// Rule: channels, filters and groups agree.
// expected-error @+1 {{convolution channels, filters and groups (3) do not agree}}
#bad = #dlcc.conv_call<kind = forward, x = 0, w = 1, y = 2, input_shape = [1, 2, 6, 6], filter_shape = [4, 2, 3, 3], output_shape = [1, 4, 4, 4], strides = [1, 1], pads = [0, 0, 0, 0], dilations = [1, 1], groups = 3, element_type = f32>

// -----

// Rule: strides and dilations >= 1, pads >= 0.
// expected-error @+1 {{convolution strides and dilations must be >= 1 and pads >= 0}}
#bad = #dlcc.conv_call<kind = forward, x = 0, w = 1, y = 2, input_shape = [1, 2, 6, 6], filter_shape = [4, 2, 3, 3], output_shape = [1, 4, 4, 4], strides = [0, 1], pads = [0, 0, 0, 0], dilations = [1, 1], groups = 1, element_type = f32>

