// RUN: dlcc-opt %s --dlcc-bufferize-kernels --split-input-file --verify-diagnostics

// Rule: kernel shapes are static.
// expected-error @+1 {{kernel argument of type 'tensor<?xf32>' is not a statically shaped ranked tensor}}
func.func private @dynamic_kernel(%x: tensor<?xf32>) -> tensor<4xf32> attributes {dlcc.kernel} {
  %e = tensor.empty() : tensor<4xf32>
  return %e : tensor<4xf32>
}

// -----

// Rule: no temporary buffer stays in a kernel except a buffer only linalg
// ops use (a row kernel's per-row values, which dlcc-tile-kernels keeps in
// registers); here an element of the intermediate is read.
func.func private @temporary(%x: tensor<4xf32>) -> tensor<4xf32> attributes {dlcc.kernel} {
  // expected-error @+1 {{temporary buffer left in kernel @temporary after bufferization; kernels may only write their outputs}}
  %e0 = tensor.empty() : tensor<4xf32>
  %e1 = tensor.empty() : tensor<4xf32>
  %c0 = arith.constant 0 : index
  %a = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%x : tensor<4xf32>) outs(%e0 : tensor<4xf32>) {
  ^bb0(%p: f32, %o: f32):
    %n = arith.negf %p : f32
    linalg.yield %n : f32
  } -> tensor<4xf32>
  %v = tensor.extract %a[%c0] : tensor<4xf32>
  %b = linalg.fill ins(%v : f32) outs(%e1 : tensor<4xf32>) -> tensor<4xf32>
  return %b : tensor<4xf32>
}

