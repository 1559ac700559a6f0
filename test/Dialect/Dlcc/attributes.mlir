// RUN: dlcc-opt %s --split-input-file | dlcc-opt --split-input-file | FileCheck %s

// The typed library-call descriptors round-trip; the dialect accepts the
// dlcc.* attributes of entry points, state and kernels (the invalid cases
// are in attributes-invalid.mlir).

// CHECK: dlcc.state_slot parameter @w
// CHECK: func.func @forward(%{{.+}}: tensor<2x4xf32> {dlcc.input = "x", dlcc.unsigned}, %{{.+}}: tensor<4x3xf32> {dlcc.state = @w})
// CHECK-SAME: -> (tensor<2x3xf32> {dlcc.output = "y"}, tensor<4x3xf32> {dlcc.tied_state = @w})
// CHECK: func.func private @gemm(
// CHECK-SAME: dlcc.kernel, dlcc.kernel_bytes = 104 : i64, dlcc.kernel_flops = 48 : i64,
// CHECK-SAME: dlcc.library_call = #dlcc.gemm_call<a = 0, b = 1, c = 2, m = 2, n = 3, k = 4, batch = 1, trans_a = false, trans_b = true, lda = 4, ldb = 4, ldc = 3, stride_a = 8, stride_b = 12, stride_c = 6, element_type = f32, compute_type = f32>
// CHECK: func.func private @conv(
// CHECK-SAME: dlcc.library_call = #dlcc.conv_call<kind = backward_data, x = 2, w = 1, y = 0, input_shape = [1, 2, 6, 6], filter_shape = [4, 1, 3, 3], output_shape = [1, 4, 3, 3], strides = [2, 2], pads = [1, 1, 0, 0], dilations = [1, 1], groups = 2, element_type = f32>
module attributes {dlcc.source = "m.onnx", dlcc.opsets = {ai.onnx = 17 : i64}} {
  dlcc.state_slot parameter @w : tensor<4x3xf32>
  func.func @forward(%x: tensor<2x4xf32> {dlcc.input = "x", dlcc.unsigned},
                     %w: tensor<4x3xf32> {dlcc.state = @w})
      -> (tensor<2x3xf32> {dlcc.output = "y"}, tensor<4x3xf32> {dlcc.tied_state = @w}) {
    %y = dlcc.matmul %x, %w : (tensor<2x4xf32>, tensor<4x3xf32>) -> tensor<2x3xf32>
    return %y, %w : tensor<2x3xf32>, tensor<4x3xf32>
  }
  func.func private @gemm(%a: memref<2x4xf32>, %b: memref<3x4xf32>, %c: memref<2x3xf32>)
      attributes {dlcc.kernel, dlcc.kernel_flops = 48 : i64, dlcc.kernel_bytes = 104 : i64,
                  dlcc.library_call = #dlcc.gemm_call<a = 0, b = 1, c = 2, m = 2, n = 3, k = 4, batch = 1, trans_a = false, trans_b = true, lda = 4, ldb = 4, ldc = 3, stride_a = 8, stride_b = 12, stride_c = 6, element_type = f32, compute_type = f32>} {
    return
  }
  func.func private @conv(%dy: memref<1x4x3x3xf32>, %w: memref<4x1x3x3xf32>, %dx: memref<1x2x6x6xf32>)
      attributes {dlcc.kernel,
                  dlcc.library_call = #dlcc.conv_call<kind = backward_data, x = 2, w = 1, y = 0, input_shape = [1, 2, 6, 6], filter_shape = [4, 1, 3, 3], output_shape = [1, 4, 3, 3], strides = [2, 2], pads = [1, 1, 0, 0], dilations = [1, 1], groups = 2, element_type = f32>} {
    return
  }
}
