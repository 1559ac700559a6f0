// RUN: dlcc-opt %s --dlcc-backend-pipeline="from=mlir to=planned" | FileCheck %s

// A cross-entropy train step as dlcc-build-train-step and
// dlcc-expand-gradients write it: the class mask feeds both the
// log-softmax gradient's row sum and its elementwise part. Fused into the
// row sum, the mask would have to stay a result of a reduction, which
// cannot yield a value over its reduction loop ("output indexing map is
// not a permutation of the parallel loops"); it stays a kernel of its own
// and the program plans.
// CHECK-LABEL: func.func @masked_log_softmax_gradient
// CHECK-SAME: dlcc.arena_bytes
// CHECK: call @masked_log_softmax_gradient_kernel_
func.func @masked_log_softmax_gradient(%arg0: tensor<2x4xf32> {dlcc.input = "x"}, %arg1: tensor<4x3xf32> {dlcc.input = "w"}, %arg2: tensor<2xi64> {dlcc.input = "labels"}, %arg3: tensor<f32> {dlcc.input = "lr"}) -> (tensor<f32> {dlcc.output = "loss"}, tensor<4x3xf32> {dlcc.output = "w_next"}) {
  %0 = dlcc.constant dense<0.000000e+00> : tensor<2x3xf32>
  %1 = dlcc.constant dense<0.000000e+00> : tensor<2xf32>
  %2 = dlcc.constant dense<1.000000e+00> : tensor<2xf32>
  %3 = dlcc.constant dense<-100> : tensor<2xi64>
  %4 = dlcc.constant dense<1.000000e+00> : tensor<f32>
  %5 = dlcc.matmul %arg0, %arg1 : (tensor<2x4xf32>, tensor<4x3xf32>) -> tensor<2x3xf32>
  %6 = dlcc.log_softmax %5, dim = 1 : tensor<2x3xf32>
  %7 = dlcc.cross_entropy %6, %arg2, ignore_index = -100, reduction = mean : (tensor<2x3xf32>, tensor<2xi64>) -> tensor<f32>
  %8 = dlcc.iota dim = 1 : tensor<2x3xi64>
  %9 = dlcc.broadcast_in_dim %arg2, dims = [0] : (tensor<2xi64>) -> tensor<2x3xi64>
  %10 = dlcc.compare eq, %8, %9 : tensor<2x3xi64>
  %11 = dlcc.compare ne, %arg2, %3 : tensor<2xi64>
  %12 = dlcc.select %11, %2, %1 : tensor<2xi1>, tensor<2xf32>
  %13 = dlcc.reduce sum %12, dims = [0] : (tensor<2xf32>) -> tensor<f32>
  %14 = dlcc.div %4, %13 : tensor<f32>
  %15 = dlcc.broadcast_in_dim %14, dims = [] : (tensor<f32>) -> tensor<2x3xf32>
  %16 = dlcc.broadcast_in_dim %11, dims = [0] : (tensor<2xi1>) -> tensor<2x3xi1>
  %17 = dlcc.and %10, %16 : tensor<2x3xi1>
  %18 = dlcc.neg %15 : tensor<2x3xf32>
  %19 = dlcc.select %17, %18, %0 : tensor<2x3xi1>, tensor<2x3xf32>
  %20 = dlcc.log_softmax_backward %6, %19, dim = 1 : tensor<2x3xf32>
  %21 = dlcc.matmul %arg0, %20 transpose_lhs : (tensor<2x4xf32>, tensor<2x3xf32>) -> tensor<4x3xf32>
  %22 = dlcc.broadcast_in_dim %arg3, dims = [] : (tensor<f32>) -> tensor<4x3xf32>
  %23 = dlcc.mul %22, %21 : tensor<4x3xf32>
  %24 = dlcc.sub %arg1, %23 : tensor<4x3xf32>
  return %7, %24 : tensor<f32>, tensor<4x3xf32>
}
