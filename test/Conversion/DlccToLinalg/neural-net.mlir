// RUN: dlcc-opt %s --dlcc-convert-to-linalg --split-input-file | FileCheck %s

// Pooling, normalization, softmax and cross-entropy. Window loops take their
// extent from a tensor.empty of the window shape; reductions write tensors of
// the kept dimensions and later generics read them through projected maps.

// Max pooling pads with -inf: here only above, so that the ceil-mode window
// [4, 6) of the 5-wide input is complete.
// CHECK-DAG: #[[$X:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2 * 2 + d4, d3 * 2 + d5)>
// CHECK-DAG: #[[$W:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d4, d5)>
// CHECK-DAG: #[[$Y:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @max_pool_ceil
// CHECK-SAME: (%[[X:.+]]: tensor<1x2x5x5xf32>)
// CHECK: %[[NEG:.+]] = arith.constant 0xFF800000 : f32
// CHECK: %[[P:.+]] = tensor.pad %[[X]] low[0, 0, 0, 0] high[0, 0, 1, 1]
// CHECK: tensor.yield %[[NEG]] : f32
// CHECK: } : tensor<1x2x5x5xf32> to tensor<1x2x6x6xf32>
// CHECK: %[[I:.+]] = linalg.fill ins(%[[NEG]] : f32) outs(%{{.+}} : tensor<1x2x3x3xf32>)
// CHECK: %[[WIN:.+]] = tensor.empty() : tensor<2x2xf32>
// CHECK: %[[R:.+]] = linalg.generic {indexing_maps = [#[[$X]], #[[$W]], #[[$Y]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]}
// CHECK-SAME: ins(%[[P]], %[[WIN]] : tensor<1x2x6x6xf32>, tensor<2x2xf32>) outs(%[[I]] : tensor<1x2x3x3xf32>)
// CHECK: ^bb0(%[[IN:.+]]: f32, %{{.+}}: f32, %[[ACC:.+]]: f32):
// CHECK: %[[M:.+]] = arith.maximumf %[[ACC]], %[[IN]] : f32
// CHECK: linalg.yield %[[M]]
// CHECK: return %[[R]]
func.func @max_pool_ceil(%x: tensor<1x2x5x5xf32>) -> tensor<1x2x3x3xf32> {
  %0 = dlcc.pool max %x, window = [2, 2], strides = [2, 2], pad_low = [0, 0],
      pad_high = [0, 0], dilations = [1, 1] : (tensor<1x2x5x5xf32>) -> tensor<1x2x3x3xf32>
  return %0 : tensor<1x2x3x3xf32>
}

// -----

// Integer max pooling: unsigned pads with 0 and compares unsigned; signed
// starts from the minimum; no padding, no tensor.pad.
// CHECK-LABEL: func.func @max_pool_ints
// CHECK-SAME: (%[[U:.+]]: tensor<1x1x4xi8>, %[[S:.+]]: tensor<1x1x4xi32>)
// CHECK: %[[Z:.+]] = arith.constant 0 : i8
// CHECK: tensor.pad %[[U]] low[0, 0, 1] high[0, 0, 0]
// CHECK: tensor.yield %[[Z]] : i8
// CHECK: linalg.generic
// CHECK: arith.maxui
// CHECK: %[[MIN:.+]] = arith.constant -2147483648 : i32
// CHECK-NOT: tensor.pad
// CHECK: linalg.fill ins(%[[MIN]] : i32)
// CHECK: linalg.generic {{.*}} ins(%[[S]], %{{.+}} : tensor<1x1x4xi32>, tensor<2xi32>)
// CHECK: arith.maxsi
func.func @max_pool_ints(%x: tensor<1x1x4xui8>, %y: tensor<1x1x4xi32>) -> (tensor<1x1x4xui8>, tensor<1x1x3xi32>) {
  %0 = dlcc.pool max %x, window = [2], strides = [1], pad_low = [1], pad_high = [0],
      dilations = [1] : (tensor<1x1x4xui8>) -> tensor<1x1x4xui8>
  %1 = dlcc.pool max %y, window = [2], strides = [1], pad_low = [0], pad_high = [0],
      dilations = [1] : (tensor<1x1x4xi32>) -> tensor<1x1x3xi32>
  return %0, %1 : tensor<1x1x4xui8>, tensor<1x1x3xi32>
}

// -----

// Average pooling sums over zero padding, then divides by the number of taps
// in [-pad_low, D + pad_high) (count_include_pad), from the output position:
// taps from max(0, ceildiv(-1 - start, 1)) to min(2, floordiv(6 - start, 1)).
// CHECK-LABEL: func.func @avg_pool_count_include_pad
// CHECK: %[[Z:.+]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[P:.+]] = tensor.pad %{{.+}} low[0, 0, 1, 1] high[0, 0, 2, 2]
// CHECK: tensor.yield %[[Z]] : f32
// CHECK: %[[SUM:.+]] = linalg.generic {{.*}} ins(%[[P]], %{{.+}} : tensor<1x1x9x9xf32>, tensor<3x3xf32>)
// CHECK: arith.addf
// CHECK: %[[R:.+]] = linalg.generic {{.*}} ins(%[[SUM]] : tensor<1x1x4x4xf32>)
// CHECK: ^bb0(%[[S:.+]]: f32, %{{.+}}: f32):
// CHECK: %[[E:.+]] = linalg.index 2 : index
// CHECK: linalg.index 3 : index
// CHECK: arith.muli %[[E]]
// CHECK: arith.constant -1 : index
// CHECK: arith.ceildivsi
// CHECK: arith.constant 6 : index
// CHECK: arith.floordivsi
// CHECK: %[[N:.+]] = arith.sitofp %{{.+}} : i64 to f32
// CHECK: %[[D:.+]] = arith.divf %[[S]], %[[N]] : f32
// CHECK: linalg.yield %[[D]]
// CHECK: return %[[R]]
func.func @avg_pool_count_include_pad(%x: tensor<1x1x6x6xf32>) -> tensor<1x1x4x4xf32> {
  %0 = dlcc.pool avg %x, window = [3, 3], strides = [2, 2], pad_low = [1, 1],
      pad_high = [1, 1], dilations = [1, 1] count_include_pad : (tensor<1x1x6x6xf32>) -> tensor<1x1x4x4xf32>
  return %0 : tensor<1x1x4x4xf32>
}

// -----

// Max pooling backward: a per-output argmax (first maximal in-bounds tap,
// order-independent: greater, or equal and earlier), then a generic over the
// input positions and window taps summing dy of the output e with
// e*2 + w - 1 == d whose argmax is w.
// CHECK-LABEL: func.func @max_pool_backward
// CHECK-SAME: (%[[X:.+]]: tensor<1x2x6x6xf32>, %[[DY:.+]]: tensor<1x2x4x4xf32>)
// CHECK: %[[P:.+]] = tensor.pad %[[X]] low[0, 0, 1, 1] high[0, 0, 2, 2]
// CHECK: %[[NONE:.+]] = arith.constant 9223372036854775807 : i64
// CHECK: %[[IDX0:.+]] = linalg.fill ins(%[[NONE]] : i64) outs(%{{.+}} : tensor<1x2x4x4xi64>)
// CHECK: %[[ARG:.+]]:2 = linalg.generic {{.*}} ins(%[[P]], %{{.+}} : tensor<1x2x9x9xf32>, tensor<3x3xf32>) outs(%{{.+}}, %[[IDX0]] : tensor<1x2x4x4xf32>, tensor<1x2x4x4xi64>)
// CHECK: arith.cmpf ogt
// CHECK: arith.cmpf oeq
// CHECK: arith.cmpi slt, %{{.+}}, %{{.+}} : i64
// CHECK: linalg.yield %{{.+}}, %{{.+}} : f32, i64
// CHECK: %[[DX0:.+]] = linalg.fill ins(%{{.+}} : f32) outs(%{{.+}} : tensor<1x2x6x6xf32>)
// CHECK: %[[R:.+]] = linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]} ins(%{{.+}} : tensor<3x3xf32>) outs(%[[DX0]] : tensor<1x2x6x6xf32>)
// CHECK: arith.floordivsi
// CHECK: %[[BEST:.+]] = tensor.extract %[[ARG]]#1[{{.+}}] : tensor<1x2x4x4xi64>
// CHECK: arith.cmpi eq, %[[BEST]]
// CHECK: %[[G:.+]] = tensor.extract %[[DY]][{{.+}}] : tensor<1x2x4x4xf32>
// CHECK: arith.addf %{{.+}}, %[[G]]
// CHECK: arith.select
// CHECK: return %[[R]]
func.func @max_pool_backward(%x: tensor<1x2x6x6xf32>, %dy: tensor<1x2x4x4xf32>) -> tensor<1x2x6x6xf32> {
  %0 = dlcc.pool_backward max %x, %dy, window = [3, 3], strides = [2, 2], pad_low = [1, 1],
      pad_high = [1, 1], dilations = [1, 1] : (tensor<1x2x6x6xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x6x6xf32>
  return %0 : tensor<1x2x6x6xf32>
}

// -----

// Average pooling backward: dy over the forward divisor, spread over the
// window (the 5th input element is in no window: it gets 0).
// CHECK-LABEL: func.func @avg_pool_backward
// CHECK-SAME: (%{{.+}}: tensor<1x1x5xf32>, %[[DY:.+]]: tensor<1x1x2xf32>)
// CHECK: %[[SCALED:.+]] = linalg.generic {{.*}} ins(%[[DY]] : tensor<1x1x2xf32>)
// CHECK: arith.divf
// CHECK: %[[R:.+]] = linalg.generic {{.*}} ins(%{{.+}} : tensor<2xf32>) outs(%{{.+}} : tensor<1x1x5xf32>)
// CHECK: %[[G:.+]] = tensor.extract %[[SCALED]][{{.+}}] : tensor<1x1x2xf32>
// CHECK: arith.addf %{{.+}}, %[[G]]
// CHECK: return %[[R]]
func.func @avg_pool_backward(%x: tensor<1x1x5xf32>, %dy: tensor<1x1x2xf32>) -> tensor<1x1x5xf32> {
  %0 = dlcc.pool_backward avg %x, %dy, window = [2], strides = [2], pad_low = [0],
      pad_high = [0], dilations = [1] : (tensor<1x1x5xf32>, tensor<1x1x2xf32>) -> tensor<1x1x5xf32>
  return %0 : tensor<1x1x5xf32>
}

// -----

// Batch statistics over every dimension but 1 (128 elements per channel):
// the mean, then the biased variance from the centred squares.
// CHECK-DAG: #[[$ID:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[$CH:.+]] = affine_map<(d0, d1, d2, d3) -> (d1)>
// CHECK-LABEL: func.func @batch_norm_training
// CHECK-SAME: (%[[X:.+]]: tensor<8x16x4x4xf32>, %[[G:.+]]: tensor<16xf32>, %[[B:.+]]: tensor<16xf32>)
// CHECK: %[[SUM:.+]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$CH]]], iterator_types = ["reduction", "parallel", "reduction", "reduction"]} ins(%[[X]] : tensor<8x16x4x4xf32>)
// CHECK: %[[MEAN:.+]] = linalg.generic {{.*}} ins(%[[SUM]] : tensor<16xf32>)
// CHECK: arith.constant 1.280000e+02 : f32
// CHECK: arith.divf
// CHECK: %[[SQ:.+]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$CH]], #[[$CH]]], iterator_types = ["reduction", "parallel", "reduction", "reduction"]} ins(%[[X]], %[[MEAN]] : tensor<8x16x4x4xf32>, tensor<16xf32>)
// CHECK: arith.subf
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK: %[[VAR:.+]] = linalg.generic {{.*}} ins(%[[SQ]] : tensor<16xf32>)
// CHECK: %[[RSTD:.+]] = linalg.generic {{.*}} ins(%[[VAR]] : tensor<16xf32>)
// CHECK: arith.constant 9.99999974E-6 : f32
// CHECK: math.rsqrt
// CHECK: %[[Y:.+]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$CH]], #[[$CH]], #[[$CH]], #[[$CH]], #[[$ID]]], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%[[X]], %[[MEAN]], %[[RSTD]], %[[G]], %[[B]] :
// CHECK: ^bb0(%[[XV:.+]]: f32, %[[MV:.+]]: f32, %[[RV:.+]]: f32, %[[GV:.+]]: f32, %[[BV:.+]]: f32, %{{.+}}: f32):
// CHECK: %[[C:.+]] = arith.subf %[[XV]], %[[MV]] : f32
// CHECK: %[[N:.+]] = arith.mulf %[[C]], %[[RV]] : f32
// CHECK: %[[S:.+]] = arith.mulf %[[N]], %[[GV]] : f32
// CHECK: %[[O:.+]] = arith.addf %[[S]], %[[BV]] : f32
// CHECK: linalg.yield %[[O]]
// CHECK: return %[[Y]], %[[MEAN]], %[[VAR]]
func.func @batch_norm_training(%x: tensor<8x16x4x4xf32>, %g: tensor<16xf32>, %b: tensor<16xf32>)
    -> (tensor<8x16x4x4xf32>, tensor<16xf32>, tensor<16xf32>) {
  %y, %m, %v = dlcc.batch_norm_training %x, %g, %b, epsilon = 1.0e-05
      : (tensor<8x16x4x4xf32>, tensor<16xf32>, tensor<16xf32>)
      -> (tensor<8x16x4x4xf32>, tensor<16xf32>, tensor<16xf32>)
  return %y, %m, %v : tensor<8x16x4x4xf32>, tensor<16xf32>, tensor<16xf32>
}

// -----

// CHECK-LABEL: func.func @batch_norm_inference
// CHECK-SAME: (%[[X:.+]]: tensor<8x16xf32>, %[[G:.+]]: tensor<16xf32>, %[[B:.+]]: tensor<16xf32>, %[[M:.+]]: tensor<16xf32>, %[[V:.+]]: tensor<16xf32>)
// CHECK: %[[RSTD:.+]] = linalg.generic {{.*}} ins(%[[V]] : tensor<16xf32>)
// CHECK: arith.constant 1.000000e-03 : f32
// CHECK: math.rsqrt
// CHECK: %[[Y:.+]] = linalg.generic {{.*}} ins(%[[X]], %[[M]], %[[RSTD]], %[[G]], %[[B]] :
// CHECK: return %[[Y]]
func.func @batch_norm_inference(%x: tensor<8x16xf32>, %g: tensor<16xf32>, %b: tensor<16xf32>,
                                %m: tensor<16xf32>, %v: tensor<16xf32>) -> tensor<8x16xf32> {
  %y = dlcc.batch_norm_inference %x, %g, %b, %m, %v, epsilon = 1.0e-03
      : (tensor<8x16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<8x16xf32>
  return %y : tensor<8x16xf32>
}

// -----

// dx = rstd * (g - mean(g) - xhat * mean(g * xhat)) with g = dy * scale;
// dscale = sum(dy * xhat), doffset = sum(dy), all over dimensions 0 and 2.
// CHECK-LABEL: func.func @batch_norm_backward
// CHECK-SAME: (%[[X:.+]]: tensor<8x16x4xf32>, %[[G:.+]]: tensor<16xf32>, %[[M:.+]]: tensor<16xf32>, %[[V:.+]]: tensor<16xf32>, %[[DY:.+]]: tensor<8x16x4xf32>)
// CHECK: %[[RSTD:.+]] = linalg.generic {{.*}} ins(%[[V]] : tensor<16xf32>)
// CHECK: math.rsqrt
// CHECK: linalg.generic {{.*}} iterator_types = ["reduction", "parallel", "reduction"]
// CHECK: arith.constant 3.200000e+01 : f32
// CHECK: linalg.generic {{.*}} iterator_types = ["reduction", "parallel", "reduction"]
// CHECK: %[[DX:.+]] = linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel"]} ins(%[[X]], %[[G]], %[[M]], %[[RSTD]], %[[DY]], %{{.+}}, %{{.+}} :
// CHECK: %[[DG:.+]] = linalg.generic {{.*}} iterator_types = ["reduction", "parallel", "reduction"]} ins(%[[X]], %[[M]], %[[RSTD]], %[[DY]] :
// CHECK: %[[DB:.+]] = linalg.generic {{.*}} iterator_types = ["reduction", "parallel", "reduction"]} ins(%[[DY]] :
// CHECK: return %[[DX]], %[[DG]], %[[DB]]
func.func @batch_norm_backward(%x: tensor<8x16x4xf32>, %g: tensor<16xf32>, %m: tensor<16xf32>,
                               %v: tensor<16xf32>, %dy: tensor<8x16x4xf32>)
    -> (tensor<8x16x4xf32>, tensor<16xf32>, tensor<16xf32>) {
  %dx, %dg, %db = dlcc.batch_norm_backward %x, %g, %m, %v, %dy, epsilon = 1.0e-05
      : (tensor<8x16x4xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<8x16x4xf32>)
      -> (tensor<8x16x4xf32>, tensor<16xf32>, tensor<16xf32>)
  return %dx, %dg, %db : tensor<8x16x4xf32>, tensor<16xf32>, tensor<16xf32>
}

// -----

// Layer norm over dimensions 1 and 2: statistics of shape [2], scale and
// offset read at (d1, d2), statistics returned as [2, 1, 1].
// CHECK-DAG: #[[$ID:.+]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[$ROW:.+]] = affine_map<(d0, d1, d2) -> (d0)>
// CHECK-DAG: #[[$INNER:.+]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-LABEL: func.func @layer_norm_axis1
// CHECK-SAME: (%[[X:.+]]: tensor<2x8x64xf32>, %[[G:.+]]: tensor<8x64xf32>, %[[B:.+]]: tensor<8x64xf32>)
// CHECK: %[[SUM:.+]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$ROW]]], iterator_types = ["parallel", "reduction", "reduction"]} ins(%[[X]] :
// CHECK: %[[MEAN:.+]] = linalg.generic {{.*}} ins(%[[SUM]] : tensor<2xf32>)
// CHECK: arith.constant 5.120000e+02 : f32
// CHECK: %[[SQ:.+]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$ROW]], #[[$ROW]]], iterator_types = ["parallel", "reduction", "reduction"]} ins(%[[X]], %[[MEAN]] :
// CHECK: %[[VAR:.+]] = linalg.generic {{.*}} ins(%[[SQ]] : tensor<2xf32>)
// CHECK: %[[RSTD:.+]] = linalg.generic {{.*}} ins(%[[VAR]] : tensor<2xf32>)
// CHECK: math.rsqrt
// CHECK: %[[Y:.+]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$ROW]], #[[$ROW]], #[[$INNER]], #[[$INNER]], #[[$ID]]], {{.*}} ins(%[[X]], %[[MEAN]], %[[RSTD]], %[[G]], %[[B]] :
// CHECK: %[[M:.+]] = tensor.expand_shape %[[MEAN]] {{\[\[}}0, 1, 2]] output_shape [2, 1, 1] : tensor<2xf32> into tensor<2x1x1xf32>
// CHECK: %[[R:.+]] = tensor.expand_shape %[[RSTD]] {{\[\[}}0, 1, 2]] output_shape [2, 1, 1] : tensor<2xf32> into tensor<2x1x1xf32>
// CHECK: return %[[Y]], %[[M]], %[[R]]
func.func @layer_norm_axis1(%x: tensor<2x8x64xf32>, %g: tensor<8x64xf32>, %b: tensor<8x64xf32>)
    -> (tensor<2x8x64xf32>, tensor<2x1x1xf32>, tensor<2x1x1xf32>) {
  %y, %m, %r = dlcc.layer_norm %x, %g, %b, axis = 1, epsilon = 1.0e-05
      : (tensor<2x8x64xf32>, tensor<8x64xf32>, tensor<8x64xf32>)
      -> (tensor<2x8x64xf32>, tensor<2x1x1xf32>, tensor<2x1x1xf32>)
  return %y, %m, %r : tensor<2x8x64xf32>, tensor<2x1x1xf32>, tensor<2x1x1xf32>
}

// -----

// axis = 0: scalar statistics, expanded to [1, 1].
// CHECK-LABEL: func.func @layer_norm_axis0
// CHECK: linalg.generic {{.*}} iterator_types = ["reduction", "reduction"]} ins(%{{.+}} : tensor<2x3xf32>) outs(%{{.+}} : tensor<f32>)
// CHECK: tensor.expand_shape %{{.+}} [] output_shape [1, 1] : tensor<f32> into tensor<1x1xf32>
// CHECK: tensor.expand_shape %{{.+}} [] output_shape [1, 1] : tensor<f32> into tensor<1x1xf32>
func.func @layer_norm_axis0(%x: tensor<2x3xf32>, %g: tensor<2x3xf32>, %b: tensor<2x3xf32>)
    -> (tensor<2x3xf32>, tensor<1x1xf32>, tensor<1x1xf32>) {
  %y, %m, %r = dlcc.layer_norm %x, %g, %b, axis = 0, epsilon = 1.0e-05
      : (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>)
      -> (tensor<2x3xf32>, tensor<1x1xf32>, tensor<1x1xf32>)
  return %y, %m, %r : tensor<2x3xf32>, tensor<1x1xf32>, tensor<1x1xf32>
}

// -----

// The saved statistics are collapsed back to [2, 8]; dx reduces over the
// normalized dimension 2, dscale and doffset over the outer dimensions 0, 1.
// CHECK-LABEL: func.func @layer_norm_backward
// CHECK-SAME: (%[[X:.+]]: tensor<2x8x64xf32>, %[[G:.+]]: tensor<64xf32>, %[[M:.+]]: tensor<2x8x1xf32>, %[[R:.+]]: tensor<2x8x1xf32>, %[[DY:.+]]: tensor<2x8x64xf32>)
// CHECK: %[[MC:.+]] = tensor.collapse_shape %[[M]] {{\[\[}}0], [1, 2]] : tensor<2x8x1xf32> into tensor<2x8xf32>
// CHECK: %[[RC:.+]] = tensor.collapse_shape %[[R]] {{\[\[}}0], [1, 2]] : tensor<2x8x1xf32> into tensor<2x8xf32>
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction"]
// CHECK: arith.constant 6.400000e+01 : f32
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction"]
// CHECK: %[[DX:.+]] = linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel"]} ins(%[[X]], %[[G]], %[[MC]], %[[RC]], %[[DY]], %{{.+}}, %{{.+}} :
// CHECK: %[[DG:.+]] = linalg.generic {{.*}} iterator_types = ["reduction", "reduction", "parallel"]} ins(%[[X]], %[[MC]], %[[RC]], %[[DY]] : {{.*}}) outs(%{{.+}} : tensor<64xf32>)
// CHECK: %[[DB:.+]] = linalg.generic {{.*}} iterator_types = ["reduction", "reduction", "parallel"]} ins(%[[DY]] : {{.*}}) outs(%{{.+}} : tensor<64xf32>)
// CHECK: return %[[DX]], %[[DG]], %[[DB]]
func.func @layer_norm_backward(%x: tensor<2x8x64xf32>, %g: tensor<64xf32>, %m: tensor<2x8x1xf32>,
                               %r: tensor<2x8x1xf32>, %dy: tensor<2x8x64xf32>)
    -> (tensor<2x8x64xf32>, tensor<64xf32>, tensor<64xf32>) {
  %dx, %dg, %db = dlcc.layer_norm_backward %x, %g, %m, %r, %dy, axis = 2
      : (tensor<2x8x64xf32>, tensor<64xf32>, tensor<2x8x1xf32>, tensor<2x8x1xf32>,
         tensor<2x8x64xf32>) -> (tensor<2x8x64xf32>, tensor<64xf32>, tensor<64xf32>)
  return %dx, %dg, %db : tensor<2x8x64xf32>, tensor<64xf32>, tensor<64xf32>
}

// -----

// Softmax along dimension 0: column maximum (from -inf), sum of exp(x - max),
// then exp(x - max) / sum.
// CHECK-DAG: #[[$ID:.+]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[$COL:.+]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @softmax_dim0
// CHECK-SAME: (%[[X:.+]]: tensor<4x10xf32>)
// CHECK: %[[NEG:.+]] = arith.constant 0xFF800000 : f32
// CHECK: %[[I:.+]] = linalg.fill ins(%[[NEG]] : f32) outs(%{{.+}} : tensor<10xf32>)
// CHECK: %[[MAX:.+]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$COL]]], iterator_types = ["reduction", "parallel"]} ins(%[[X]] : tensor<4x10xf32>) outs(%[[I]] : tensor<10xf32>)
// CHECK: arith.maximumf
// CHECK: %[[SUM:.+]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$COL]], #[[$COL]]], iterator_types = ["reduction", "parallel"]} ins(%[[X]], %[[MAX]] :
// CHECK: arith.subf
// CHECK: math.exp
// CHECK: arith.addf
// CHECK: %[[Y:.+]] = linalg.generic {indexing_maps = [#[[$ID]], #[[$COL]], #[[$COL]], #[[$ID]]], iterator_types = ["parallel", "parallel"]} ins(%[[X]], %[[MAX]], %[[SUM]] :
// CHECK: ^bb0(%[[XV:.+]]: f32, %[[MV:.+]]: f32, %[[SV:.+]]: f32, %{{.+}}: f32):
// CHECK: %[[D:.+]] = arith.subf %[[XV]], %[[MV]] : f32
// CHECK: %[[E:.+]] = math.exp %[[D]] : f32
// CHECK: %[[Q:.+]] = arith.divf %[[E]], %[[SV]] : f32
// CHECK: linalg.yield %[[Q]]
// CHECK: return %[[Y]]
func.func @softmax_dim0(%x: tensor<4x10xf32>) -> tensor<4x10xf32> {
  %0 = dlcc.softmax %x, dim = 0 : tensor<4x10xf32>
  return %0 : tensor<4x10xf32>
}

// -----

// log_softmax: x - max - log(sum).
// CHECK-LABEL: func.func @log_softmax
// CHECK: iterator_types = ["parallel", "reduction"]
// CHECK: arith.maximumf
// CHECK: math.exp
// CHECK: ^bb0(%[[XV:.+]]: f32, %[[MV:.+]]: f32, %[[SV:.+]]: f32, %{{.+}}: f32):
// CHECK: %[[D:.+]] = arith.subf %[[XV]], %[[MV]] : f32
// CHECK: %[[L:.+]] = math.log %[[SV]] : f32
// CHECK: %[[R:.+]] = arith.subf %[[D]], %[[L]] : f32
// CHECK: linalg.yield %[[R]]
func.func @log_softmax(%x: tensor<4x10xf32>) -> tensor<4x10xf32> {
  %0 = dlcc.log_softmax %x, dim = 1 : tensor<4x10xf32>
  return %0 : tensor<4x10xf32>
}

// -----

// y * (dy - sum(dy * y)).
// CHECK-LABEL: func.func @softmax_backward
// CHECK-SAME: (%[[Y:.+]]: tensor<4x10xf32>, %[[DY:.+]]: tensor<4x10xf32>)
// CHECK: %[[S:.+]] = linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]} ins(%[[Y]], %[[DY]] :
// CHECK: ^bb0(%[[YV:.+]]: f32, %[[DV:.+]]: f32, %[[ACC:.+]]: f32):
// CHECK: %[[P:.+]] = arith.mulf %[[DV]], %[[YV]] : f32
// CHECK: arith.addf %[[ACC]], %[[P]] : f32
// CHECK: %[[R:.+]] = linalg.generic {{.*}} ins(%[[Y]], %[[DY]], %[[S]] :
// CHECK: ^bb0(%[[YV2:.+]]: f32, %[[DV2:.+]]: f32, %[[SV:.+]]: f32, %{{.+}}: f32):
// CHECK: %[[D:.+]] = arith.subf %[[DV2]], %[[SV]] : f32
// CHECK: %[[M:.+]] = arith.mulf %[[YV2]], %[[D]] : f32
// CHECK: linalg.yield %[[M]]
// CHECK: return %[[R]]
func.func @softmax_backward(%y: tensor<4x10xf32>, %dy: tensor<4x10xf32>) -> tensor<4x10xf32> {
  %0 = dlcc.softmax_backward %y, %dy, dim = 1 : tensor<4x10xf32>
  return %0 : tensor<4x10xf32>
}

// -----

// dy - exp(y) * sum(dy).
// CHECK-LABEL: func.func @log_softmax_backward
// CHECK-SAME: (%[[Y:.+]]: tensor<4x10xf32>, %[[DY:.+]]: tensor<4x10xf32>)
// CHECK: %[[S:.+]] = linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]
// CHECK: ^bb0(%{{.+}}: f32, %[[DV:.+]]: f32, %[[ACC:.+]]: f32):
// CHECK: arith.addf %[[ACC]], %[[DV]] : f32
// CHECK: %[[R:.+]] = linalg.generic {{.*}} ins(%[[Y]], %[[DY]], %[[S]] :
// CHECK: ^bb0(%[[YV:.+]]: f32, %[[DV2:.+]]: f32, %[[SV:.+]]: f32, %{{.+}}: f32):
// CHECK: %[[E:.+]] = math.exp %[[YV]] : f32
// CHECK: %[[M:.+]] = arith.mulf %[[E]], %[[SV]] : f32
// CHECK: %[[D:.+]] = arith.subf %[[DV2]], %[[M]] : f32
// CHECK: linalg.yield %[[D]]
// CHECK: return %[[R]]
func.func @log_softmax_backward(%y: tensor<4x10xf32>, %dy: tensor<4x10xf32>) -> tensor<4x10xf32> {
  %0 = dlcc.log_softmax_backward %y, %dy, dim = 1 : tensor<4x10xf32>
  return %0 : tensor<4x10xf32>
}

// -----

// Per position: the label (widened to i64) clamped to [0, 9] indexes
// log_probs[n, l, d] and the weights; ignored positions give 0.
// CHECK-LABEL: func.func @cross_entropy_none
// CHECK-SAME: (%[[LP:.+]]: tensor<8x10x3xf32>, %[[L:.+]]: tensor<8x3xi32>, %[[W:.+]]: tensor<10xf32>)
// CHECK: %[[R:.+]] = linalg.generic {{.*}} iterator_types = ["parallel", "parallel"]} ins(%[[L]] : tensor<8x3xi32>) outs(%{{.+}} : tensor<8x3xf32>)
// CHECK: ^bb0(%[[LV:.+]]: i32, %{{.+}}: f32):
// CHECK: %[[L64:.+]] = arith.extsi %[[LV]] : i32 to i64
// CHECK: %[[IGN:.+]] = arith.cmpi eq, %[[L64]], %{{.+}} : i64
// CHECK: %[[LO:.+]] = arith.maxsi %[[L64]], %{{.+}} : i64
// CHECK: arith.constant 9 : i64
// CHECK: %[[HI:.+]] = arith.minsi %[[LO]], %{{.+}} : i64
// CHECK: %[[C:.+]] = arith.index_cast %[[HI]] : i64 to index
// CHECK: %[[N:.+]] = linalg.index 0 : index
// CHECK: %[[D:.+]] = linalg.index 1 : index
// CHECK: %[[V:.+]] = tensor.extract %[[LP]][%[[N]], %[[C]], %[[D]]] : tensor<8x10x3xf32>
// CHECK: %[[Z:.+]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[WV:.+]] = tensor.extract %[[W]][%[[C]]] : tensor<10xf32>
// CHECK: %[[P:.+]] = arith.mulf %[[WV]], %[[V]] : f32
// CHECK: %[[NEG:.+]] = arith.negf %[[P]] : f32
// CHECK: %[[S:.+]] = arith.select %[[IGN]], %[[Z]], %[[NEG]] : f32
// CHECK: linalg.yield %[[S]] : f32
// CHECK: return %[[R]]
func.func @cross_entropy_none(%lp: tensor<8x10x3xf32>, %l: tensor<8x3xi32>, %w: tensor<10xf32>) -> tensor<8x3xf32> {
  %0 = dlcc.cross_entropy %lp, %l weights %w, ignore_index = -100, reduction = none
      : (tensor<8x10x3xf32>, tensor<8x3xi32>, tensor<10xf32>) -> tensor<8x3xf32>
  return %0 : tensor<8x3xf32>
}

// -----

// mean: the summed losses over the summed weights of the counted positions
// (weight 1 without weights, 0 where the label is ignore_index = 3).
// CHECK-LABEL: func.func @cross_entropy_mean
// CHECK: %[[PER:.+]]:2 = linalg.generic {{.*}} ins(%{{.+}} : tensor<8xi64>) outs(%{{.+}}, %{{.+}} : tensor<8xf32>, tensor<8xf32>)
// CHECK: arith.constant 3 : i64
// CHECK: linalg.yield %{{.+}}, %{{.+}} : f32, f32
// CHECK: %[[LOSS:.+]] = linalg.generic {{.*}} iterator_types = ["reduction"]} ins(%[[PER]]#0 : tensor<8xf32>) outs(%{{.+}} : tensor<f32>)
// CHECK: %[[WSUM:.+]] = linalg.generic {{.*}} iterator_types = ["reduction"]} ins(%[[PER]]#1 : tensor<8xf32>) outs(%{{.+}} : tensor<f32>)
// CHECK: %[[R:.+]] = linalg.generic {{.*}} ins(%[[LOSS]], %[[WSUM]] : tensor<f32>, tensor<f32>)
// CHECK: arith.divf
// CHECK: return %[[R]]
func.func @cross_entropy_mean(%lp: tensor<8x10xf32>, %l: tensor<8xi64>) -> tensor<f32> {
  %0 = dlcc.cross_entropy %lp, %l, ignore_index = 3, reduction = mean
      : (tensor<8x10xf32>, tensor<8xi64>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

// CHECK-LABEL: func.func @cross_entropy_sum
// CHECK: %[[PER:.+]] = linalg.generic {{.*}} ins(%{{.+}} : tensor<8xi64>) outs(%{{.+}} : tensor<8xf32>)
// CHECK: %[[R:.+]] = linalg.generic {{.*}} iterator_types = ["reduction"]} ins(%[[PER]] : tensor<8xf32>) outs(%{{.+}} : tensor<f32>)
// CHECK-NOT: arith.divf
// CHECK: return %[[R]]
func.func @cross_entropy_sum(%lp: tensor<8x10xf32>, %l: tensor<8xi64>) -> tensor<f32> {
  %0 = dlcc.cross_entropy %lp, %l, ignore_index = -100, reduction = sum
      : (tensor<8x10xf32>, tensor<8xi64>) -> tensor<f32>
  return %0 : tensor<f32>
}
