//===- Passes.td - library calls and the memory plan of a program -===//
#ifndef DLCC_PROGRAM_PASSES_TD
#define DLCC_PROGRAM_PASSES_TD

include "mlir/Pass/PassBase.td"

def SelectLibraryCallsPass : Pass<"dlcc-select-library-calls", "mlir::ModuleOp"> {
  let summary = "mark the kernels that a vendor library call replaces";
  let description = [{
    Runs after `dlcc-form-dispatches`, on kernels still on tensors. A kernel
    whose body is one contraction `C[batch.., m, n] = sum_k A[.., m, k] *
    B[.., k, n]` (a named contraction or a `linalg.generic` with two
    inputs, one reduction loop,
    payload `out + a * b`, output initialised by a `linalg.fill` of zero,
    f32 operands) gets `dlcc.library_call`, a dictionary with the row-major
    GEMM descriptor the runtime hands to cuBLASLt / oneDNN:

    - `kind = "gemm"`, `a`, `b` (the kernel argument indices of A and B),
      `c` (the argument index C will have once bufferization appends the
      result as an out-parameter: the number of inputs);
    - `m`, `n`, `k`, `batch`, `trans_a`, `trans_b`, `lda`, `ldb`, `ldc`,
      `stride_a`, `stride_b`, `stride_c` (elements).

    A stored `[.., k, m]` is `trans_a`, B stored `[.., n, k]` is `trans_b`.
    All batch dimensions are flattened into `batch`; an operand without
    them is broadcast (`stride = 0`), and a non-transposed A whose batch
    dimensions B lacks is folded into `m` (one larger GEMM). Other
    contractions (partial broadcasts, non-zero initial values, integer or
    f64 types, which oneDNN does not multiply) stay generated kernels.

    A kernel whose body is one `linalg.conv_2d_nchw_fchw` (groups 1, f32,
    output initialised by a zero fill, input and filter kernel arguments)
    gets `kind = "conv_forward"` with `x`, `w`, `y` (argument indices as
    for GEMMs), `input_shape`, `filter_shape`, `output_shape`, `strides`,
    `pads`, `dilations` and `groups`: the descriptor the runtime hands to
    cuDNN / oneDNN. The grouped-view `linalg.generic` DlccToLinalg writes for
    every other convolution (groups > 1, 1-d, 3-d: x `[N, G, C/G, D...]`, w
    `[G, O/G, C/G, K...]`, y `[N, G, O/G, E...]`, payload `acc + x * w`,
    input index `e * stride + k * dilation`) gets the same descriptor on the
    dense shapes with `groups = G` (the views share the dense bytes).
    The zero padding of a convolution is a kernel of its own before it; when
    that kernel only pads (zero, the same amount at both ends of each
    spatial dim, as cuDNN pads), it folds into the call: the entry point
    calls a clone of the convolution kernel (`<name>_padded`) on the
    unpadded tensor, whose body pads first and whose descriptor carries the
    pads, and the pad kernel's call goes when nothing else reads it. A
    grouped convolution's input is the channel-splitting `expand_shape` of
    the padded tensor: the call then takes the same view of the unpadded
    tensor, and the clone pads the view's spatial dims.

    A convolution's data gradient (`dlcc.convolution_backward_data`,
    ONNX's ConvTranspose) is lowered to two kernels, the spread of dy over
    zeros and a contraction with the flipped filter, marked with the forward
    convolution's geometry (ConvolutionHints.h). Where the contraction's
    maps are those of that geometry, its `t` operand is the result of a
    call of the spread kernel read by nothing else, and cuDNN's symmetric
    padding (the begin padding at both ends) gives the same sizes, the two
    calls become one call of `<contraction>_backward_data(dy, w)` (both
    bodies, for the record) with `kind = "conv_backward_data"`, `dy`, `w`,
    `dx` (0, 1, 2) and the forward convolution's descriptor (`input_shape`
    is dx's, `output_shape` dy's). Otherwise the generated kernels stay.
    The filter gradient's contraction (marked the same way; x's grouped
    view [N, G, C/G, Dp...], dy's [N, G, O/G, E...], loops [G, O/G, C/G,
    K..., N, E...]) gets `kind = "conv_backward_filter"` with `x`, `dy`,
    `dw` and the forward descriptor; its padding folds like a forward
    convolution's.

    The kernel itself is left as it is: with `generated-gemm` (or
    `generated-conv`) the mark is not set and every GEMM (convolution) runs
    as a generated kernel (the mode that tests the generated kernels against
    the libraries).

    ```mlir
    func.func private @f_kernel_0(%a: tensor<8x32xf32>, %b: tensor<16x32xf32>)
        -> tensor<8x16xf32> attributes {dlcc.kernel,
        dlcc.library_call = {kind = "gemm", a = 0, b = 1, c = 2, m = 8, n = 16,
                             k = 32, batch = 1, trans_a = false, trans_b = true,
                             lda = 32, ldb = 32, ldc = 16, ...}}
    ```
  }];
  let options = [
    Option<"generatedGemm", "generated-gemm", "bool", /*default=*/"false",
           "mark no GEMM: every GEMM stays a generated kernel">,
    Option<"generatedConv", "generated-conv", "bool", /*default=*/"false",
           "mark no convolution: every convolution stays a generated kernel">
  ];
  let dependentDialects = ["mlir::linalg::LinalgDialect"];
}

def PlanMemoryPass : Pass<"dlcc-plan-memory", "mlir::ModuleOp"> {
  let summary = "plan arena offsets for the entry points' buffers";
  let description = [{
    Runs after `dlcc-bufferize-kernels`. In every public function with a
    body (an entry point; `dlcc.kernel` functions are skipped), each
    top-level `memref.alloc` gets a live interval in the straight-line
    schedule: from the alloc to the last use of the buffer or of any value
    derived from it (`bufferization.to_tensor` results, views, anything
    else with a memref or tensor result that uses it, transitively), so a
    buffer that reaches the `return` (an output) stays live to the end.
    A use nested in a region counts at its top-level ancestor.

    Offsets in one arena are then assigned greedily: buffers sorted by size
    (largest first; ties by earlier start), each placed best-fit in the
    smallest gap between the already placed buffers whose intervals overlap
    its own in time (inclusive), else above the highest of them. Offsets
    are multiples of 256 bytes (or of the alloc's `alignment` if larger).
    The pass checks that no two buffers live at the same time overlap in
    `[offset, offset + size)` and fails otherwise.

    Recorded, without rewriting the allocs (the executor places them):
    `dlcc.arena_offset` (i64) on each alloc; on the function
    `dlcc.arena_bytes` (the planned peak, max of `offset + size`) and
    `dlcc.unplanned_peak_bytes` (the sum of all alloc sizes). An entry
    point without allocs gets no attributes. Allocs must have static
    shapes and identity layouts; entry points must be one block.
  }];
}

#endif // DLCC_PROGRAM_PASSES_TD
