// RUN: dlcc-opt %s --dlcc-tile-kernels --split-input-file --verify-diagnostics

// Rule: one linalg op per kernel (plus the fill or copy initialising it),
// or the ops of one row kernel (here the first op writes an argument, not
// a per-row buffer of the kernel).
// expected-error @+1 {{kernel @two_stages has 2 stages that do not form a row kernel; dlcc-tile-kernels handles one linalg op per kernel (plus the fill or copy initialising its output) or the ops of one row kernel}}
func.func private @two_stages(%x: memref<4xf32>, %y: memref<4xf32>, %z: memref<4xf32>) attributes {dlcc.kernel} {
  linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%x : memref<4xf32>) outs(%y : memref<4xf32>) {
  ^bb0(%a: f32, %o: f32):
    linalg.yield %a : f32
  }
  linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%y : memref<4xf32>) outs(%z : memref<4xf32>) {
  ^bb0(%a: f32, %o: f32):
    linalg.yield %a : f32
  }
  return
}

// -----

// Rule: kernels are bufferized first.
// expected-error @+1 {{kernel is not bufferized; run dlcc-bufferize-kernels first}}
func.func private @on_tensors(%x: tensor<4xf32>) -> tensor<4xf32> attributes {dlcc.kernel} {
  return %x : tensor<4xf32>
}

// -----

// Rule: ops other than linalg ops, fills, copies and pure ops are not
// kernel stages.
func.func private @unsupported(%x: memref<4xf32>, %i: index) attributes {dlcc.kernel} {
  %c = arith.constant 0.0 : f32
  // expected-error @+1 {{unsupported op in kernel @unsupported}}
  memref.store %c, %x[%i] : memref<4xf32>
  return
}

// -----

// Rule: a per-row value is read through (d0, ..., dk-1) only: here the last
// op reads the row maxima transposed.
// expected-error @+1 {{kernel @transposed_row_value has 2 stages that do not form a row kernel}}
func.func private @transposed_row_value(%x: memref<4x4xf32>, %y: memref<4x4xf32>) attributes {dlcc.kernel} {
  %ninf = arith.constant 0xFF800000 : f32
  %max = memref.alloc() : memref<4xf32>
  linalg.fill ins(%ninf : f32) outs(%max : memref<4xf32>)
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%x : memref<4x4xf32>) outs(%max : memref<4xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.maximumf %o, %a : f32
    linalg.yield %m : f32
  }
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%x, %max : memref<4x4xf32>, memref<4xf32>) outs(%y : memref<4x4xf32>) {
  ^bb0(%a: f32, %m: f32, %o: f32):
    %d = arith.subf %a, %m : f32
    linalg.yield %d : f32
  }
  return
}

// -----

// Rule: a row reduction's buffer is initialised by a fill folded into it
// (a per-row value never exists in memory to be loaded).
// expected-error @+1 {{kernel @uninitialised_row_value has 2 stages that do not form a row kernel}}
func.func private @uninitialised_row_value(%x: memref<4x4xf32>, %y: memref<4x4xf32>) attributes {dlcc.kernel} {
  %max = memref.alloc() : memref<4xf32>
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%x : memref<4x4xf32>) outs(%max : memref<4xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.maximumf %o, %a : f32
    linalg.yield %m : f32
  }
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%x, %max : memref<4x4xf32>, memref<4xf32>) outs(%y : memref<4x4xf32>) {
  ^bb0(%a: f32, %m: f32, %o: f32):
    %d = arith.subf %a, %m : f32
    linalg.yield %d : f32
  }
  return
}
