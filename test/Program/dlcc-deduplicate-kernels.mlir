// RUN: dlcc-opt %s --dlcc-deduplicate-kernels | FileCheck %s

// @b_kernel_0 is @a_kernel_0 under another name (and other locations): it
// goes, and @b calls @a_kernel_0. @b_kernel_1 has the same body but another
// block size, @b_kernel_2 another constant: both stay. Library calls are
// never merged.
// CHECK: func.func private @a_kernel_0
// CHECK-NOT: func.func private @b_kernel_0
// CHECK: func.func private @b_kernel_1
// CHECK: func.func private @b_kernel_2
// CHECK: func.func private @b_gemm
// CHECK: func.func private @b_gemm_0
// CHECK-LABEL: func.func @a
// CHECK: call @a_kernel_0
// CHECK-LABEL: func.func @b
// CHECK-NEXT: call @a_kernel_0(
// CHECK-NEXT: call @b_kernel_1(
// CHECK-NEXT: call @b_kernel_2(
// CHECK-NEXT: call @b_gemm(
// CHECK-NEXT: call @b_gemm_0(
func.func private @a_kernel_0(%x: memref<4xf32>, %y: memref<4xf32>) attributes {dlcc.kernel, dlcc.grid = 1 : i64, dlcc.block = 32 : i64} {
  %c = arith.constant 2.0 : f32
  linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%x : memref<4xf32>) outs(%y : memref<4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.mulf %in, %c : f32
    linalg.yield %m : f32
  }
  return
}
func.func private @b_kernel_0(%p: memref<4xf32>, %q: memref<4xf32>) attributes {dlcc.kernel, dlcc.grid = 1 : i64, dlcc.block = 32 : i64} {
  %c = arith.constant 2.0 : f32 loc("elsewhere")
  linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%p : memref<4xf32>) outs(%q : memref<4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.mulf %in, %c : f32
    linalg.yield %m : f32
  }
  return
}
func.func private @b_kernel_1(%x: memref<4xf32>, %y: memref<4xf32>) attributes {dlcc.kernel, dlcc.grid = 1 : i64, dlcc.block = 64 : i64} {
  %c = arith.constant 2.0 : f32
  linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%x : memref<4xf32>) outs(%y : memref<4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.mulf %in, %c : f32
    linalg.yield %m : f32
  }
  return
}
func.func private @b_kernel_2(%x: memref<4xf32>, %y: memref<4xf32>) attributes {dlcc.kernel, dlcc.grid = 1 : i64, dlcc.block = 32 : i64} {
  %c = arith.constant 3.0 : f32
  linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%x : memref<4xf32>) outs(%y : memref<4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.mulf %in, %c : f32
    linalg.yield %m : f32
  }
  return
}
func.func private @b_gemm(%a: memref<2x2xf32>, %b: memref<2x2xf32>, %c: memref<2x2xf32>) attributes {dlcc.kernel, dlcc.library_call = #dlcc.gemm_call<a = 0, b = 1, c = 2, m = 2, n = 2, k = 2, batch = 1, trans_a = false, trans_b = false, lda = 2, ldb = 2, ldc = 2, stride_a = 0, stride_b = 0, stride_c = 0, element_type = f32, compute_type = f32>} {
  linalg.matmul ins(%a, %b : memref<2x2xf32>, memref<2x2xf32>) outs(%c : memref<2x2xf32>)
  return
}
func.func private @b_gemm_0(%a: memref<2x2xf32>, %b: memref<2x2xf32>, %c: memref<2x2xf32>) attributes {dlcc.kernel, dlcc.library_call = #dlcc.gemm_call<a = 0, b = 1, c = 2, m = 2, n = 2, k = 2, batch = 1, trans_a = false, trans_b = false, lda = 2, ldb = 2, ldc = 2, stride_a = 0, stride_b = 0, stride_c = 0, element_type = f32, compute_type = f32>} {
  linalg.matmul ins(%a, %b : memref<2x2xf32>, memref<2x2xf32>) outs(%c : memref<2x2xf32>)
  return
}
func.func @a(%x: memref<4xf32>, %y: memref<4xf32>) {
  call @a_kernel_0(%x, %y) : (memref<4xf32>, memref<4xf32>) -> ()
  return
}
func.func @b(%x: memref<4xf32>, %y: memref<4xf32>, %m: memref<2x2xf32>) {
  call @b_kernel_0(%x, %y) : (memref<4xf32>, memref<4xf32>) -> ()
  call @b_kernel_1(%x, %y) : (memref<4xf32>, memref<4xf32>) -> ()
  call @b_kernel_2(%x, %y) : (memref<4xf32>, memref<4xf32>) -> ()
  call @b_gemm(%m, %m, %m) : (memref<2x2xf32>, memref<2x2xf32>, memref<2x2xf32>) -> ()
  call @b_gemm_0(%m, %m, %m) : (memref<2x2xf32>, memref<2x2xf32>, memref<2x2xf32>) -> ()
  return
}
