// RUN: dlcc-opt %s --dlcc-map-kernels-to-gpu="format=gpu" --split-input-file --verify-diagnostics

// Rule: every thread loop spans the whole block (a reduction across the
// block needs every thread).
// expected-error @+1 {{kernel @short_threads: a thread loop that does not span the 32 threads of the block}}
func.func private @short_threads(%x: memref<64xf32>) attributes {dlcc.block = 32 : i64, dlcc.grid = 2 : i64, dlcc.kernel} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c16 = arith.constant 16 : index
  %v = arith.constant 1.0 : f32
  scf.parallel (%b) = (%c0) to (%c2) step (%c1) {
    scf.parallel (%t) = (%c0) to (%c16) step (%c1) {
      memref.store %v, %x[%t] : memref<64xf32>
      scf.reduce
    }
    scf.reduce
  }
  return
}

// -----

// Rule: thread loops are phases of the block, not nested in each other
// or in control flow.
// expected-error @+1 {{kernel @nested_threads: a parallel loop inside a thread loop or under control flow of the block}}
func.func private @nested_threads(%x: memref<64xf32>) attributes {dlcc.block = 32 : i64, dlcc.grid = 2 : i64, dlcc.kernel} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c32 = arith.constant 32 : index
  %v = arith.constant 1.0 : f32
  scf.parallel (%b) = (%c0) to (%c2) step (%c1) {
    scf.parallel (%t) = (%c0) to (%c32) step (%c1) {
      scf.parallel (%u) = (%c0) to (%c2) step (%c1) {
        memref.store %v, %x[%t] : memref<64xf32>
        scf.reduce
      }
      scf.reduce
    }
    scf.reduce
  }
  return
}

// -----

// Rule: a block reduction needs a power-of-two block; upstream's
// gpu.all_reduce lowering races (lanes store different partials to one
// shared word) when the warp count is not a power of two.
// expected-error @+1 {{kernel @row_sum_96 has a block reduction in a block of 96 threads; it must be a power of two}}
func.func private @row_sum_96(%x: memref<2x96xf32>, %y: memref<2xf32>) attributes {dlcc.block = 96 : i64, dlcc.grid = 2 : i64, dlcc.kernel} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c96 = arith.constant 96 : index
  %zero = arith.constant 0.0 : f32
  scf.parallel (%b) = (%c0) to (%c2) step (%c1) {
    %sum = scf.parallel (%t) = (%c0) to (%c96) step (%c1) init (%zero) -> f32 {
      %v = memref.load %x[%b, %t] : memref<2x96xf32>
      scf.reduce(%v : f32) {
      ^bb0(%l: f32, %r: f32):
        %s = arith.addf %l, %r : f32
        scf.reduce.return %s : f32
      }
    }
    memref.store %sum, %y[%b] : memref<2xf32>
    scf.reduce
  }
  return
}
