// RUN: dlcc-opt %s --dlcc-annotate-index-bounds --split-input-file | FileCheck %s

// dlcc-annotate-index-bounds: inputs that reach a gather's indices or a
// cross-entropy's labels through value-preserving ops get the range of
// values they may hold, for the runtime to check.

// Token ids through the importer's negative-index normalisation into a
// 64-row embedding: [-64, 64).
// CHECK-LABEL: func.func @embedding
// CHECK-SAME: dlcc.index_bounds = {max = 64 : i64, min = -64 : i64, use = "Gather at ONNX node 'emb'"}
// CHECK-SAME: %{{.+}}: tensor<64x8xf32> {dlcc.state = @table}
dlcc.state_slot parameter @table : tensor<64x8xf32>
func.func @embedding(%idx: tensor<2x3xi64> {dlcc.input = "idx"},
                     %table: tensor<64x8xf32> {dlcc.state = @table}) -> tensor<2x3x8xf32> {
  %zero = dlcc.constant dense<0> : tensor<2x3xi64>
  %n = dlcc.constant dense<64> : tensor<2x3xi64>
  %neg = dlcc.compare lt, %idx, %zero : tensor<2x3xi64>
  %wrapped = dlcc.add %idx, %n : tensor<2x3xi64>
  %i = dlcc.select %neg, %wrapped, %idx : tensor<2x3xi1>, tensor<2x3xi64>
  %g = dlcc.gather %table[%i], axis = 0 : (tensor<64x8xf32>, tensor<2x3xi64>) -> tensor<2x3x8xf32> loc("emb")
  return %g : tensor<2x3x8xf32>
}

// -----

// Labels reshaped into a 10-class cross-entropy: [0, 10) or ignore_index.
// CHECK-LABEL: func.func @loss
// CHECK-SAME: dlcc.index_bounds = {ignore = -100 : i64, max = 10 : i64, min = 0 : i64, use = "the labels of a cross-entropy"}
func.func @loss(%logp: tensor<8x10xf32> {dlcc.input = "logp"},
                %labels: tensor<2x4xi64> {dlcc.input = "labels"}) -> tensor<f32> {
  %l = dlcc.reshape %labels : (tensor<2x4xi64>) -> tensor<8xi64>
  %r = dlcc.cross_entropy %logp, %l, ignore_index = -100, reduction = mean
      : (tensor<8x10xf32>, tensor<8xi64>) -> tensor<f32>
  return %r : tensor<f32>
}

// -----

// Indices computed from an input (here: doubled) are not the input's
// values: nothing is recorded (the kernel's clamp keeps reads in bounds).
// CHECK-LABEL: func.func @computed
// CHECK-NOT: dlcc.index_bounds
dlcc.state_slot parameter @t : tensor<16xf32>
func.func @computed(%idx: tensor<3xi64> {dlcc.input = "idx"},
                    %table: tensor<16xf32> {dlcc.state = @t}) -> tensor<3xf32> {
  %d = dlcc.add %idx, %idx : tensor<3xi64>
  %g = dlcc.gather %table[%d], axis = 0 : (tensor<16xf32>, tensor<3xi64>) -> tensor<3xf32>
  return %g : tensor<3xf32>
}
