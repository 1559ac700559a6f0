// RUN: dlcc-opt %s --dlcc-map-kernels-to-cpu --split-input-file --verify-diagnostics

// Rule: the kernel is in the tiled form (one block loop at top level).
// expected-error @+1 {{kernel @untiled is not in the tiled form (one block loop at top level); run dlcc-tile-kernels first}}
func.func private @untiled(%x: memref<4xf32>) attributes {dlcc.block = 4 : i64, dlcc.grid = 1 : i64, dlcc.kernel} {
  return
}

// -----

// Rule: the block range is linearised over constant trip counts.
func.func private @dynamic_grid(%x: memref<?xf32>, %n: index) attributes {dlcc.block = 4 : i64, dlcc.grid = 1 : i64, dlcc.kernel} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // expected-error @+1 {{block loop bounds and steps must be constants (step > 0)}}
  scf.parallel (%b) = (%c0) to (%n) step (%c1) {
    scf.reduce
  }
  return
}

// -----

// Rule: the recorded grid is the block loop's number of iterations.
// expected-error @+1 {{kernel @wrong_grid: dlcc.grid = 3 but the block loop has 2 iterations}}
func.func private @wrong_grid(%x: memref<4xf32>) attributes {dlcc.block = 4 : i64, dlcc.grid = 3 : i64, dlcc.kernel} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  scf.parallel (%b) = (%c0) to (%c2) step (%c1) {
    scf.reduce
  }
  return
}
