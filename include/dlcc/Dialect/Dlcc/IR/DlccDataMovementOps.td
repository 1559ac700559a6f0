//===- DlccDataMovementOps.td - shape, indexing and reduction ops --------===//

def Dlcc_ConstantOp : Dlcc_Op<"constant", [ConstantLike, Pure,
    AllTypesMatch<["value", "result"]>]> {
  let summary = "a constant tensor";
  let description = [{
    A compile-time constant. Never used for trainable parameters, which are
    function arguments; large values use `dense_resource` so that printed IR
    can elide them.

    Example:
    ```mlir
    %c = dlcc.constant dense<[1, 2]> : tensor<2xi64>
    ```
  }];
  let arguments = (ins ElementsAttr:$value);
  let results = (outs Dlcc_Tensor:$result);
  let assemblyFormat = "attr-dict $value";
  let hasFolder = 1;
}

def Dlcc_IotaOp : Dlcc_Op<"iota", [Pure]> {
  let summary = "indices along one dimension";
  let description = [{
    Fills the result with each element's index along `dimension`.

    Example:
    ```mlir
    %i = dlcc.iota dim = 1 : tensor<4x8xi64>
    ```
  }];
  let arguments = (ins I64Attr:$dimension);
  let results = (outs Dlcc_Tensor:$result);
  let assemblyFormat = "`dim` `=` $dimension attr-dict `:` type($result)";
  let hasVerifier = 1;
}

def Dlcc_BroadcastInDimOp : Dlcc_Op<"broadcast_in_dim", [Pure,
    AllElementTypesMatch<["operand", "result"]>]> {
  let summary = "explicit broadcast to a larger shape";
  let description = [{
    Operand dimension `i` becomes result dimension `dims[i]`; it must have the
    same size there or size 1 (then it is repeated). Result dimensions not in
    `dims` repeat the operand. `dims` is strictly increasing.

    Example:
    ```mlir
    %b = dlcc.broadcast_in_dim %bias, dims = [1] : (tensor<8xf32>) -> tensor<4x8xf32>
    ```
  }];
  let arguments = (ins Dlcc_Tensor:$operand, DenseI64ArrayAttr:$dims);
  let results = (outs Dlcc_Tensor:$result);
  let assemblyFormat = [{
    $operand `,` `dims` `=` $dims attr-dict `:` functional-type($operand, $result)
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def Dlcc_ReshapeOp : Dlcc_Op<"reshape", [Pure,
    AllElementTypesMatch<["operand", "result"]>]> {
  let summary = "reinterpret the shape, keeping row-major element order";
  let description = [{
    Example:
    ```mlir
    %r = dlcc.reshape %x : (tensor<2x3x4xf32>) -> tensor<6x4xf32>
    ```
  }];
  let arguments = (ins Dlcc_Tensor:$operand);
  let results = (outs Dlcc_Tensor:$result);
  let assemblyFormat = "$operand attr-dict `:` functional-type($operand, $result)";
  let hasVerifier = 1;
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def Dlcc_TransposeOp : Dlcc_Op<"transpose", [Pure, InferTypeOpAdaptor]> {
  let summary = "permute dimensions";
  let description = [{
    Result dimension `i` is operand dimension `permutation[i]`.

    Example:
    ```mlir
    %t = dlcc.transpose %w, permutation = [1, 0] : (tensor<8x4xf32>) -> tensor<4x8xf32>
    ```
  }];
  let arguments = (ins Dlcc_Tensor:$operand, DenseI64ArrayAttr:$permutation);
  let results = (outs Dlcc_Tensor:$result);
  let assemblyFormat = [{
    $operand `,` `permutation` `=` $permutation attr-dict `:`
    functional-type($operand, $result)
  }];
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def Dlcc_SliceOp : Dlcc_Op<"slice", [Pure, InferTypeOpAdaptor]> {
  let summary = "strided slice with positive strides";
  let description = [{
    Takes `start[i], start[i]+stride[i], ...` up to (excluding) `limit[i]` in
    every dimension; `0 <= start <= limit <= size`, `stride >= 1`. Negative
    steps are expressed by the importer with dlcc.reverse.

    Example:
    ```mlir
    %s = dlcc.slice %x, start = [0, 2], limit = [4, 8], strides = [1, 2]
        : (tensor<4x8xf32>) -> tensor<4x3xf32>
    ```
  }];
  let arguments = (ins Dlcc_Tensor:$operand, DenseI64ArrayAttr:$start,
                       DenseI64ArrayAttr:$limit, DenseI64ArrayAttr:$strides);
  let results = (outs Dlcc_Tensor:$result);
  let assemblyFormat = [{
    $operand `,` `start` `=` $start `,` `limit` `=` $limit `,` `strides` `=` $strides
    attr-dict `:` functional-type($operand, $result)
  }];
  let hasFolder = 1;
}

def Dlcc_ReverseOp : Dlcc_Op<"reverse", [Pure, SameOperandsAndResultType]> {
  let summary = "reverse the order of elements along dimensions";
  let description = [{
    Example:
    ```mlir
    %r = dlcc.reverse %x, dims = [0] : tensor<4x8xf32>
    ```
  }];
  let arguments = (ins Dlcc_Tensor:$operand, DenseI64ArrayAttr:$dims);
  let results = (outs Dlcc_Tensor:$result);
  let assemblyFormat = "$operand `,` `dims` `=` $dims attr-dict `:` type($result)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Dlcc_PadOp : Dlcc_Op<"pad", [Pure, InferTypeOpAdaptor,
    AllElementTypesMatch<["operand", "padding_value"]>]> {
  let summary = "pad with a value or by edge, reflection or wrap-around";
  let description = [{
    Adds `low[i]` elements before and `high[i]` after dimension `i` (both
    non-negative; the importer turns negative ONNX pads into slices). In
    `constant` mode new elements are the 0-d `padding_value`; `edge` repeats
    the border, `reflect` mirrors without the border, `wrap` wraps around.

    Example:
    ```mlir
    %p = dlcc.pad constant %x, %zero, low = [0, 1], high = [0, 1]
        : (tensor<4x8xf32>, tensor<f32>) -> tensor<4x10xf32>
    ```
  }];
  let arguments = (ins Dlcc_PadMode:$mode, Dlcc_Tensor:$operand,
                       0DTensorOf<[Dlcc_Element]>:$padding_value,
                       DenseI64ArrayAttr:$low, DenseI64ArrayAttr:$high);
  let results = (outs Dlcc_Tensor:$result);
  let assemblyFormat = [{
    $mode $operand `,` $padding_value `,` `low` `=` $low `,` `high` `=` $high
    attr-dict `:` functional-type(operands, $result)
  }];
  let hasFolder = 1;
}

def Dlcc_ResizeOp : Dlcc_Op<"resize", [Pure,
    AllElementTypesMatch<["operand", "result"]>]> {
  let summary = "resize by nearest, linear or cubic interpolation (ONNX Resize)";
  let description = [{
    Each dimension `d` is resized from the operand's extent to the result's
    with the factor `scales[d]` (ONNX's: the given scale, or output size /
    input size). Output coordinate `x` maps to input coordinate `x'` by
    `coordinate_transformation_mode` (half_pixel: `(x + 0.5) / s - 0.5`;
    align_corners: `x (in - 1) / (s in - 1)`; asymmetric: `x / s`; ...),
    and the result interpolates the input around `x'`: the nearest element
    (rounded by `nearest_mode`), 2 (linear) or 4 (cubic, coefficient
    `cubic_coeff_a`) neighbours per dimension, separably, indices clamped to
    the input (with `exclude_outside`, weights of neighbours outside are
    dropped and the rest renormalised). With tf_crop_and_resize, `roi`
    (starts then ends, as fractions of the extents) crops first and a point
    outside the input is `extrapolation_value`. Coordinates are computed in
    f64.

    ```mlir
    %y = dlcc.resize linear half_pixel round_prefer_floor %x,
        scales = [1.0, 1.0, 2.0, 2.0]
        {cubic_coeff_a = -7.500000e-01 : f64, exclude_outside = false,
         extrapolation_value = 0.000000e+00 : f64, roi = array<f64>}
        : (tensor<1x3x4x4xf32>) -> tensor<1x3x8x8xf32>
    ```
  }];
  let arguments = (ins Dlcc_ResizeMode:$mode,
                       Dlcc_ResizeCoordinates:$coordinate_transformation_mode,
                       Dlcc_Tensor:$operand,
                       DenseF64ArrayAttr:$scales,
                       Dlcc_ResizeRounding:$nearest_mode,
                       F64Attr:$cubic_coeff_a, BoolAttr:$exclude_outside,
                       F64Attr:$extrapolation_value, DenseF64ArrayAttr:$roi);
  let results = (outs Dlcc_Tensor:$result);
  let assemblyFormat = [{
    $mode $coordinate_transformation_mode $nearest_mode $operand `,`
    `scales` `=` $scales attr-dict `:` functional-type(operands, $result)
  }];
  let hasVerifier = 1;
}

def Dlcc_GridSampleOp : Dlcc_Op<"grid_sample", [Pure,
    AllElementTypesMatch<["input", "grid", "result"]>]> {
  let summary = "sample an input at grid positions (ONNX GridSample)";
  let description = [{
    `input` is `[N, C, D1..Dk]`, `grid` is `[N, O1..Ok, k]` with normalized
    coordinates in [-1, 1], the last entry indexing D1 (so (x, y) for 2-d);
    the result is `[N, C, O1..Ok]`. A coordinate maps to
    `(g + 1) / 2 (D - 1)` with `align_corners`, else `((g + 1) D - 1) / 2`,
    and the input is interpolated there (`nearest` rounds half to even;
    `linear`; `cubic`, Keys' with a = -0.75). Outside the input, `zeros`
    reads zeros, `border` clamps and `reflection` reflects about the
    border (the extent's ends, or the outer pixel edges without
    align_corners).

    ```mlir
    %y = dlcc.grid_sample linear zeros %x, %grid
        : (tensor<1x3x8x8xf32>, tensor<1x4x4x2xf32>) -> tensor<1x3x4x4xf32>
    ```
  }];
  let arguments = (ins Dlcc_ResizeMode:$mode, Dlcc_GridPadding:$padding_mode,
                       Dlcc_FloatTensor:$input, Dlcc_FloatTensor:$grid,
                       UnitAttr:$align_corners);
  let results = (outs Dlcc_FloatTensor:$result);
  let assemblyFormat = [{
    $mode $padding_mode $input `,` $grid (`align_corners` $align_corners^)?
    attr-dict `:` functional-type(operands, $result)
  }];
  let hasVerifier = 1;
}

def Dlcc_ConcatenateOp : Dlcc_Op<"concatenate", [Pure, InferTypeOpAdaptor]> {
  let summary = "join tensors along one dimension";
  let description = [{
    Example:
    ```mlir
    %c = dlcc.concatenate(%a, %b) dim = 1
        : (tensor<2x3xf32>, tensor<2x5xf32>) -> tensor<2x8xf32>
    ```
  }];
  let arguments = (ins Variadic<Dlcc_Tensor>:$inputs, I64Attr:$dimension);
  let results = (outs Dlcc_Tensor:$result);
  let assemblyFormat = [{
    `(` $inputs `)` `dim` `=` $dimension attr-dict `:` functional-type($inputs, $result)
  }];
  let hasFolder = 1;
}

def Dlcc_GatherOp : Dlcc_Op<"gather", [Pure, InferTypeOpAdaptor]> {
  let summary = "take slices along one axis at the given indices";
  let description = [{
    `result[a..., i..., b...] = operand[a..., indices[i...], b...]` where `a`
    ranges over the dimensions before `axis`. Indices are non-negative (the
    importer normalises ONNX's negative indices); an out-of-range index is a
    runtime error, never an out-of-bounds read. An embedding lookup:

    ```mlir
    %e = dlcc.gather %table[%ids], axis = 0
        : (tensor<100x16xf32>, tensor<2x8xi64>) -> tensor<2x8x16xf32>
    ```
  }];
  let arguments = (ins Dlcc_Tensor:$operand, Dlcc_IndexTensor:$indices,
                       I64Attr:$axis);
  let results = (outs Dlcc_Tensor:$result);
  let assemblyFormat = [{
    $operand `[` $indices `]` `,` `axis` `=` $axis attr-dict `:`
    functional-type(operands, $result)
  }];
}

def Dlcc_GatherElementsOp : Dlcc_Op<"gather_elements", [Pure,
    AllElementTypesMatch<["operand", "result"]>,
    AllShapesMatch<["indices", "result"]>]> {
  let summary = "take elements along one axis (take_along_axis)";
  let description = [{
    `result[..., j, ...] = operand[..., indices[..., j, ...], ...]` with the
    index replacing position `axis`; indices have the operand's rank.

    ```mlir
    %g = dlcc.gather_elements %x[%idx], axis = 1
        : (tensor<4x10xf32>, tensor<4x1xi64>) -> tensor<4x1xf32>
    ```
  }];
  let arguments = (ins Dlcc_Tensor:$operand, Dlcc_IndexTensor:$indices,
                       I64Attr:$axis);
  let results = (outs Dlcc_Tensor:$result);
  let assemblyFormat = [{
    $operand `[` $indices `]` `,` `axis` `=` $axis attr-dict `:`
    functional-type(operands, $result)
  }];
  let hasVerifier = 1;
}

def Dlcc_ScatterAddOp : Dlcc_Op<"scatter_add", [Pure,
    AllTypesMatch<["init", "result"]>]> {
  let summary = "accumulate slices into a tensor at indices (gather's adjoint)";
  let description = [{
    Starts from `init` and adds `updates[a..., i..., b...]` into
    `result[a..., indices[i...], b...]`; repeated indices accumulate. This is
    the vector-Jacobian product of dlcc.gather (the embedding gradient).
    Accumulation order is fixed (by destination), never atomic.

    ```mlir
    %g = dlcc.scatter_add %ids, %dy into %zeros, axis = 0
        : (tensor<2x8xi64>, tensor<2x8x16xf32>, tensor<100x16xf32>) -> tensor<100x16xf32>
    ```
  }];
  let arguments = (ins Dlcc_IndexTensor:$indices, Dlcc_Tensor:$updates,
                       Dlcc_Tensor:$init, I64Attr:$axis);
  let results = (outs Dlcc_Tensor:$result);
  let assemblyFormat = [{
    $indices `,` $updates `into` $init `,` `axis` `=` $axis attr-dict `:`
    functional-type(operands, $result)
  }];
  let hasVerifier = 1;
}

def Dlcc_ScatterElementsOp : Dlcc_Op<"scatter_elements", [Pure,
    AllTypesMatch<["data", "result"]>,
    AllShapesMatch<["indices", "updates"]>]> {
  let summary = "scatter elements along one axis (ONNX ScatterElements)";
  let description = [{
    Starts from `data`; `updates[i...]` goes to the position `i...` with
    the `axis` coordinate replaced by `indices[i...]` (negative counts from
    the end), combined with what is there by `reduction` (`none`: the
    update replaces it; several updates to one place combine in index order,
    the last winning for `none`). Indices and updates have the data's shape
    but along `axis`. Owned by destination (no atomics); an index outside
    the axis is dropped.

    ```mlir
    %y = dlcc.scatter_elements add %upd at %idx into %x, axis = 1
        : (tensor<3x4xf32>, tensor<3x2xi64>, tensor<3x2xf32>) -> tensor<3x4xf32>
    ```
  }];
  let arguments = (ins Dlcc_ScatterReduction:$reduction, Dlcc_Tensor:$data,
                       Dlcc_IndexTensor:$indices, Dlcc_Tensor:$updates,
                       I64Attr:$axis);
  let results = (outs Dlcc_Tensor:$result);
  let assemblyFormat = [{
    $reduction $updates `at` $indices `into` $data `,` `axis` `=` $axis
    attr-dict `:` functional-type(operands, $result)
  }];
  let hasVerifier = 1;
}

def Dlcc_ScatterNdOp : Dlcc_Op<"scatter_nd", [Pure,
    AllTypesMatch<["data", "result"]>]> {
  let summary = "scatter slices at index tuples (ONNX ScatterND)";
  let description = [{
    `indices` is `[P, m]`: P tuples of m coordinates (negative counts from
    the end); `updates[p, ...]` goes to `data[indices[p, 0..m-1], ...]`,
    combined by `reduction` as dlcc.scatter_elements does (in tuple order,
    owned by destination; a tuple outside the data is dropped).

    ```mlir
    %y = dlcc.scatter_nd none %upd at %idx into %x
        : (tensor<4x5xf32>, tensor<2x1xi64>, tensor<2x5xf32>) -> tensor<4x5xf32>
    ```
  }];
  let arguments = (ins Dlcc_ScatterReduction:$reduction, Dlcc_Tensor:$data,
                       Dlcc_IndexTensor:$indices, Dlcc_Tensor:$updates);
  let results = (outs Dlcc_Tensor:$result);
  let assemblyFormat = [{
    $reduction $updates `at` $indices `into` $data attr-dict `:`
    functional-type(operands, $result)
  }];
  let hasVerifier = 1;
}

def Dlcc_ReduceOp : Dlcc_Op<"reduce", [Pure, InferTypeOpAdaptor]> {
  let summary = "reduce dimensions with sum, product, max or min";
  let description = [{
    Reduces the listed dimensions (strictly increasing), which are removed from
    the result. The combine order is fixed, so results are deterministic.

    ```mlir
    %s = dlcc.reduce sum %x, dims = [1] : (tensor<4x8xf32>) -> tensor<4xf32>
    ```
  }];
  let arguments = (ins Dlcc_ReduceKind:$kind, Dlcc_Tensor:$operand,
                       DenseI64ArrayAttr:$dims);
  let results = (outs Dlcc_Tensor:$result);
  let assemblyFormat = [{
    $kind $operand `,` `dims` `=` $dims attr-dict `:` functional-type($operand, $result)
  }];
  let hasFolder = 1;
}

def Dlcc_ArgReduceOp : Dlcc_Op<"arg_reduce", [Pure]> {
  let summary = "index of the maximum or minimum along one dimension";
  let description = [{
    Removes `dimension`; ties resolve to the first index, or the last with
    `select_last_index`.

    ```mlir
    %i = dlcc.arg_reduce argmax %x, dim = 1 : (tensor<4x8xf32>) -> tensor<4xi64>
    ```
  }];
  let arguments = (ins Dlcc_ArgReduceKind:$kind, Dlcc_Tensor:$operand,
                       I64Attr:$dimension, UnitAttr:$select_last_index);
  let results = (outs StaticShapeTensorOf<[I64]>:$result);
  let assemblyFormat = [{
    $kind $operand `,` `dim` `=` $dimension attr-dict `:`
    functional-type($operand, $result)
  }];
  let hasVerifier = 1;
}

def Dlcc_CumSumOp : Dlcc_Op<"cumsum", [Pure, SameOperandsAndResultType]> {
  let summary = "cumulative sum along one dimension";
  let description = [{
    Inclusive by default; `exclusive` shifts by one (first element 0),
    `reverse` sums from the end.

    ```mlir
    %c = dlcc.cumsum %x, dim = 1 {reverse} : tensor<4x8xf32>
    ```
  }];
  let arguments = (ins Dlcc_Tensor:$operand, I64Attr:$dimension,
                       UnitAttr:$exclusive, UnitAttr:$reverse);
  let results = (outs Dlcc_Tensor:$result);
  let assemblyFormat = "$operand `,` `dim` `=` $dimension attr-dict `:` type($result)";
  let hasVerifier = 1;
}
