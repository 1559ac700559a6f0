//===- DlccNeuralNetOps.td - matmul, convolution, pooling, norms, losses -===//
//
// Forward ops and the backward ops that their vector-Jacobian products use.
// Layouts follow ONNX: NC<spatial> activations, O(C/g)<spatial> filters.
//
//===----------------------------------------------------------------------===//

def Dlcc_MatmulOp : Dlcc_Op<"matmul", [Pure, InferTypeOpAdaptor,
    AllElementTypesMatch<["lhs", "rhs", "result"]>]> {
  let summary = "batched matrix product with optional transposes";
  let description = [{
    `lhs` is `[B..., M, K]` (`[B..., K, M]` with `transpose_lhs`), `rhs` is
    `[B..., K, N]` (`[B..., N, K]` with `transpose_rhs`) or a plain matrix
    shared by every batch; the result is `[B..., M, N]`. Batch dimensions
    match exactly: the importer broadcasts and promotes 1-D operands.

    ```mlir
    %y = dlcc.matmul %x, %w transpose_rhs
        : (tensor<2x16x64xf32>, tensor<32x64xf32>) -> tensor<2x16x32xf32>
    ```
  }];
  let arguments = (ins Dlcc_FloatTensor:$lhs, Dlcc_FloatTensor:$rhs,
                       UnitAttr:$transpose_lhs, UnitAttr:$transpose_rhs);
  let results = (outs Dlcc_FloatTensor:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs (`transpose_lhs` $transpose_lhs^)? (`transpose_rhs` $transpose_rhs^)?
    attr-dict `:` functional-type(operands, $result)
  }];
  let hasCanonicalizer = 1;
}

class Dlcc_ConvLikeOp<string mnemonic, list<Trait> traits = []>
    : Dlcc_Op<mnemonic, !listconcat([Pure], traits)> {
  dag convAttrs = (ins DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$pad_low,
                       DenseI64ArrayAttr:$pad_high, DenseI64ArrayAttr:$dilations,
                       I64Attr:$groups);
  string convFormat = [{
    `strides` `=` $strides `,` `pad_low` `=` $pad_low `,` `pad_high` `=` $pad_high
    `,` `dilations` `=` $dilations `,` `groups` `=` $groups attr-dict `:`
    functional-type(operands, results)
  }];
}

def Dlcc_ConvolutionOp : Dlcc_ConvLikeOp<"convolution", [InferTypeOpAdaptor,
    AllElementTypesMatch<["input", "filter", "result"]>]> {
  let summary = "grouped N-d convolution (cross-correlation) without bias";
  let description = [{
    `input` is `[N, C, D...]`, `filter` `[O, C/groups, K...]`, result
    `[N, O, E...]` with `E = (D + lo + hi - dil*(K-1) - 1) / stride + 1`.
    ONNX's auto_pad is resolved to explicit padding; a bias is a separate add.

    ```mlir
    %y = dlcc.convolution %x, %w, strides = [1, 1], pad_low = [1, 1],
        pad_high = [1, 1], dilations = [1, 1], groups = 1
        : (tensor<8x3x32x32xf32>, tensor<16x3x3x3xf32>) -> tensor<8x16x32x32xf32>
    ```
  }];
  let arguments = !con((ins Dlcc_FloatTensor:$input, Dlcc_FloatTensor:$filter),
                       convAttrs);
  let results = (outs Dlcc_FloatTensor:$result);
  let assemblyFormat = "$input `,` $filter `,` " # convFormat;
}

def Dlcc_ConvolutionBackwardDataOp : Dlcc_ConvLikeOp<"convolution_backward_data",
    [AllElementTypesMatch<["grad_output", "filter", "result"]>]> {
  let summary = "gradient of a convolution with respect to its input";
  let description = [{
    The transposed convolution of `grad_output` with `filter`; the result type
    is the forward input's type (it disambiguates strided shapes). The
    attributes are those of the forward dlcc.convolution.

    ```mlir
    %dx = dlcc.convolution_backward_data %dy, %w, strides = [1, 1],
        pad_low = [1, 1], pad_high = [1, 1], dilations = [1, 1], groups = 1
        : (tensor<8x16x32x32xf32>, tensor<16x3x3x3xf32>) -> tensor<8x3x32x32xf32>
    ```
  }];
  let arguments = !con((ins Dlcc_FloatTensor:$grad_output,
                            Dlcc_FloatTensor:$filter), convAttrs);
  let results = (outs Dlcc_FloatTensor:$result);
  let assemblyFormat = "$grad_output `,` $filter `,` " # convFormat;
  let hasVerifier = 1;
}

def Dlcc_ConvolutionBackwardFilterOp
    : Dlcc_ConvLikeOp<"convolution_backward_filter",
    [AllElementTypesMatch<["input", "grad_output", "result"]>]> {
  let summary = "gradient of a convolution with respect to its filter";
  let description = [{
    Correlates the forward `input` with `grad_output`; the result type is the
    filter's type.

    ```mlir
    %dw = dlcc.convolution_backward_filter %x, %dy, strides = [1, 1],
        pad_low = [1, 1], pad_high = [1, 1], dilations = [1, 1], groups = 1
        : (tensor<8x3x32x32xf32>, tensor<8x16x32x32xf32>) -> tensor<16x3x3x3xf32>
    ```
  }];
  let arguments = !con((ins Dlcc_FloatTensor:$input,
                            Dlcc_FloatTensor:$grad_output), convAttrs);
  let results = (outs Dlcc_FloatTensor:$result);
  let assemblyFormat = "$input `,` $grad_output `,` " # convFormat;
  let hasVerifier = 1;
}

class Dlcc_PoolLikeOp<string mnemonic, list<Trait> traits = []>
    : Dlcc_Op<mnemonic, !listconcat([Pure], traits)> {
  dag poolAttrs = (ins DenseI64ArrayAttr:$window, DenseI64ArrayAttr:$strides,
                       DenseI64ArrayAttr:$pad_low, DenseI64ArrayAttr:$pad_high,
                       DenseI64ArrayAttr:$dilations, UnitAttr:$count_include_pad);
  string poolFormat = [{
    `window` `=` $window `,` `strides` `=` $strides `,` `pad_low` `=` $pad_low
    `,` `pad_high` `=` $pad_high `,` `dilations` `=` $dilations
    (`count_include_pad` $count_include_pad^)? attr-dict `:`
    functional-type(operands, results)
  }];
}

def Dlcc_PoolOp : Dlcc_PoolLikeOp<"pool", [
    AllElementTypesMatch<["input", "result"]>]> {
  let summary = "max or average pooling over spatial windows";
  let description = [{
    `input` is `[N, C, D...]`; windows move over the spatial dimensions. Each
    output dimension is between the floor and the ceiling of
    `(D + lo + hi - dil*(W-1) - 1) / stride + 1` (ONNX's ceil_mode is the
    latter); windows that run past the padded input are clipped. Padding never
    wins a max. An average divides by the window's in-bounds count, counting
    the explicit padding when `count_include_pad` is set. Max pooling also
    takes integer tensors; average pooling takes floats.

    ```mlir
    %y = dlcc.pool max %x, window = [2, 2], strides = [2, 2], pad_low = [0, 0],
        pad_high = [0, 0], dilations = [1, 1]
        : (tensor<8x16x32x32xf32>) -> tensor<8x16x16x16xf32>
    ```
  }];
  let arguments = !con((ins Dlcc_PoolKind:$kind, Dlcc_Tensor:$input),
                       poolAttrs);
  let results = (outs Dlcc_Tensor:$result);
  let assemblyFormat = "$kind $input `,` " # poolFormat;
  let hasVerifier = 1;
}

def Dlcc_PoolBackwardOp : Dlcc_PoolLikeOp<"pool_backward", [
    AllTypesMatch<["input", "result"]>,
    AllElementTypesMatch<["input", "grad_output"]>]> {
  let summary = "gradient of dlcc.pool with respect to its input";
  let description = [{
    Max: routes each output cotangent to the first maximal element of its
    window in `input`. Average: spreads it evenly over the window. Attributes
    are the forward op's.

    ```mlir
    %dx = dlcc.pool_backward max %x, %dy, window = [2, 2], strides = [2, 2],
        pad_low = [0, 0], pad_high = [0, 0], dilations = [1, 1]
        : (tensor<8x16x32x32xf32>, tensor<8x16x16x16xf32>) -> tensor<8x16x32x32xf32>
    ```
  }];
  let arguments = !con((ins Dlcc_PoolKind:$kind, Dlcc_FloatTensor:$input,
                            Dlcc_FloatTensor:$grad_output), poolAttrs);
  let results = (outs Dlcc_FloatTensor:$result);
  let assemblyFormat = "$kind $input `,` $grad_output `,` " # poolFormat;
  let hasVerifier = 1;
}

def Dlcc_BatchNormTrainingOp : Dlcc_Op<"batch_norm_training", [Pure,
    InferTypeOpAdaptor]> {
  let summary = "batch normalization with batch statistics";
  let description = [{
    Normalizes `[N, C, D...]` per channel with the batch mean and biased
    variance over all dimensions but 1, then scales and shifts. Returns the
    output, the batch mean and the batch variance (both `[C]`); running
    statistics are updated by the caller from the latter two.

    ```mlir
    %y, %mean, %var = dlcc.batch_norm_training %x, %gamma, %beta, epsilon = 1.0e-05
        : (tensor<8x16x4x4xf32>, tensor<16xf32>, tensor<16xf32>)
        -> (tensor<8x16x4x4xf32>, tensor<16xf32>, tensor<16xf32>)
    ```
  }];
  let arguments = (ins Dlcc_FloatTensor:$input, Dlcc_FloatTensor:$scale,
                       Dlcc_FloatTensor:$offset, F32Attr:$epsilon);
  let results = (outs Dlcc_FloatTensor:$output, Dlcc_FloatTensor:$batch_mean,
                      Dlcc_FloatTensor:$batch_var);
  let assemblyFormat = [{
    $input `,` $scale `,` $offset `,` `epsilon` `=` $epsilon attr-dict `:`
    functional-type(operands, results)
  }];
}

def Dlcc_BatchNormInferenceOp : Dlcc_Op<"batch_norm_inference", [Pure,
    InferTypeOpAdaptor]> {
  let summary = "batch normalization with given statistics";
  let description = [{
    `(x - mean) / sqrt(variance + epsilon) * scale + offset` per channel of
    `[N, C, D...]`.

    ```mlir
    %y = dlcc.batch_norm_inference %x, %gamma, %beta, %mean, %var, epsilon = 1.0e-05
        : (tensor<8x16x4x4xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>,
           tensor<16xf32>) -> tensor<8x16x4x4xf32>
    ```
  }];
  let arguments = (ins Dlcc_FloatTensor:$input, Dlcc_FloatTensor:$scale,
                       Dlcc_FloatTensor:$offset, Dlcc_FloatTensor:$mean,
                       Dlcc_FloatTensor:$variance, F32Attr:$epsilon);
  let results = (outs Dlcc_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $scale `,` $offset `,` $mean `,` $variance `,` `epsilon` `=` $epsilon
    attr-dict `:` functional-type(operands, results)
  }];
}

def Dlcc_BatchNormBackwardOp : Dlcc_Op<"batch_norm_backward", [Pure,
    InferTypeOpAdaptor]> {
  let summary = "gradient of dlcc.batch_norm_training";
  let description = [{
    Given the forward input, scale, batch mean and variance and the output
    cotangent, returns the cotangents of input, scale and offset.

    ```mlir
    %dx, %dg, %db = dlcc.batch_norm_backward %x, %gamma, %mean, %var, %dy,
        epsilon = 1.0e-05
        : (tensor<8x16x4x4xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>,
           tensor<8x16x4x4xf32>) -> (tensor<8x16x4x4xf32>, tensor<16xf32>, tensor<16xf32>)
    ```
  }];
  let arguments = (ins Dlcc_FloatTensor:$input, Dlcc_FloatTensor:$scale,
                       Dlcc_FloatTensor:$mean, Dlcc_FloatTensor:$variance,
                       Dlcc_FloatTensor:$grad_output, F32Attr:$epsilon);
  let results = (outs Dlcc_FloatTensor:$grad_input, Dlcc_FloatTensor:$grad_scale,
                      Dlcc_FloatTensor:$grad_offset);
  let assemblyFormat = [{
    $input `,` $scale `,` $mean `,` $variance `,` $grad_output `,` `epsilon` `=`
    $epsilon attr-dict `:` functional-type(operands, results)
  }];
}

def Dlcc_LayerNormOp : Dlcc_Op<"layer_norm", [Pure, InferTypeOpAdaptor]> {
  let summary = "layer normalization over the trailing dimensions";
  let description = [{
    Normalizes over dimensions `axis..rank-1` and applies `scale` and `offset`,
    whose shape is those dimensions. Also returns the mean and the inverse
    standard deviation, shaped like the input with the normalized dimensions
    set to 1 (as ONNX's LayerNormalization outputs).

    ```mlir
    %y, %mean, %rstd = dlcc.layer_norm %x, %gamma, %beta, axis = 2, epsilon = 1.0e-05
        : (tensor<2x8x64xf32>, tensor<64xf32>, tensor<64xf32>)
        -> (tensor<2x8x64xf32>, tensor<2x8x1xf32>, tensor<2x8x1xf32>)
    ```
  }];
  let arguments = (ins Dlcc_FloatTensor:$input, Dlcc_FloatTensor:$scale,
                       Dlcc_FloatTensor:$offset, I64Attr:$axis, F32Attr:$epsilon);
  let results = (outs Dlcc_FloatTensor:$output, Dlcc_FloatTensor:$mean,
                      Dlcc_FloatTensor:$inv_std_dev);
  let assemblyFormat = [{
    $input `,` $scale `,` $offset `,` `axis` `=` $axis `,` `epsilon` `=` $epsilon
    attr-dict `:` functional-type(operands, results)
  }];
}

def Dlcc_LayerNormBackwardOp : Dlcc_Op<"layer_norm_backward", [Pure,
    InferTypeOpAdaptor]> {
  let summary = "gradient of dlcc.layer_norm";
  let description = [{
    Returns the cotangents of input, scale and offset from the forward input,
    scale, saved mean and inverse standard deviation and the output cotangent.

    ```mlir
    %dx, %dg, %db = dlcc.layer_norm_backward %x, %gamma, %mean, %rstd, %dy, axis = 2
        : (tensor<2x8x64xf32>, tensor<64xf32>, tensor<2x8x1xf32>, tensor<2x8x1xf32>,
           tensor<2x8x64xf32>) -> (tensor<2x8x64xf32>, tensor<64xf32>, tensor<64xf32>)
    ```
  }];
  let arguments = (ins Dlcc_FloatTensor:$input, Dlcc_FloatTensor:$scale,
                       Dlcc_FloatTensor:$mean, Dlcc_FloatTensor:$inv_std_dev,
                       Dlcc_FloatTensor:$grad_output, I64Attr:$axis);
  let results = (outs Dlcc_FloatTensor:$grad_input, Dlcc_FloatTensor:$grad_scale,
                      Dlcc_FloatTensor:$grad_offset);
  let assemblyFormat = [{
    $input `,` $scale `,` $mean `,` $inv_std_dev `,` $grad_output `,` `axis` `=` $axis
    attr-dict `:` functional-type(operands, results)
  }];
}

class Dlcc_SoftmaxLikeOp<string mnemonic, string what>
    : Dlcc_Op<mnemonic, [Pure, SameOperandsAndResultType]> {
  let summary = what # " along one dimension";
  let description = [{
    Computed with the row maximum subtracted first (numerically stable).

    ```mlir
    %p = dlcc.}] # mnemonic # [{ %x, dim = 1 : tensor<4x10xf32>
    ```
  }];
  let arguments = (ins Dlcc_FloatTensor:$operand, I64Attr:$dimension);
  let results = (outs Dlcc_FloatTensor:$result);
  let assemblyFormat = "$operand `,` `dim` `=` $dimension attr-dict `:` type($result)";
  let hasVerifier = 1;
}
def Dlcc_SoftmaxOp : Dlcc_SoftmaxLikeOp<"softmax", "softmax">;
def Dlcc_LogSoftmaxOp : Dlcc_SoftmaxLikeOp<"log_softmax", "log-softmax">;

class Dlcc_SoftmaxBackwardLikeOp<string mnemonic, string forward>
    : Dlcc_Op<mnemonic, [Pure, SameOperandsAndResultType]> {
  let summary = "gradient of dlcc." # forward # " from its output";
  let description = [{
    Takes the forward op's output and the output cotangent.

    ```mlir
    %dx = dlcc.}] # mnemonic # [{ %y, %dy, dim = 1 : tensor<4x10xf32>
    ```
  }];
  let arguments = (ins Dlcc_FloatTensor:$output, Dlcc_FloatTensor:$grad_output,
                       I64Attr:$dimension);
  let results = (outs Dlcc_FloatTensor:$result);
  let assemblyFormat = [{
    $output `,` $grad_output `,` `dim` `=` $dimension attr-dict `:` type($result)
  }];
  let hasVerifier = 1;
}
def Dlcc_SoftmaxBackwardOp : Dlcc_SoftmaxBackwardLikeOp<"softmax_backward", "softmax">;
def Dlcc_LogSoftmaxBackwardOp
    : Dlcc_SoftmaxBackwardLikeOp<"log_softmax_backward", "log_softmax">;

def Dlcc_CrossEntropyOp : Dlcc_Op<"cross_entropy", [Pure, InferTypeOpAdaptor]> {
  let summary = "cross-entropy of log-probabilities against integer labels";
  let description = [{
    `log_probs` is `[N, C, D...]` (classes on dimension 1), `labels`
    `[N, D...]`. Each position contributes `-weight[l] * log_probs[n, l, d...]`
    with `l = labels[n, d...]`; positions whose label equals `ignore_index`
    contribute nothing. `mean` divides by the sum of the weights of the
    counted positions (their count without weights), `sum` adds, `none`
    returns the `[N, D...]` tensor. Softmax cross-entropy is dlcc.log_softmax
    followed by this op.

    ```mlir
    %l = dlcc.cross_entropy %logp, %labels, ignore_index = -100, reduction = mean
        : (tensor<8x10xf32>, tensor<8xi64>) -> tensor<f32>
    ```
  }];
  let arguments = (ins Dlcc_FloatTensor:$log_probs, Dlcc_IndexTensor:$labels,
                       Optional<Dlcc_FloatTensor>:$weights, I64Attr:$ignore_index,
                       Dlcc_LossReduction:$reduction);
  let results = (outs Dlcc_FloatTensor:$result);
  let assemblyFormat = [{
    $log_probs `,` $labels (`weights` $weights^)? `,` `ignore_index` `=` $ignore_index
    `,` `reduction` `=` $reduction attr-dict `:` functional-type(operands, $result)
  }];
}

def Dlcc_DropoutMaskOp : Dlcc_Op<"dropout_mask", [Pure]> {
  let summary = "random keep-mask for dropout from a counter-based generator";
  let description = [{
    Yields an i1 tensor whose elements are true with probability `1 - ratio`,
    a pure function of the 2-element `key` (seed, step counter), so the same
    key gives the same mask on every backend. The program's RNG state is a
    `dlcc.state_slot` of kind `rng`.

    ```mlir
    %keep = dlcc.dropout_mask %key, ratio = 1.000000e-01
        : (tensor<2xi64>) -> tensor<8x64xi1>
    ```
  }];
  let arguments = (ins StaticShapeTensorOf<[I64]>:$key, F32Attr:$ratio);
  let results = (outs Dlcc_PredTensor:$result);
  let assemblyFormat = [{
    $key `,` `ratio` `=` $ratio attr-dict `:` functional-type($key, $result)
  }];
  let hasVerifier = 1;
}
