// RUN: dlcc-opt %s --dlcc-tile-kernels --split-input-file --verify-diagnostics

// Rule: one linalg op per kernel (plus the fill or copy initialising it).
// expected-error @+1 {{kernel @two_stages has 2 stages; dlcc-tile-kernels handles one linalg op per kernel (plus the fill or copy initialising its output)}}
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
