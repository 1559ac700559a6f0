// RUN: dlcc-opt %s --dlcc-convert-to-linalg --linalg-fuse-elementwise-ops --dlcc-form-dispatches --dlcc-reference-cpu-lowering | mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils | FileCheck %s
// RUN: dlcc-opt %s --dlcc-convert-to-linalg --linalg-fuse-elementwise-ops --dlcc-form-dispatches | FileCheck %s --check-prefix=KERNELS

// Outlining keeps results: a small MLP (matmul, bias broadcast, ReLU as max
// with zero, a second matmul, a per-class scale from a dense constant and a
// softmax) is split into kernel functions, then lowered and run on the CPU.
// Expected values were computed with numpy in float64:
//   h = x @ w1 + b1;  r = np.maximum(h, 0)
//   l = (r @ w2) * [0.5, 0.25, 1.0]
//   s = np.exp(l - l.max(1, keepdims=True)); s /= s.sum(1, keepdims=True)
// with x, w1, b1, w2 the @main constants. The inputs lie on half-integer
// grids, so r is exact; the softmax digits allow a few float32 ulps.

// The entry point only calls kernels (the ReLU output is returned and read by
// the second matmul, so it stays a kernel of its own; the softmax is one
// row kernel: max, sum of exp, divide); the dense scale stays a constant
// there and is passed to its kernel.
// KERNELS-LABEL: func.func @mlp
// KERNELS: %[[SCALE:.+]] = arith.constant dense<[5.000000e-01, 2.500000e-01, 1.000000e+00]> : tensor<3xf32>
// KERNELS-NEXT: %[[H:.+]] = call @mlp_kernel_0(
// KERNELS-NEXT: %[[R:.+]] = call @mlp_kernel_1(%[[H]],
// KERNELS-NEXT: %[[L:.+]] = call @mlp_kernel_2(%[[R]],
// KERNELS-NEXT: %[[LS:.+]] = call @mlp_kernel_3(%[[L]], %[[SCALE]])
// KERNELS-NEXT: %[[P:.+]] = call @mlp_kernel_4(%[[LS]])
// KERNELS-NEXT: return %[[R]], %[[P]]
// KERNELS-COUNT-5: func.func private @mlp_kernel_{{[0-4]}}({{.*}}attributes {dlcc.kernel,
// KERNELS-NOT: func.func private @mlp_kernel_
// KERNELS-NOT: @main_kernel

func.func private @printMemrefF32(tensor<*xf32>)

func.func @mlp(%x: tensor<2x4xf32>, %w1: tensor<4x3xf32>, %b1: tensor<3xf32>,
               %w2: tensor<3x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>) {
  %h = dlcc.matmul %x, %w1 : (tensor<2x4xf32>, tensor<4x3xf32>) -> tensor<2x3xf32>
  %bb = dlcc.broadcast_in_dim %b1, dims = [1] : (tensor<3xf32>) -> tensor<2x3xf32>
  %a = dlcc.add %h, %bb : tensor<2x3xf32>
  %zero = dlcc.constant dense<0.0> : tensor<2x3xf32>
  %r = dlcc.max %a, %zero : tensor<2x3xf32>
  %l = dlcc.matmul %r, %w2 : (tensor<2x3xf32>, tensor<3x3xf32>) -> tensor<2x3xf32>
  %scale = dlcc.constant dense<[0.5, 0.25, 1.0]> : tensor<3xf32>
  %sb = dlcc.broadcast_in_dim %scale, dims = [1] : (tensor<3xf32>) -> tensor<2x3xf32>
  %ls = dlcc.mul %l, %sb : tensor<2x3xf32>
  %s = dlcc.softmax %ls, dim = 1 : tensor<2x3xf32>
  return %r, %s : tensor<2x3xf32>, tensor<2x3xf32>
}

// ReLU output r:
// CHECK: rank = 2 offset = 0 sizes = [2, 3]
// CHECK-NEXT: {{\[\[}}0, 0, 6.75],
// CHECK-NEXT: [0, 3.25, 0]]
// Softmax s:
// CHECK: rank = 2 offset = 0 sizes = [2, 3]
// CHECK-NEXT: {{\[\[}}0.7798{{(59|6|61|62|63)}}, 0.2199{{(69|7|71)}}, 0.00016891{{1?}}],
// CHECK-NEXT: [0.019018{{(3|4)}}, 0.4904{{(89|9|91|92)}}, 0.4904{{(89|9|91|92)}}]]
func.func @main() {
  %x = arith.constant dense<[[1.0, -2.0, 0.5, 3.0], [-1.5, 2.0, 1.0, -0.5]]> : tensor<2x4xf32>
  %w1 = arith.constant dense<[[0.5, -1.0, 2.0], [1.0, 0.5, -0.5], [-2.0, 1.5, 1.0], [0.5, -0.5, 1.0]]> : tensor<4x3xf32>
  %b1 = arith.constant dense<[0.5, -1.0, 0.25]> : tensor<3xf32>
  %w2 = arith.constant dense<[[1.0, -0.5, 0.5], [-1.0, 2.0, 0.5], [0.5, 0.25, -1.0]]> : tensor<3x3xf32>
  %r, %s = call @mlp(%x, %w1, %b1, %w2)
      : (tensor<2x4xf32>, tensor<4x3xf32>, tensor<3xf32>, tensor<3x3xf32>)
      -> (tensor<2x3xf32>, tensor<2x3xf32>)
  %ru = tensor.cast %r : tensor<2x3xf32> to tensor<*xf32>
  call @printMemrefF32(%ru) : (tensor<*xf32>) -> ()
  %su = tensor.cast %s : tensor<2x3xf32> to tensor<*xf32>
  call @printMemrefF32(%su) : (tensor<*xf32>) -> ()
  return
}
