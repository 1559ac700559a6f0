// RUN: dlcc-opt %s --dlcc-map-kernels-to-cpu | FileCheck %s
// RUN: dlcc-opt %s --dlcc-map-kernels-to-cpu="kernels-only=false" | FileCheck %s --check-prefix=HOST
// RUN: dlcc-opt %s --dlcc-backend-pipeline="from=planned to=cpu-llvm gpu-chips=none" | FileCheck %s --check-prefix=LLVM

// dlcc-map-kernels-to-cpu: each tiled kernel gets the block range
// [block_begin, block_end) as two leading index arguments, its block loop
// runs over that range (a 2-D block loop is linearised and delinearised), the
// block count is recorded and the kernel becomes public. The thread loop and
// its scf.reduce are left for convert-scf-to-cf. The host function calling
// the kernels is erased, and with kernels-only (the default) so is
// everything else the kernels do not reference.

// CHECK-NOT: func.func @main(
// CHECK-NOT: memref.global "private" constant @host_table
// CHECK-LABEL: func.func @main_kernel_0
// CHECK-SAME: (%[[BEGIN:.+]]: index, %[[END:.+]]: index, %[[X:.+]]: memref<16x1000xf32>, %[[Y:.+]]: memref<16x1000xf32>)
// CHECK-SAME: attributes {dlcc.block = 256 : i64, dlcc.block_count = 63 : i64, dlcc.grid = 63 : i64, dlcc.kernel
// CHECK: scf.parallel (%[[B:.+]]) = (%[[BEGIN]]) to (%[[END]]) step (%{{.+}}) {
// CHECK: scf.parallel (%[[T:.+]]) = (%{{.+}}) to (%{{.+}}) step (%{{.+}}) {
// CHECK: arith.muli %[[B]], %{{.+}} : index
// CHECK: math.exp
// CHECK: scf.reduce
// CHECK: scf.reduce
// CHECK: return

// 2-D block loop (rows x odd columns: lower bound 1, step 2): 5 x 3 = 15
// linear blocks, delinearised then scaled and offset.
// CHECK-LABEL: func.func @main_kernel_1
// CHECK-SAME: (%[[BEGIN1:.+]]: index, %[[END1:.+]]: index, %{{.+}}: memref<5x7xf32>, %{{.+}}: memref<5xf32>)
// CHECK-SAME: dlcc.block_count = 15 : i64
// CHECK: scf.parallel (%[[L:.+]]) = (%[[BEGIN1]]) to (%[[END1]]) step (%{{.+}}) {
// CHECK: %[[IDX:.+]]:2 = affine.delinearize_index %[[L]] into (5, 3) : index, index
// CHECK: %[[M:.+]] = arith.muli %[[IDX]]#1, %{{.+}} : index
// CHECK: %[[Q:.+]] = arith.addi %[[M]], %{{.+}} : index
// CHECK: scf.parallel
// CHECK: memref.load %{{.+}}[%[[IDX]]#0, %[[Q]]] : memref<5x7xf32>
// The combine of the thread loop's partials may be reassociated (so that
// LLVM vectorizes it; the order is then fixed by the shared object).
// CHECK: scf.reduce(%{{.+}} : f32)
// CHECK: arith.addf %{{.+}}, %{{.+}} fastmath<reassoc> : f32
// CHECK: memref.store %{{.+}}, %{{.+}}[%[[IDX]]#0] : memref<5xf32>

// The helper the kernels call stays.
// CHECK: func.func private @helper

// HOST-NOT: func.func @main(
// HOST: memref.global "private" constant @host_table
// HOST: func.func @main_kernel_0(%{{.+}}: index, %{{.+}}: index,

// After the CPU half of the product pipeline (dlcc-outline-cpu-kernels, then
// this pass and the lowering nested on the CPU module):
// void k(i64 block_begin, i64 block_end, ptr...).
// LLVM: module @dlcc_cpu_kernels
// LLVM: llvm.func @main_kernel_0(%{{.+}}: i64, %{{.+}}: i64, %{{.+}}: !llvm.ptr, %{{.+}}: !llvm.ptr)
// LLVM: llvm.func @main_kernel_1(%{{.+}}: i64, %{{.+}}: i64, %{{.+}}: !llvm.ptr, %{{.+}}: !llvm.ptr)
// LLVM-NOT: scf.
module {
  memref.global "private" constant @host_table : memref<2xf32> = dense<[1.0, 2.0]>
  func.func @main(%x: memref<16x1000xf32>, %a: memref<5x7xf32>) -> memref<5xf32> {
    %e = memref.alloc() : memref<16x1000xf32>
    call @main_kernel_0(%x, %e) : (memref<16x1000xf32>, memref<16x1000xf32>) -> ()
    %s = memref.alloc() : memref<5xf32>
    call @main_kernel_1(%a, %s) : (memref<5x7xf32>, memref<5xf32>) -> ()
    return %s : memref<5xf32>
  }
  func.func private @main_kernel_0(%arg0: memref<16x1000xf32>, %arg1: memref<16x1000xf32>) attributes {dlcc.block = 256 : i64, dlcc.grid = 63 : i64, dlcc.kernel, dlcc.schedule = "elementwise"} {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c63 = arith.constant 63 : index
    %c256 = arith.constant 256 : index
    %c1000 = arith.constant 1000 : index
    %c16000 = arith.constant 16000 : index
    scf.parallel (%b) = (%c0) to (%c63) step (%c1) {
      scf.parallel (%t) = (%c0) to (%c256) step (%c1) {
        %0 = arith.muli %b, %c256 : index
        %1 = arith.addi %0, %t : index
        %2 = arith.cmpi ult, %1, %c16000 : index
        scf.if %2 {
          %3 = arith.remui %1, %c1000 : index
          %4 = arith.divui %1, %c1000 : index
          %5 = memref.load %arg0[%4, %3] : memref<16x1000xf32>
          %6 = math.exp %5 : f32
          memref.store %6, %arg1[%4, %3] : memref<16x1000xf32>
        }
        scf.reduce
      }
      scf.reduce
    }
    return
  }
  func.func private @main_kernel_1(%x: memref<5x7xf32>, %y: memref<5xf32>) attributes {dlcc.kernel, dlcc.grid = 15 : i64, dlcc.block = 4 : i64} {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c2 = arith.constant 2 : index
    %c4 = arith.constant 4 : index
    %c5 = arith.constant 5 : index
    %c7 = arith.constant 7 : index
    %zero = arith.constant 0.0 : f32
    scf.parallel (%r, %q) = (%c0, %c1) to (%c5, %c7) step (%c1, %c2) {
      %s = scf.parallel (%t) = (%c0) to (%c4) step (%c1) init (%zero) -> f32 {
        %v = memref.load %x[%r, %q] : memref<5x7xf32>
        %h = func.call @helper(%v) : (f32) -> f32
        scf.reduce(%h : f32) {
        ^bb0(%a: f32, %b: f32):
          %sum = arith.addf %a, %b : f32
          scf.reduce.return %sum : f32
        }
      }
      %old = memref.load %y[%r] : memref<5xf32>
      %new = arith.addf %old, %s : f32
      memref.store %new, %y[%r] : memref<5xf32>
      scf.reduce
    }
    return
  }
  func.func private @helper(%v: f32) -> f32 {
    %e = math.exp %v : f32
    return %e : f32
  }
}
