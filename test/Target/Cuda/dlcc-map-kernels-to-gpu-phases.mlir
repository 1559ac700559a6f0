// RUN: dlcc-opt %s --dlcc-map-kernels-to-gpu="format=gpu" | FileCheck %s
// RUN: dlcc-opt %s --dlcc-map-kernels-to-gpu="format=nvvm" | FileCheck %s --check-prefix=NVVM

// A block loop with several thread loops (phases), as dlcc-tile-kernels
// writes a softmax row: a row max, the max stored by every thread, a sum of
// exp(x - max), then the normalised row. Every phase runs in every thread
// with the loop index replaced by threadIdx.x; each scf.reduce becomes a
// uniform gpu.all_reduce combined with the loop's initial value; a barrier
// follows the store before the next phase, none precedes the last phase
// (nothing was written since the previous one).

// CHECK-LABEL: gpu.func @softmax_rows
// CHECK-SAME: known_block_size = array<i32: 64, 1, 1>, known_grid_size = array<i32: 4, 1, 1>
// CHECK: %[[ROW:.+]] = gpu.block_id x
// CHECK: %[[T:.+]] = gpu.thread_id x
// CHECK-DAG: %[[NINF:.+]] = arith.constant 0xFF800000 : f32
// CHECK-DAG: %[[ZERO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[PMAX:.+]] = scf.for %{{.+}} = %[[T]] to
// CHECK: arith.maximumf
// CHECK: %[[AMAX:.+]] = gpu.all_reduce %[[PMAX]] uniform {
// CHECK-NEXT: ^bb0(%[[A:.+]]: f32, %[[B:.+]]: f32):
// CHECK-NEXT: %[[AB:.+]] = arith.maximumf %[[A]], %[[B]] : f32
// CHECK-NEXT: gpu.yield %[[AB]] : f32
// CHECK-NEXT: } : (f32) -> f32
// CHECK-NEXT: %[[MAX:.+]] = arith.maximumf %[[NINF]], %[[AMAX]] : f32
// CHECK-NEXT: memref.store %[[MAX]], %{{.+}}[%[[ROW]]] : memref<4xf32>
// CHECK-NEXT: gpu.barrier
// CHECK-NEXT: %[[PSUM:.+]] = scf.for %{{.+}} = %[[T]] to
// CHECK: math.exp
// CHECK: %[[ASUM:.+]] = gpu.all_reduce %[[PSUM]] uniform {
// CHECK: %[[SUM:.+]] = arith.addf %[[ZERO]], %[[ASUM]] : f32
// CHECK-NOT: gpu.barrier
// CHECK: scf.for %{{.+}} = %[[T]] to
// CHECK: arith.divf %{{.+}}, %[[SUM]] : f32
// CHECK: memref.store
// CHECK: gpu.return
// CHECK-NOT: scf.parallel

// NVVM: llvm.func @softmax_rows
// NVVM-COUNT-2: nvvm.shfl.sync bfly
// NVVM: nvvm.barrier0
module {
  func.func private @softmax_rows(%x: memref<4x100xf32>, %maxes: memref<4xf32>, %y: memref<4x100xf32>) attributes {dlcc.block = 64 : i64, dlcc.grid = 4 : i64, dlcc.kernel, dlcc.schedule = "row"} {
    %ninf = arith.constant 0xFF800000 : f32
    %zero = arith.constant 0.0 : f32
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c4 = arith.constant 4 : index
    %c64 = arith.constant 64 : index
    %c100 = arith.constant 100 : index
    scf.parallel (%b) = (%c0) to (%c4) step (%c1) {
      %pmax = scf.parallel (%t) = (%c0) to (%c64) step (%c1) init (%ninf) -> f32 {
        %p = scf.for %k = %t to %c100 step %c64 iter_args(%acc = %ninf) -> (f32) {
          %v = memref.load %x[%b, %k] : memref<4x100xf32>
          %m = arith.maximumf %acc, %v : f32
          scf.yield %m : f32
        }
        scf.reduce(%p : f32) {
        ^bb0(%l: f32, %r: f32):
          %m = arith.maximumf %l, %r : f32
          scf.reduce.return %m : f32
        }
      }
      memref.store %pmax, %maxes[%b] : memref<4xf32>
      %psum = scf.parallel (%t) = (%c0) to (%c64) step (%c1) init (%zero) -> f32 {
        %p = scf.for %k = %t to %c100 step %c64 iter_args(%acc = %zero) -> (f32) {
          %v = memref.load %x[%b, %k] : memref<4x100xf32>
          %d = arith.subf %v, %pmax : f32
          %e = math.exp %d : f32
          %s = arith.addf %acc, %e : f32
          scf.yield %s : f32
        }
        scf.reduce(%p : f32) {
        ^bb0(%l: f32, %r: f32):
          %s = arith.addf %l, %r : f32
          scf.reduce.return %s : f32
        }
      }
      scf.parallel (%t) = (%c0) to (%c64) step (%c1) {
        scf.for %k = %t to %c100 step %c64 {
          %v = memref.load %x[%b, %k] : memref<4x100xf32>
          %d = arith.subf %v, %pmax : f32
          %e = math.exp %d : f32
          %q = arith.divf %e, %psum : f32
          memref.store %q, %y[%b, %k] : memref<4x100xf32>
        }
        scf.reduce
      }
      scf.reduce
    }
    return
  }

  // CHECK-LABEL: gpu.func @write_after_read
  // A phase reading x without a reduction, then a phase writing x: a
  // barrier between them (write after read by other threads); then a
  // block-level store after the write: another barrier.
  // CHECK: scf.for
  // CHECK: memref.load %{{.+}}[%{{.+}}, %{{.+}}] : memref<2x64xf32>
  // CHECK: gpu.barrier
  // CHECK: scf.for
  // CHECK: memref.store %{{.+}}, %{{.+}}[%{{.+}}, %{{.+}}] : memref<2x64xf32>
  // CHECK: gpu.barrier
  // CHECK-NEXT: memref.store %{{.+}}, %{{.+}}[%{{.+}}] : memref<2xf32>
  // CHECK-NEXT: gpu.return
  func.func private @write_after_read(%x: memref<2x64xf32>, %y: memref<2x64xf32>, %z: memref<2xf32>) attributes {dlcc.block = 32 : i64, dlcc.grid = 2 : i64, dlcc.kernel} {
    %zero = arith.constant 0.0 : f32
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c2 = arith.constant 2 : index
    %c32 = arith.constant 32 : index
    %c64 = arith.constant 64 : index
    scf.parallel (%b) = (%c0) to (%c2) step (%c1) {
      scf.parallel (%t) = (%c0) to (%c32) step (%c1) {
        scf.for %k = %t to %c64 step %c32 {
          %v = memref.load %x[%b, %k] : memref<2x64xf32>
          memref.store %v, %y[%b, %k] : memref<2x64xf32>
        }
        scf.reduce
      }
      scf.parallel (%t) = (%c0) to (%c32) step (%c1) {
        scf.for %k = %t to %c64 step %c32 {
          memref.store %zero, %x[%b, %k] : memref<2x64xf32>
        }
        scf.reduce
      }
      memref.store %zero, %z[%b] : memref<2xf32>
      scf.reduce
    }
    return
  }
}
