// RUN: dlcc-opt %s --dlcc-map-kernels-to-gpu="format=gpu" | FileCheck %s
// RUN: dlcc-opt %s --dlcc-map-kernels-to-gpu="format=nvvm" | FileCheck %s --check-prefix=NVVM

// dlcc-map-kernels-to-gpu: two tiled kernels (an elementwise exp and a
// block-per-row sum, as dlcc-tile-kernels writes them) become two launches of
// two kernels of ONE gpu.module, each taking exactly its function's
// arguments, with the recorded grid and block sizes.

// CHECK: module attributes {gpu.container_module}
// CHECK-LABEL: func.func private @main_kernel_0
// CHECK-SAME: (%[[X:.+]]: memref<16x1000xf32>, %[[Y:.+]]: memref<16x1000xf32>)
// CHECK-DAG: %[[G:.+]] = arith.constant 63 : index
// CHECK-DAG: %[[B:.+]] = arith.constant 256 : index
// CHECK-DAG: %[[ONE:.+]] = arith.constant 1 : index
// CHECK: gpu.launch_func @dlcc_kernels::@main_kernel_0 blocks in (%[[G]], %[[ONE]], %[[ONE]]) threads in (%[[B]], %[[ONE]], %[[ONE]]) args(%[[X]] : memref<16x1000xf32>, %[[Y]] : memref<16x1000xf32>)
// CHECK-NEXT: return
// CHECK-LABEL: func.func private @main_kernel_1
// CHECK: gpu.launch_func @dlcc_kernels::@main_kernel_1 blocks in (%{{.+}}, %{{.+}}, %{{.+}}) threads in (%{{.+}}, %{{.+}}, %{{.+}}) args(%{{.+}} : memref<16x1000xf32>, %{{.+}} : memref<16xf32>)
// CHECK: gpu.module @dlcc_kernels {
// CHECK-NEXT: gpu.func @main_kernel_0(%{{.+}}: memref<16x1000xf32>, %{{.+}}: memref<16x1000xf32>) kernel attributes {known_block_size = array<i32: 256, 1, 1>, known_grid_size = array<i32: 63, 1, 1>}
// CHECK: gpu.block_id x
// CHECK: gpu.thread_id x
// CHECK: math.exp
// CHECK: gpu.return
// CHECK: gpu.func @main_kernel_1(%{{.+}}: memref<16x1000xf32>, %{{.+}}: memref<16xf32>) kernel attributes {known_block_size = array<i32: 256, 1, 1>, known_grid_size = array<i32: 16, 1, 1>}
// CHECK: scf.for
// CHECK: gpu.all_reduce %{{.+}} uniform {
// CHECK: arith.addf
// CHECK: memref.store
// CHECK: gpu.return
// CHECK-NOT: gpu.module
// CHECK-NOT: scf.parallel

// After the NVVM conversion: both kernels in one module with both targets,
// one pointer parameter per memref, the block sum as warp shuffles plus a
// barrier, exp from libdevice.
// NVVM: gpu.module @dlcc_kernels [#nvvm.target<chip = "sm_80", features = "+ptx80">, #nvvm.target<chip = "sm_90", features = "+ptx80">] {
// NVVM: llvm.func @main_kernel_0(%{{.+}}: !llvm.ptr, %{{.+}}: !llvm.ptr) attributes {{{.*}}nvvm.kernel, nvvm.maxntid = array<i32: 256, 1, 1>}
// NVVM: llvm.call @__nv_expf
// NVVM: llvm.func @main_kernel_1(%{{.+}}: !llvm.ptr, %{{.+}}: !llvm.ptr) attributes {{{.*}}nvvm.kernel, nvvm.maxntid = array<i32: 256, 1, 1>}
// NVVM: nvvm.shfl.sync bfly
// NVVM: nvvm.barrier0
// NVVM-NOT: gpu.module
module {
  func.func @main(%x: tensor<16x1000xf32>) -> tensor<16xf32> {
    %0 = bufferization.to_buffer %x read_only : tensor<16x1000xf32> to memref<16x1000xf32>
    %e = memref.alloc() : memref<16x1000xf32>
    call @main_kernel_0(%0, %e) : (memref<16x1000xf32>, memref<16x1000xf32>) -> ()
    %s = memref.alloc() : memref<16xf32>
    call @main_kernel_1(%e, %s) : (memref<16x1000xf32>, memref<16xf32>) -> ()
    %r = bufferization.to_tensor %s restrict writable : memref<16xf32> to tensor<16xf32>
    return %r : tensor<16xf32>
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
  func.func private @main_kernel_1(%arg0: memref<16x1000xf32>, %arg1: memref<16xf32>) attributes {dlcc.block = 256 : i64, dlcc.grid = 16 : i64, dlcc.kernel, dlcc.schedule = "block-per-row"} {
    %cst = arith.constant 0.000000e+00 : f32
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c16 = arith.constant 16 : index
    %c256 = arith.constant 256 : index
    %c1000 = arith.constant 1000 : index
    scf.parallel (%b) = (%c0) to (%c16) step (%c1) {
      %0 = scf.parallel (%t) = (%c0) to (%c256) step (%c1) init (%cst) -> f32 {
        %2 = scf.for %k = %t to %c1000 step %c256 iter_args(%acc = %cst) -> (f32) {
          %3 = memref.load %arg0[%b, %k] : memref<16x1000xf32>
          %4 = arith.addf %acc, %3 : f32
          scf.yield %4 : f32
        }
        scf.reduce(%2 : f32) {
        ^bb0(%l: f32, %r: f32):
          %3 = arith.addf %l, %r : f32
          scf.reduce.return %3 : f32
        }
      }
      %1 = arith.addf %cst, %0 : f32
      memref.store %1, %arg1[%b] : memref<16xf32>
      scf.reduce
    }
    return
  }
}
