// RUN: dlcc-opt %s --dlcc-outline-cpu-kernels --split-input-file | FileCheck %s
// RUN: dlcc-opt %s --dlcc-outline-cpu-kernels="module-name=cpu" --split-input-file | FileCheck %s --check-prefix=NAMED

// The tiled kernel and the global it reads are copied into the nested
// module; the library call, the kernel with no work, the untiled function
// and the entry point stay outside only.

// CHECK: memref.global "private" constant @table
// CHECK: func.func @main(
// CHECK: func.func private @main_kernel_0(
// CHECK: func.func private @main_kernel_1(
// CHECK: func.func private @main_kernel_2(
// CHECK: func.func private @helper(
// CHECK: module @dlcc_cpu_kernels {
// CHECK-NEXT: memref.global "private" constant @table
// CHECK-NEXT: func.func private @main_kernel_0(
// CHECK-SAME: dlcc.grid = 1 : i64
// CHECK: memref.get_global @table
// CHECK-NOT: func.func
// CHECK: // -----
// CHECK-NOT: module @dlcc_cpu_kernels

// NAMED: module @cpu {
module {
  memref.global "private" constant @table : memref<4xf32> = dense<[1.0, 2.0, 3.0, 4.0]>
  func.func @main(%x: memref<4xf32>, %y: memref<4xf32>, %z: memref<4x4xf32>, %e: memref<0xf32>) {
    call @main_kernel_0(%x, %y) : (memref<4xf32>, memref<4xf32>) -> ()
    call @main_kernel_1(%z, %z, %z) : (memref<4x4xf32>, memref<4x4xf32>, memref<4x4xf32>) -> ()
    call @main_kernel_2(%e) : (memref<0xf32>) -> ()
    return
  }
  func.func private @main_kernel_0(%x: memref<4xf32>, %y: memref<4xf32>) attributes {dlcc.kernel, dlcc.grid = 1 : i64, dlcc.block = 4 : i64} {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c4 = arith.constant 4 : index
    %t = memref.get_global @table : memref<4xf32>
    scf.parallel (%b) = (%c0) to (%c1) step (%c1) {
      scf.parallel (%i) = (%c0) to (%c4) step (%c1) {
        %a = memref.load %x[%i] : memref<4xf32>
        %w = memref.load %t[%i] : memref<4xf32>
        %s = arith.addf %a, %w : f32
        memref.store %s, %y[%i] : memref<4xf32>
        scf.reduce
      }
      scf.reduce
    }
    return
  }
  func.func private @main_kernel_1(%a: memref<4x4xf32>, %b: memref<4x4xf32>, %c: memref<4x4xf32>) attributes {dlcc.kernel, dlcc.grid = 1 : i64, dlcc.block = 1 : i64, dlcc.library_call = #dlcc.gemm_call<a = 0, b = 1, c = 2, m = 4, n = 4, k = 4, batch = 1, trans_a = false, trans_b = false, lda = 4, ldb = 4, ldc = 4, stride_a = 0, stride_b = 0, stride_c = 0, element_type = f32, compute_type = f32>} {
    return
  }
  func.func private @main_kernel_2(%e: memref<0xf32>) attributes {dlcc.kernel, dlcc.grid = 1 : i64, dlcc.block = 1 : i64, dlcc.no_work} {
    return
  }
  func.func private @helper(%x: memref<4xf32>) {
    return
  }
}

// -----

// Nothing tiled: no nested module (checked after the first case's output).
module {
  func.func @main(%x: memref<4xf32>) {
    return
  }
}
