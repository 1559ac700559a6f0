//===- Passes.td - library calls and the memory plan of a program -===//
#ifndef DLCC_PROGRAM_PASSES_TD
#define DLCC_PROGRAM_PASSES_TD

include "mlir/Pass/PassBase.td"

def SelectLibraryCallsPass : Pass<"dlcc-select-library-calls", "mlir::ModuleOp"> {
  let summary = "decide which matmuls and convolutions run as library calls";
  let description = [{
    Runs on the dlcc dialect, first in the kernel-formation phase: the ops
    themselves say what they compute, so nothing is recognised again after
    lowering. Each selected op moves into a kernel function of its own,
    `<entry>_<kind>[_n]` (private, `dlcc.kernel`), called from the entry
    point, with `dlcc.library_call` set to its typed descriptor: the
    decision travels on the function, which no rewriting of the kernel's
    body can drop. Its body (the op, lowered by the passes after) is kept
    for the record and for bufferization, which appends the result as an
    out-parameter (argument 2); it is never compiled. With
    `generated-gemm` (`generated-conv`) no matmul (convolution) is
    selected: they stay generated kernels, the mode that tests those
    kernels against the libraries.

    Every operand and result must be a static, non-empty f32 tensor.

    - `dlcc.matmul` becomes `#dlcc.gemm_call` (A argument 0, B 1, C 2),
      row-major: `trans_a` / `trans_b` from the op's transposes, batch
      dimensions flattened into `batch`; a 2-d rhs shared by every batch
      has `stride_b = 0`, or, when lhs is not transposed, the batch folds
      into `m` (one `[batch*m, k] x [k, n]` GEMM). Strides are 0 without a
      batch.
    - `dlcc.convolution` (1 to 3 spatial dims, any groups) becomes
      `#dlcc.conv_call<kind = forward, x = 0, w = 1, y = 2>` with the op's
      shapes and geometry, `pads` its low then high padding, where cuDNN's
      symmetric padding (the low padding at both ends) gives the same output
      sizes (the runtime's one rule, ConvolutionGeometry.h); otherwise the
      input is first padded by an explicit `dlcc.pad` of zeros and the call
      has no padding.
    - `dlcc.convolution_backward_data` (ConvTranspose, and the data gradient
      of training) becomes `kind = backward_data` with dy argument 0, w 1,
      dx 2 (the descriptor's `y`, `w`, `x`) and the forward convolution's
      shapes, where symmetric padding gives dx's sizes; otherwise it stays
      generated kernels.
    - `dlcc.convolution_backward_filter` becomes `kind = backward_filter`
      with x argument 0, dy 1, dw 2, padding as for a forward convolution.

    ```mlir
    func.func private @main_gemm(%a: tensor<8x32xf32>, %b: tensor<16x32xf32>)
        -> tensor<8x16xf32> attributes {dlcc.kernel,
        dlcc.library_call = #dlcc.gemm_call<a = 0, b = 1, c = 2, m = 8, n = 16,
          k = 32, batch = 1, trans_a = false, trans_b = true, lda = 32,
          ldb = 32, ldc = 16, stride_a = 0, stride_b = 0, stride_c = 0,
          element_type = f32, compute_type = f32>} {
      %0 = dlcc.matmul %a, %b transpose_rhs
          : (tensor<8x32xf32>, tensor<16x32xf32>) -> tensor<8x16xf32>
      return %0 : tensor<8x16xf32>
    }
    ```
  }];
  let options = [
    Option<"generatedGemm", "generated-gemm", "bool", /*default=*/"false",
           "select no matmul: every GEMM stays a generated kernel">,
    Option<"generatedConv", "generated-conv", "bool", /*default=*/"false",
           "select no convolution: every convolution stays a generated kernel">
  ];
  let dependentDialects = ["mlir::func::FuncDialect"];
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
    point with a backward pass (calls located in `dlcc.backward` fused
    locations) also gets, for the program point where the most buffer
    bytes are live, `dlcc.peak_forward_bytes` (buffers first touched
    before the backward pass: activations it keeps) and
    `dlcc.peak_backward_bytes` (its gradients and temporaries). An entry
    point without allocs gets no attributes. Allocs must have static
    shapes and identity layouts; entry points must be one block.
  }];
}

def DeduplicateKernelsPass : Pass<"dlcc-deduplicate-kernels", "mlir::ModuleOp"> {
  let summary = "keep one copy of each generated kernel";
  let description = [{
    Runs last in the planning phase, before the kernels are compiled: every
    generated kernel (`dlcc.kernel` with launch sizes, not a library call)
    that is identical to an earlier one (same signature, same attributes
    but its name, same body up to locations) is erased and its calls go to
    the earlier one. A transformer's layers, and the forward pass that
    `forward`, `eval` and `train_step` each contain, then compile once: a
    BERT-base training program's 1,015 generated kernels become 57.
  }];
}

#endif // DLCC_PROGRAM_PASSES_TD
