// RUN: dlcc-opt %s --dlcc-convert-to-linalg --dlcc-form-dispatches --dlcc-select-library-calls --split-input-file | FileCheck %s
// RUN: dlcc-opt %s --dlcc-convert-to-linalg --dlcc-form-dispatches --dlcc-select-library-calls=generated-conv=1 --split-input-file | FileCheck %s --check-prefix=GENERATED-CONV

// A convolution's data gradient is lowered to two kernels, the spread of dy
// and the contraction with the flipped filter; their two calls become one
// call of a conv_backward_data library kernel (doing both, for the record)
// on dy's and w's grouped views, with the forward convolution's descriptor:
// x [1, 4, 6, 6] (dx), w [4, 1, 3, 3], y [1, 4, 3, 3] (dy), strides 2,
// pads 1 before and 0 after (cuDNN's symmetric 1 gives the same size).
// CHECK-LABEL: func.func @transposed
// CHECK-SAME: (%[[DY:.+]]: tensor<1x4x3x3xf32>, %[[W:.+]]: tensor<4x1x3x3xf32>)
// CHECK-DAG: %[[DYG:.+]] = tensor.expand_shape %[[DY]] {{.*}} into tensor<1x2x2x3x3xf32>
// CHECK-DAG: %[[WG:.+]] = tensor.expand_shape %[[W]] {{.*}} into tensor<2x2x1x3x3xf32>
// CHECK: %[[DX:.+]] = call @[[LIB:.+]](%[[DYG]], %[[WG]]) : (tensor<1x2x2x3x3xf32>, tensor<2x2x1x3x3xf32>) -> tensor<1x2x1x6x6xf32>
// CHECK-NOT: call
// CHECK: func.func private @[[LIB]](%{{.+}}: tensor<1x2x2x3x3xf32>, %{{.+}}: tensor<2x2x1x3x3xf32>) -> tensor<1x2x1x6x6xf32>
// CHECK-SAME: dlcc.library_call = #dlcc.conv_call<kind = backward_data, x = 2, w = 1, y = 0, input_shape = [1, 2, 6, 6], filter_shape = [4, 1, 3, 3], output_shape = [1, 4, 3, 3], strides = [2, 2], pads = [1, 1, 0, 0], dilations = [1, 1], groups = 2, element_type = f32>
// CHECK: linalg.generic {{.*}} attrs = {dlcc.conv_spread}
// CHECK: linalg.generic {{.*}} attrs = {dlcc.conv_backward_data = {dilations = array<i64: 1, 1>, groups = 2 : i64, pad_high = array<i64: 0, 0>, pad_low = array<i64: 1, 1>, strides = array<i64: 2, 2>}}
// CHECK-NOT: func.func private
// GENERATED-CONV-LABEL: func.func @transposed
// GENERATED-CONV: call @transposed_kernel_0(
// GENERATED-CONV: call @transposed_kernel_1(
// GENERATED-CONV-NOT: dlcc.library_call
func.func @transposed(%dy: tensor<1x4x3x3xf32>, %w: tensor<4x1x3x3xf32>) -> tensor<1x2x6x6xf32> {
  %0 = dlcc.convolution_backward_data %dy, %w, strides = [2, 2], pad_low = [1, 1], pad_high = [0, 0],
      dilations = [1, 1], groups = 2 : (tensor<1x4x3x3xf32>, tensor<4x1x3x3xf32>) -> tensor<1x2x6x6xf32>
  return %0 : tensor<1x2x6x6xf32>
}

// -----

// Padding 1 before and 0 after in a dimension where cuDNN's symmetric 1
// would give 4 outputs, not 3: both generated kernels stay.
// CHECK-LABEL: func.func @asymmetric
// CHECK: call @asymmetric_kernel_0(
// CHECK: call @asymmetric_kernel_1(
// CHECK-NOT: dlcc.library_call
func.func @asymmetric(%dy: tensor<1x4x3x2xf32>, %w: tensor<4x2x3x2xf32>) -> tensor<1x4x7x6xf32> {
  %0 = dlcc.convolution_backward_data %dy, %w, strides = [2, 3], pad_low = [1, 0], pad_high = [0, 1],
      dilations = [1, 2], groups = 2 : (tensor<1x4x3x2xf32>, tensor<4x2x3x2xf32>) -> tensor<1x4x7x6xf32>
  return %0 : tensor<1x4x7x6xf32>
}

// -----

// The filter gradient is one contraction over x's and dy's grouped views:
// a conv_backward_filter call of the forward convolution x [2, 4, 5, 5],
// w [6, 2, 3, 3] (2 groups), y [2, 6, 2, 2] (stride 2, no padding).
// CHECK-LABEL: func.func @filter_gradient
// CHECK: call @[[K:.+]](%{{.+}}, %{{.+}}) : (tensor<2x2x2x5x5xf32>, tensor<2x2x3x2x2xf32>) -> tensor<2x3x2x3x3xf32>
// CHECK: func.func private @[[K]](
// CHECK-SAME: dlcc.library_call = #dlcc.conv_call<kind = backward_filter, x = 0, w = 2, y = 1, input_shape = [2, 4, 5, 5], filter_shape = [6, 2, 3, 3], output_shape = [2, 6, 2, 2], strides = [2, 2], pads = [0, 0, 0, 0], dilations = [1, 1], groups = 2, element_type = f32>
// GENERATED-CONV-LABEL: func.func @filter_gradient
// GENERATED-CONV-NOT: dlcc.library_call
func.func @filter_gradient(%x: tensor<2x4x5x5xf32>, %dy: tensor<2x6x2x2xf32>) -> tensor<6x2x3x3xf32> {
  %0 = dlcc.convolution_backward_filter %x, %dy, strides = [2, 2], pad_low = [0, 0], pad_high = [0, 0],
      dilations = [1, 1], groups = 2 : (tensor<2x4x5x5xf32>, tensor<2x6x2x2xf32>) -> tensor<6x2x3x3xf32>
  return %0 : tensor<6x2x3x3xf32>
}

// -----

// Symmetric padding folds into the call as for a forward convolution: the
// call takes the unpadded input and names a `_padded` clone whose body pads.
// CHECK-LABEL: func.func @filter_gradient_padded
// CHECK-SAME: (%[[X:.+]]: tensor<1x1x4x4xf32>, %[[DY:.+]]: tensor<1x2x4x4xf32>)
// CHECK: call @[[K:.+_padded]](%{{.+}}, %{{.+}}) : (tensor<1x1x1x4x4xf32>, tensor<1x1x2x4x4xf32>) -> tensor<1x2x1x3x3xf32>
// CHECK-NOT: tensor.pad
// CHECK: func.func private @[[K]](
// CHECK-SAME: #dlcc.conv_call<kind = backward_filter, x = 0, w = 2, y = 1, input_shape = [1, 1, 4, 4], filter_shape = [2, 1, 3, 3], output_shape = [1, 2, 4, 4], strides = [1, 1], pads = [1, 1, 1, 1]
// CHECK: tensor.pad
func.func @filter_gradient_padded(%x: tensor<1x1x4x4xf32>, %dy: tensor<1x2x4x4xf32>) -> tensor<2x1x3x3xf32> {
  %0 = dlcc.convolution_backward_filter %x, %dy, strides = [1, 1], pad_low = [1, 1], pad_high = [1, 1],
      dilations = [1, 1], groups = 1 : (tensor<1x1x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<2x1x3x3xf32>
  return %0 : tensor<2x1x3x3xf32>
}
