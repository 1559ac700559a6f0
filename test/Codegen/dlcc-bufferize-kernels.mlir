// RUN: dlcc-opt %s --dlcc-bufferize-kernels --split-input-file | FileCheck %s

// dlcc-bufferize-kernels: every dlcc.kernel function becomes
// (memref inputs..., memref outputs...) -> () with no allocation inside;
// the entry point keeps its tensors and calls through to_buffer / alloc /
// to_tensor glue.

#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d1)>

// CHECK-LABEL: func.func @elementwise
// CHECK-SAME: (%[[X:.+]]: tensor<4x8xf32>, %[[B:.+]]: tensor<8xf32>)
// CHECK-NEXT: %[[XB:.+]] = bufferization.to_buffer %[[X]] read_only : tensor<4x8xf32> to memref<4x8xf32>
// CHECK-NEXT: %[[BB:.+]] = bufferization.to_buffer %[[B]] read_only : tensor<8xf32> to memref<8xf32>
// CHECK-NEXT: %[[O:.+]] = memref.alloc() {alignment = 64 : i64} : memref<4x8xf32>
// CHECK-NEXT: call @elementwise_kernel_0(%[[XB]], %[[BB]], %[[O]]) : (memref<4x8xf32>, memref<8xf32>, memref<4x8xf32>) -> ()
// CHECK-NEXT: %[[R:.+]] = bufferization.to_tensor %[[O]] restrict writable : memref<4x8xf32> to tensor<4x8xf32>
// CHECK-NEXT: return %[[R]] : tensor<4x8xf32>
// CHECK-LABEL: func.func private @elementwise_kernel_0
// CHECK-SAME: (%[[KX:.+]]: memref<4x8xf32>, %[[KB:.+]]: memref<8xf32>, %[[KO:.+]]: memref<4x8xf32>)
// CHECK-SAME: attributes {dlcc.kernel}
// CHECK-NOT: memref.alloc
// CHECK: linalg.generic {{.*}} ins(%[[KX]], %[[KB]] : memref<4x8xf32>, memref<8xf32>) outs(%[[KO]] : memref<4x8xf32>)
// CHECK-NOT: memref.alloc
// CHECK: return{{$}}
func.func @elementwise(%x: tensor<4x8xf32>, %b: tensor<8xf32>) -> tensor<4x8xf32> {
  %r = call @elementwise_kernel_0(%x, %b) : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  return %r : tensor<4x8xf32>
}
func.func private @elementwise_kernel_0(%x: tensor<4x8xf32>, %b: tensor<8xf32>) -> tensor<4x8xf32> attributes {dlcc.kernel} {
  %e = tensor.empty() : tensor<4x8xf32>
  %r = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]} ins(%x, %b : tensor<4x8xf32>, tensor<8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    linalg.yield %s : f32
  } -> tensor<4x8xf32>
  return %r : tensor<4x8xf32>
}

// -----

// The fill and the matmul both write the out-parameter.
// CHECK-LABEL: func.func private @matmul_kernel_0
// CHECK-SAME: (%[[A:.+]]: memref<4x8xf32>, %[[B:.+]]: memref<8x16xf32>, %[[C:.+]]: memref<4x16xf32>)
// CHECK-NEXT: %[[Z:.+]] = arith.constant 0.000000e+00 : f32
// CHECK-NEXT: linalg.fill ins(%[[Z]] : f32) outs(%[[C]] : memref<4x16xf32>)
// CHECK-NEXT: linalg.matmul ins(%[[A]], %[[B]] : memref<4x8xf32>, memref<8x16xf32>) outs(%[[C]] : memref<4x16xf32>)
// CHECK-NEXT: return
func.func @matmul(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>) -> tensor<4x16xf32> {
  %r = call @matmul_kernel_0(%a, %b) : (tensor<4x8xf32>, tensor<8x16xf32>) -> tensor<4x16xf32>
  return %r : tensor<4x16xf32>
}
func.func private @matmul_kernel_0(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>) -> tensor<4x16xf32> attributes {dlcc.kernel} {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x16xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<4x16xf32>) -> tensor<4x16xf32>
  %r = linalg.matmul ins(%a, %b : tensor<4x8xf32>, tensor<8x16xf32>) outs(%f : tensor<4x16xf32>) -> tensor<4x16xf32>
  return %r : tensor<4x16xf32>
}

// -----

// A pad becomes one generic over the padded result: the source is read where
// (j - 1) < 3 (unsigned, so j = 0 fails too); dimension 0 is not padded and
// needs no test.
// CHECK-LABEL: func.func private @pad_kernel_0
// CHECK-SAME: (%[[X:.+]]: memref<2x3xf32>, %[[Y:.+]]: memref<2x5xf32>)
// CHECK-NOT: memref.alloc
// CHECK: linalg.generic {{.*}} outs(%[[Y]] : memref<2x5xf32>)
// CHECK: %[[I:.+]] = linalg.index 0 : index
// CHECK: %[[J:.+]] = linalg.index 1 : index
// CHECK: %[[JS:.+]] = arith.subi %[[J]], %{{.+}} : index
// CHECK: %[[IN:.+]] = arith.cmpi ult, %[[JS]], %{{.+}} : index
// CHECK: scf.if %[[IN]] -> (f32)
// CHECK: memref.load %[[X]][%[[I]], %[[JS]]] : memref<2x3xf32>
// CHECK: } else {
// CHECK-NOT: tensor.pad
func.func @pad(%x: tensor<2x3xf32>) -> tensor<2x5xf32> {
  %r = call @pad_kernel_0(%x) : (tensor<2x3xf32>) -> tensor<2x5xf32>
  return %r : tensor<2x5xf32>
}
func.func private @pad_kernel_0(%x: tensor<2x3xf32>) -> tensor<2x5xf32> attributes {dlcc.kernel} {
  %cst = arith.constant 0.0 : f32
  %p = tensor.pad %x low[0, 1] high[0, 1] {
  ^bb0(%i: index, %j: index):
    tensor.yield %cst : f32
  } : tensor<2x3xf32> to tensor<2x5xf32>
  return %p : tensor<2x5xf32>
}

// -----

// Inputs are read-only: an update written into an input's tensor copies the
// input into the output first, and the update then runs in the output.
// CHECK-LABEL: func.func private @update_kernel_0
// CHECK-SAME: (%[[W:.+]]: memref<8xf32>, %[[G:.+]]: memref<8xf32>, %[[O:.+]]: memref<8xf32>)
// CHECK-NEXT: memref.copy %[[W]], %[[O]] : memref<8xf32> to memref<8xf32>
// CHECK-NEXT: linalg.generic {{.*}} ins(%[[G]] : memref<8xf32>) outs(%[[O]] : memref<8xf32>)
func.func @update(%w: tensor<8xf32>, %g: tensor<8xf32>) -> tensor<8xf32> {
  %r = call @update_kernel_0(%w, %g) : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  return %r : tensor<8xf32>
}
func.func private @update_kernel_0(%w: tensor<8xf32>, %g: tensor<8xf32>) -> tensor<8xf32> attributes {dlcc.kernel} {
  %r = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%g : tensor<8xf32>) outs(%w : tensor<8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.subf %o, %a : f32
    linalg.yield %s : f32
  } -> tensor<8xf32>
  return %r : tensor<8xf32>
}

// -----

// A pooling window only gives loops their extent: its allocation is allowed
// (never read; dlcc-tile-kernels removes it).
// CHECK-LABEL: func.func private @max_pool_kernel_0
// CHECK-SAME: (%[[X:.+]]: memref<1x1x4x4xf32>, %[[Y:.+]]: memref<1x1x2x2xf32>)
// CHECK: %[[WIN:.+]] = memref.alloc() {{.*}} : memref<2x2xf32>
// CHECK: linalg.pooling_nchw_max {{.*}} ins(%[[X]], %[[WIN]] : memref<1x1x4x4xf32>, memref<2x2xf32>) outs(%[[Y]] : memref<1x1x2x2xf32>)
func.func @max_pool(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x2x2xf32> {
  %r = call @max_pool_kernel_0(%x) : (tensor<1x1x4x4xf32>) -> tensor<1x1x2x2xf32>
  return %r : tensor<1x1x2x2xf32>
}
func.func private @max_pool_kernel_0(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x2x2xf32> attributes {dlcc.kernel} {
  %ninf = arith.constant 0xFF800000 : f32
  %e = tensor.empty() : tensor<1x1x2x2xf32>
  %win = tensor.empty() : tensor<2x2xf32>
  %f = linalg.fill ins(%ninf : f32) outs(%e : tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32>
  %r = linalg.pooling_nchw_max {dilations = dense<1> : vector<2xi64>, strides = dense<2> : vector<2xi64>} ins(%x, %win : tensor<1x1x4x4xf32>, tensor<2x2xf32>) outs(%f : tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32>
  return %r : tensor<1x1x2x2xf32>
}

// -----

// A kernel with two results gets two out-parameters, in order; functions
// without dlcc.kernel are left alone.
// CHECK-LABEL: func.func @two_results
// CHECK: call @two_results_kernel_0(%{{.+}}, %[[O0:.+]], %[[O1:.+]]) : (memref<4xf32>, memref<4xf32>, memref<4xf32>) -> ()
// CHECK-DAG: bufferization.to_tensor %[[O0]] restrict writable
// CHECK-DAG: bufferization.to_tensor %[[O1]] restrict writable
// CHECK-LABEL: func.func private @two_results_kernel_0
// CHECK-SAME: (%{{.+}}: memref<4xf32>, %{{.+}}: memref<4xf32>, %{{.+}}: memref<4xf32>)
// CHECK-LABEL: func.func private @helper
// CHECK-SAME: (%{{.+}}: tensor<4xf32>) -> tensor<4xf32>
func.func @two_results(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %r:2 = call @two_results_kernel_0(%x) : (tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>)
  return %r#0, %r#1 : tensor<4xf32>, tensor<4xf32>
}
func.func private @two_results_kernel_0(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) attributes {dlcc.kernel} {
  %e0 = tensor.empty() : tensor<4xf32>
  %e1 = tensor.empty() : tensor<4xf32>
  %r:2 = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%x : tensor<4xf32>) outs(%e0, %e1 : tensor<4xf32>, tensor<4xf32>) {
  ^bb0(%a: f32, %o0: f32, %o1: f32):
    %n = arith.negf %a : f32
    linalg.yield %a, %n : f32, f32
  } -> (tensor<4xf32>, tensor<4xf32>)
  return %r#0, %r#1 : tensor<4xf32>, tensor<4xf32>
}
func.func private @helper(%x: tensor<4xf32>) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}

// -----

// A splat constant the kernel writes into (a scatter into zeros) becomes a
// fill of the output: no global, no copy.
#scatter_read = affine_map<(d0, d1, d2) -> (d0, d2)>
#scatter_out = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func private @scatter_into_zeros_kernel
// CHECK-SAME: (%[[I:.+]]: memref<2x3xi64>, %[[U:.+]]: memref<2x3xf32>, %[[O:.+]]: memref<2x5xf32>)
// CHECK-NOT: memref.get_global
// CHECK: linalg.fill ins(%{{.+}} : f32) outs(%[[O]] : memref<2x5xf32>)
// CHECK: linalg.generic {{.*}} ins(%[[I]], %[[U]] : memref<2x3xi64>, memref<2x3xf32>) outs(%[[O]] : memref<2x5xf32>)
// CHECK-NOT: memref.global
func.func @scatter_into_zeros(%i: tensor<2x3xi64>, %u: tensor<2x3xf32>) -> tensor<2x5xf32> {
  %r = call @scatter_into_zeros_kernel(%i, %u) : (tensor<2x3xi64>, tensor<2x3xf32>) -> tensor<2x5xf32>
  return %r : tensor<2x5xf32>
}
func.func private @scatter_into_zeros_kernel(%i: tensor<2x3xi64>, %u: tensor<2x3xf32>) -> tensor<2x5xf32> attributes {dlcc.kernel} {
  %zeros = arith.constant dense<0.0> : tensor<2x5xf32>
  %r = linalg.generic {indexing_maps = [#scatter_read, #scatter_read, #scatter_out], iterator_types = ["parallel", "parallel", "reduction"]} ins(%i, %u : tensor<2x3xi64>, tensor<2x3xf32>) outs(%zeros : tensor<2x5xf32>) {
  ^bb0(%idx: i64, %upd: f32, %acc: f32):
    %j = linalg.index 1 : index
    %t = arith.index_cast %idx : i64 to index
    %hit = arith.cmpi eq, %t, %j : index
    %sum = arith.addf %acc, %upd : f32
    %out = arith.select %hit, %sum, %acc : f32
    linalg.yield %out : f32
  } -> tensor<2x5xf32>
  return %r : tensor<2x5xf32>
}
