// Runs the lowered data movement ops on the CPU. Expected values were
// computed with numpy (np.broadcast_to, reshape, transpose, slicing, np.pad
// with constant/edge/reflect/wrap, np.concatenate, fancy indexing,
// np.take_along_axis, np.add.at); the clamped and dropped out-of-range
// indices by hand.
// RUN: dlcc-opt %s --dlcc-reference-cpu-lowering | mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils | FileCheck %s

func.func private @printMemrefF32(tensor<*xf32>)
func.func private @printMemrefI32(tensor<*xi32>)
func.func private @printMemrefI64(tensor<*xi64>)

func.func @iota_f32() -> tensor<2x3xf32> {
  %0 = dlcc.iota dim = 1 : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// Unsigned values go through the type converter; dlcc.convert widens them
// (zero-extending) for printing.
func.func @unsigned_iota_constant_reverse() -> (tensor<4xi32>, tensor<3xi32>, tensor<3xi32>) {
  %0 = dlcc.iota dim = 0 : tensor<4xui8>
  %1 = dlcc.convert %0 : (tensor<4xui8>) -> tensor<4xi32>
  %2 = dlcc.constant dense<[1, 200, 255]> : tensor<3xui8>
  %3 = dlcc.convert %2 : (tensor<3xui8>) -> tensor<3xi32>
  %4 = dlcc.reverse %2, dims = [0] : tensor<3xui8>
  %5 = dlcc.convert %4 : (tensor<3xui8>) -> tensor<3xi32>
  return %1, %3, %5 : tensor<4xi32>, tensor<3xi32>, tensor<3xi32>
}

func.func @broadcast(%a: tensor<1x3xf32>, %s: tensor<i64>) -> (tensor<2x2x3xf32>, tensor<2x2xi64>) {
  %0 = dlcc.broadcast_in_dim %a, dims = [0, 2] : (tensor<1x3xf32>) -> tensor<2x2x3xf32>
  %1 = dlcc.broadcast_in_dim %s, dims = [] : (tensor<i64>) -> tensor<2x2xi64>
  return %0, %1 : tensor<2x2x3xf32>, tensor<2x2xi64>
}

func.func @reshape(%x: tensor<2x3xf32>) -> (tensor<3x2xf32>, tensor<6xf32>) {
  %0 = dlcc.reshape %x : (tensor<2x3xf32>) -> tensor<3x2xf32>
  %1 = dlcc.reshape %x : (tensor<2x3xf32>) -> tensor<6xf32>
  return %0, %1 : tensor<3x2xf32>, tensor<6xf32>
}

func.func @transpose(%x: tensor<1x2x3xi64>) -> tensor<3x1x2xi64> {
  %0 = dlcc.transpose %x, permutation = [2, 0, 1] : (tensor<1x2x3xi64>) -> tensor<3x1x2xi64>
  return %0 : tensor<3x1x2xi64>
}

func.func @slice(%x: tensor<4x5xf32>) -> tensor<2x3xf32> {
  %0 = dlcc.slice %x, start = [1, 0], limit = [4, 5], strides = [2, 2]
      : (tensor<4x5xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

func.func @reverse(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = dlcc.reverse %x, dims = [0, 1] : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

func.func @pad_1d(%v: tensor<3xf32>, %p: tensor<f32>)
    -> (tensor<6xf32>, tensor<7xf32>, tensor<7xf32>, tensor<8xf32>) {
  %0 = dlcc.pad constant %v, %p, low = [2], high = [1] : (tensor<3xf32>, tensor<f32>) -> tensor<6xf32>
  %1 = dlcc.pad edge %v, %p, low = [2], high = [2] : (tensor<3xf32>, tensor<f32>) -> tensor<7xf32>
  %2 = dlcc.pad reflect %v, %p, low = [2], high = [2] : (tensor<3xf32>, tensor<f32>) -> tensor<7xf32>
  %3 = dlcc.pad wrap %v, %p, low = [2], high = [3] : (tensor<3xf32>, tensor<f32>) -> tensor<8xf32>
  return %0, %1, %2, %3 : tensor<6xf32>, tensor<7xf32>, tensor<7xf32>, tensor<8xf32>
}

func.func @pad_2d(%x: tensor<2x3xf32>, %p: tensor<f32>) -> (tensor<3x5xf32>, tensor<3x4xf32>) {
  %0 = dlcc.pad reflect %x, %p, low = [1, 0], high = [0, 2] : (tensor<2x3xf32>, tensor<f32>) -> tensor<3x5xf32>
  %1 = dlcc.pad edge %x, %p, low = [0, 1], high = [1, 0] : (tensor<2x3xf32>, tensor<f32>) -> tensor<3x4xf32>
  return %0, %1 : tensor<3x5xf32>, tensor<3x4xf32>
}

func.func @concatenate(%a: tensor<2x2xi64>, %b: tensor<2x1xi64>) -> tensor<2x5xi64> {
  %0 = dlcc.concatenate(%a, %b, %a) dim = 1
      : (tensor<2x2xi64>, tensor<2x1xi64>, tensor<2x2xi64>) -> tensor<2x5xi64>
  return %0 : tensor<2x5xi64>
}

func.func @gather(%t: tensor<4x2xf32>, %ids: tensor<2x2xi64>, %one: tensor<i32>, %bad: tensor<2xi64>)
    -> (tensor<2x2x2xf32>, tensor<4xf32>, tensor<2x2xf32>) {
  %0 = dlcc.gather %t[%ids], axis = 0 : (tensor<4x2xf32>, tensor<2x2xi64>) -> tensor<2x2x2xf32>
  %1 = dlcc.gather %t[%one], axis = 1 : (tensor<4x2xf32>, tensor<i32>) -> tensor<4xf32>
  %2 = dlcc.gather %t[%bad], axis = 0 : (tensor<4x2xf32>, tensor<2xi64>) -> tensor<2x2xf32>
  return %0, %1, %2 : tensor<2x2x2xf32>, tensor<4xf32>, tensor<2x2xf32>
}

func.func @gather_elements(%x: tensor<2x3xf32>, %i: tensor<2x2xi64>) -> tensor<2x2xf32> {
  %0 = dlcc.gather_elements %x[%i], axis = 1 : (tensor<2x3xf32>, tensor<2x2xi64>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

func.func @scatter_add_axis0(%ids: tensor<4xi64>, %upd: tensor<4x2xf32>, %init: tensor<4x2xf32>) -> tensor<4x2xf32> {
  %0 = dlcc.scatter_add %ids, %upd into %init, axis = 0
      : (tensor<4xi64>, tensor<4x2xf32>, tensor<4x2xf32>) -> tensor<4x2xf32>
  return %0 : tensor<4x2xf32>
}

func.func @scatter_add_axis1(%ids: tensor<2x2xi32>, %upd: tensor<2x2x2xi64>, %init: tensor<2x3xi64>) -> tensor<2x3xi64> {
  %0 = dlcc.scatter_add %ids, %upd into %init, axis = 1
      : (tensor<2x2xi32>, tensor<2x2x2xi64>, tensor<2x3xi64>) -> tensor<2x3xi64>
  return %0 : tensor<2x3xi64>
}

// Large enough a table for the lowering by sorting; rows 0-3 and 63.
func.func @scatter_add_sorted(%ids: tensor<8xi64>, %upd: tensor<8x8xf32>) -> (tensor<4x8xf32>, tensor<1x8xf32>) {
  %init = arith.constant dense<0.0> : tensor<64x8xf32>
  %0 = dlcc.scatter_add %ids, %upd into %init, axis = 0
      : (tensor<8xi64>, tensor<8x8xf32>, tensor<64x8xf32>) -> tensor<64x8xf32>
  %first = tensor.extract_slice %0[0, 0] [4, 8] [1, 1] : tensor<64x8xf32> to tensor<4x8xf32>
  %last = tensor.extract_slice %0[63, 0] [1, 8] [1, 1] : tensor<64x8xf32> to tensor<1x8xf32>
  return %first, %last : tensor<4x8xf32>, tensor<1x8xf32>
}

func.func @main() {
  // CHECK: sizes = [2, 3]
  // CHECK-NEXT{LITERAL}: [[0, 1, 2],
  // CHECK-NEXT{LITERAL}:  [0, 1, 2]]
  %io = call @iota_f32() : () -> tensor<2x3xf32>
  %io_u = tensor.cast %io : tensor<2x3xf32> to tensor<*xf32>
  call @printMemrefF32(%io_u) : (tensor<*xf32>) -> ()

  // CHECK: [0, 1, 2, 3]
  // CHECK: [1, 200, 255]
  // CHECK: [255, 200, 1]
  %ui:3 = call @unsigned_iota_constant_reverse() : () -> (tensor<4xi32>, tensor<3xi32>, tensor<3xi32>)
  %ui0 = tensor.cast %ui#0 : tensor<4xi32> to tensor<*xi32>
  %ui1 = tensor.cast %ui#1 : tensor<3xi32> to tensor<*xi32>
  %ui2 = tensor.cast %ui#2 : tensor<3xi32> to tensor<*xi32>
  call @printMemrefI32(%ui0) : (tensor<*xi32>) -> ()
  call @printMemrefI32(%ui1) : (tensor<*xi32>) -> ()
  call @printMemrefI32(%ui2) : (tensor<*xi32>) -> ()

  // CHECK: sizes = [2, 2, 3]
  // CHECK-NEXT{LITERAL}: [[[1, 2, 3],
  // CHECK-NEXT{LITERAL}:   [1, 2, 3]],
  // CHECK-NEXT{LITERAL}:  [[1, 2, 3],
  // CHECK-NEXT{LITERAL}:   [1, 2, 3]]]
  // CHECK: sizes = [2, 2]
  // CHECK-NEXT{LITERAL}: [[7, 7],
  // CHECK-NEXT{LITERAL}:  [7, 7]]
  %row = arith.constant dense<[[1.0, 2.0, 3.0]]> : tensor<1x3xf32>
  %seven = arith.constant dense<7> : tensor<i64>
  %bc:2 = call @broadcast(%row, %seven) : (tensor<1x3xf32>, tensor<i64>) -> (tensor<2x2x3xf32>, tensor<2x2xi64>)
  %bc0 = tensor.cast %bc#0 : tensor<2x2x3xf32> to tensor<*xf32>
  %bc1 = tensor.cast %bc#1 : tensor<2x2xi64> to tensor<*xi64>
  call @printMemrefF32(%bc0) : (tensor<*xf32>) -> ()
  call @printMemrefI64(%bc1) : (tensor<*xi64>) -> ()

  // CHECK: sizes = [3, 2]
  // CHECK-NEXT{LITERAL}: [[1, 2],
  // CHECK-NEXT{LITERAL}:  [3, 4],
  // CHECK-NEXT{LITERAL}:  [5, 6]]
  // CHECK: [1, 2, 3, 4, 5, 6]
  %x = arith.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %rs:2 = call @reshape(%x) : (tensor<2x3xf32>) -> (tensor<3x2xf32>, tensor<6xf32>)
  %rs0 = tensor.cast %rs#0 : tensor<3x2xf32> to tensor<*xf32>
  %rs1 = tensor.cast %rs#1 : tensor<6xf32> to tensor<*xf32>
  call @printMemrefF32(%rs0) : (tensor<*xf32>) -> ()
  call @printMemrefF32(%rs1) : (tensor<*xf32>) -> ()

  // CHECK: sizes = [3, 1, 2]
  // CHECK-NEXT{LITERAL}: [[[0, 3]],
  // CHECK-NEXT{LITERAL}:  [[1, 4]],
  // CHECK-NEXT{LITERAL}:  [[2, 5]]]
  %t3 = arith.constant dense<[[[0, 1, 2], [3, 4, 5]]]> : tensor<1x2x3xi64>
  %tr = call @transpose(%t3) : (tensor<1x2x3xi64>) -> tensor<3x1x2xi64>
  %tr_u = tensor.cast %tr : tensor<3x1x2xi64> to tensor<*xi64>
  call @printMemrefI64(%tr_u) : (tensor<*xi64>) -> ()

  // CHECK: sizes = [2, 3]
  // CHECK-NEXT{LITERAL}: [[5, 7, 9],
  // CHECK-NEXT{LITERAL}:  [15, 17, 19]]
  %s = arith.constant dense<[[0.0, 1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0, 9.0],
                             [10.0, 11.0, 12.0, 13.0, 14.0], [15.0, 16.0, 17.0, 18.0, 19.0]]> : tensor<4x5xf32>
  %sl = call @slice(%s) : (tensor<4x5xf32>) -> tensor<2x3xf32>
  %sl_u = tensor.cast %sl : tensor<2x3xf32> to tensor<*xf32>
  call @printMemrefF32(%sl_u) : (tensor<*xf32>) -> ()

  // CHECK: sizes = [2, 3]
  // CHECK-NEXT{LITERAL}: [[6, 5, 4],
  // CHECK-NEXT{LITERAL}:  [3, 2, 1]]
  %rv = call @reverse(%x) : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %rv_u = tensor.cast %rv : tensor<2x3xf32> to tensor<*xf32>
  call @printMemrefF32(%rv_u) : (tensor<*xf32>) -> ()

  // CHECK: [-1, -1, 1, 2, 3, -1]
  // CHECK: [1, 1, 1, 2, 3, 3, 3]
  // CHECK: [3, 2, 1, 2, 3, 2, 1]
  // CHECK: [2, 3, 1, 2, 3, 1, 2, 3]
  %v = arith.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
  %m1 = arith.constant dense<-1.0> : tensor<f32>
  %p:4 = call @pad_1d(%v, %m1) : (tensor<3xf32>, tensor<f32>)
      -> (tensor<6xf32>, tensor<7xf32>, tensor<7xf32>, tensor<8xf32>)
  %p0 = tensor.cast %p#0 : tensor<6xf32> to tensor<*xf32>
  %p1 = tensor.cast %p#1 : tensor<7xf32> to tensor<*xf32>
  %p2 = tensor.cast %p#2 : tensor<7xf32> to tensor<*xf32>
  %p3 = tensor.cast %p#3 : tensor<8xf32> to tensor<*xf32>
  call @printMemrefF32(%p0) : (tensor<*xf32>) -> ()
  call @printMemrefF32(%p1) : (tensor<*xf32>) -> ()
  call @printMemrefF32(%p2) : (tensor<*xf32>) -> ()
  call @printMemrefF32(%p3) : (tensor<*xf32>) -> ()

  // CHECK: sizes = [3, 5]
  // CHECK-NEXT{LITERAL}: [[4, 5, 6, 5, 4],
  // CHECK-NEXT{LITERAL}:  [1, 2, 3, 2, 1],
  // CHECK-NEXT{LITERAL}:  [4, 5, 6, 5, 4]]
  // CHECK: sizes = [3, 4]
  // CHECK-NEXT{LITERAL}: [[1, 1, 2, 3],
  // CHECK-NEXT{LITERAL}:  [4, 4, 5, 6],
  // CHECK-NEXT{LITERAL}:  [4, 4, 5, 6]]
  %q:2 = call @pad_2d(%x, %m1) : (tensor<2x3xf32>, tensor<f32>) -> (tensor<3x5xf32>, tensor<3x4xf32>)
  %q0 = tensor.cast %q#0 : tensor<3x5xf32> to tensor<*xf32>
  %q1 = tensor.cast %q#1 : tensor<3x4xf32> to tensor<*xf32>
  call @printMemrefF32(%q0) : (tensor<*xf32>) -> ()
  call @printMemrefF32(%q1) : (tensor<*xf32>) -> ()

  // CHECK: sizes = [2, 5]
  // CHECK-NEXT{LITERAL}: [[1, 2, 5, 1, 2],
  // CHECK-NEXT{LITERAL}:  [3, 4, 6, 3, 4]]
  %ca = arith.constant dense<[[1, 2], [3, 4]]> : tensor<2x2xi64>
  %cb = arith.constant dense<[[5], [6]]> : tensor<2x1xi64>
  %cc = call @concatenate(%ca, %cb) : (tensor<2x2xi64>, tensor<2x1xi64>) -> tensor<2x5xi64>
  %cc_u = tensor.cast %cc : tensor<2x5xi64> to tensor<*xi64>
  call @printMemrefI64(%cc_u) : (tensor<*xi64>) -> ()

  // CHECK: sizes = [2, 2, 2]
  // CHECK-NEXT{LITERAL}: [[[20, 21],
  // CHECK-NEXT{LITERAL}:   [0, 1]],
  // CHECK-NEXT{LITERAL}:  [[30, 31],
  // CHECK-NEXT{LITERAL}:   [20, 21]]]
  // CHECK: [1, 11, 21, 31]
  // Out-of-range indices 5 and -1 are clamped to 3 and 0 (a runtime error
  // in dlcc; never an out-of-bounds read).
  // CHECK: sizes = [2, 2]
  // CHECK-NEXT{LITERAL}: [[30, 31],
  // CHECK-NEXT{LITERAL}:  [0, 1]]
  %tab = arith.constant dense<[[0.0, 1.0], [10.0, 11.0], [20.0, 21.0], [30.0, 31.0]]> : tensor<4x2xf32>
  %ids = arith.constant dense<[[2, 0], [3, 2]]> : tensor<2x2xi64>
  %one = arith.constant dense<1> : tensor<i32>
  %bad = arith.constant dense<[5, -1]> : tensor<2xi64>
  %g:3 = call @gather(%tab, %ids, %one, %bad) : (tensor<4x2xf32>, tensor<2x2xi64>, tensor<i32>, tensor<2xi64>)
      -> (tensor<2x2x2xf32>, tensor<4xf32>, tensor<2x2xf32>)
  %g0 = tensor.cast %g#0 : tensor<2x2x2xf32> to tensor<*xf32>
  %g1 = tensor.cast %g#1 : tensor<4xf32> to tensor<*xf32>
  %g2 = tensor.cast %g#2 : tensor<2x2xf32> to tensor<*xf32>
  call @printMemrefF32(%g0) : (tensor<*xf32>) -> ()
  call @printMemrefF32(%g1) : (tensor<*xf32>) -> ()
  call @printMemrefF32(%g2) : (tensor<*xf32>) -> ()

  // CHECK: sizes = [2, 2]
  // CHECK-NEXT{LITERAL}: [[3, 1],
  // CHECK-NEXT{LITERAL}:  [5, 5]]
  %ge_i = arith.constant dense<[[2, 0], [1, 1]]> : tensor<2x2xi64>
  %ge = call @gather_elements(%x, %ge_i) : (tensor<2x3xf32>, tensor<2x2xi64>) -> tensor<2x2xf32>
  %ge_u = tensor.cast %ge : tensor<2x2xf32> to tensor<*xf32>
  call @printMemrefF32(%ge_u) : (tensor<*xf32>) -> ()

  // Repeated index 1 accumulates; index 7 is out of range and dropped.
  // CHECK: sizes = [4, 2]
  // CHECK-NEXT{LITERAL}: [[0, 0],
  // CHECK-NEXT{LITERAL}:  [6, 8],
  // CHECK-NEXT{LITERAL}:  [0, 0],
  // CHECK-NEXT{LITERAL}:  [3, 4]]
  %sa_ids = arith.constant dense<[1, 3, 1, 7]> : tensor<4xi64>
  %sa_upd = arith.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [100.0, 100.0]]> : tensor<4x2xf32>
  %sa_init = arith.constant dense<0.0> : tensor<4x2xf32>
  %sa = call @scatter_add_axis0(%sa_ids, %sa_upd, %sa_init) : (tensor<4xi64>, tensor<4x2xf32>, tensor<4x2xf32>) -> tensor<4x2xf32>
  %sa_u = tensor.cast %sa : tensor<4x2xf32> to tensor<*xf32>
  call @printMemrefF32(%sa_u) : (tensor<*xf32>) -> ()

  // CHECK: sizes = [2, 3]
  // CHECK-NEXT{LITERAL}: [[101, 100, 109],
  // CHECK-NEXT{LITERAL}:  [105, 100, 121]]
  %sb_ids = arith.constant dense<[[0, 2], [2, 2]]> : tensor<2x2xi32>
  %sb_upd = arith.constant dense<[[[1, 2], [3, 4]], [[5, 6], [7, 8]]]> : tensor<2x2x2xi64>
  %sb_init = arith.constant dense<100> : tensor<2x3xi64>
  %sb = call @scatter_add_axis1(%sb_ids, %sb_upd, %sb_init) : (tensor<2x2xi32>, tensor<2x2x2xi64>, tensor<2x3xi64>) -> tensor<2x3xi64>
  %sb_u = tensor.cast %sb : tensor<2x3xi64> to tensor<*xi64>
  call @printMemrefI64(%sb_u) : (tensor<*xi64>) -> ()

  // By sorting: repeated indices add in position order; -1 and 70 are
  // dropped (expected values: np.add.at).
  // CHECK: sizes = [4, 8]
  // CHECK-NEXT{LITERAL}: [[60, 61, 62, 63, 64, 65, 66, 67],
  // CHECK-NEXT{LITERAL}:  [20, 21, 22, 23, 24, 25, 26, 27],
  // CHECK-NEXT{LITERAL}:  [0, 0, 0, 0, 0, 0, 0, 0],
  // CHECK-NEXT{LITERAL}:  [110, 113, 116, 119, 122, 125, 128, 131]]
  // CHECK: sizes = [1, 8]
  // CHECK-NEXT{LITERAL}: [[80, 81, 82, 83, 84, 85, 86, 87]]
  %ss_ids = arith.constant dense<[3, 1, 3, 70, -1, 0, 3, 63]> : tensor<8xi64>
  %ss_upd = arith.constant dense<[[10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0, 17.0], [20.0, 21.0, 22.0, 23.0, 24.0, 25.0, 26.0, 27.0], [30.0, 31.0, 32.0, 33.0, 34.0, 35.0, 36.0, 37.0], [40.0, 41.0, 42.0, 43.0, 44.0, 45.0, 46.0, 47.0], [50.0, 51.0, 52.0, 53.0, 54.0, 55.0, 56.0, 57.0], [60.0, 61.0, 62.0, 63.0, 64.0, 65.0, 66.0, 67.0], [70.0, 71.0, 72.0, 73.0, 74.0, 75.0, 76.0, 77.0], [80.0, 81.0, 82.0, 83.0, 84.0, 85.0, 86.0, 87.0]]> : tensor<8x8xf32>
  %ss:2 = call @scatter_add_sorted(%ss_ids, %ss_upd) : (tensor<8xi64>, tensor<8x8xf32>) -> (tensor<4x8xf32>, tensor<1x8xf32>)
  %ss0 = tensor.cast %ss#0 : tensor<4x8xf32> to tensor<*xf32>
  %ss1 = tensor.cast %ss#1 : tensor<1x8xf32> to tensor<*xf32>
  call @printMemrefF32(%ss0) : (tensor<*xf32>) -> ()
  call @printMemrefF32(%ss1) : (tensor<*xf32>) -> ()
  return
}
