// RUN: dlcc-opt %s --dlcc-map-kernels-to-gpu="format=gpu" --split-input-file --verify-diagnostics

// Rule: one thread loop per block loop (sibling thread phases are not
// mapped yet).
// expected-error @+1 {{kernel @two_phases has 2 thread loops; one 1-D thread loop per block is supported}}
func.func private @two_phases(%x: memref<64xf32>) attributes {dlcc.block = 32 : i64, dlcc.grid = 2 : i64, dlcc.kernel} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c32 = arith.constant 32 : index
  %v = arith.constant 1.0 : f32
  scf.parallel (%b) = (%c0) to (%c2) step (%c1) {
    scf.parallel (%t) = (%c0) to (%c32) step (%c1) {
      memref.store %v, %x[%t] : memref<64xf32>
      scf.reduce
    }
    scf.parallel (%t) = (%c0) to (%c32) step (%c1) {
      memref.store %v, %x[%t] : memref<64xf32>
      scf.reduce
    }
    scf.reduce
  }
  return
}

// -----

// Rule: every loop is converted; upstream's conversion silently keeps a
// block loop with a side effect before its thread loop.
// expected-error @+1 {{kernel @store_before_threads was not converted to one gpu.launch}}
func.func private @store_before_threads(%x: memref<64xf32>) attributes {dlcc.block = 32 : i64, dlcc.grid = 2 : i64, dlcc.kernel} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c32 = arith.constant 32 : index
  %v = arith.constant 1.0 : f32
  scf.parallel (%b) = (%c0) to (%c2) step (%c1) {
    memref.store %v, %x[%b] : memref<64xf32>
    scf.parallel (%t) = (%c0) to (%c32) step (%c1) {
      memref.store %v, %x[%t] : memref<64xf32>
      scf.reduce
    }
    scf.reduce
  }
  return
}

// -----

// Rule: kernels are in the tiled form.
// expected-error @+1 {{kernel @not_tiled is not in the tiled form (one 1-D block loop at top level); run dlcc-tile-kernels first}}
func.func private @not_tiled(%x: memref<64xf32>) attributes {dlcc.block = 32 : i64, dlcc.grid = 2 : i64, dlcc.kernel} {
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
