//===- Passes.td - dlcc dialect transformation passes ----------------------===//
#ifndef DLCC_DIALECT_DLCC_TRANSFORMS_PASSES_TD
#define DLCC_DIALECT_DLCC_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def FormDispatchesPass : Pass<"dlcc-form-dispatches", "mlir::ModuleOp"> {
  let summary = "outline every kernel of the entry points into its own function";
  let description = [{
    Runs on linalg on tensors (after `dlcc-convert-to-linalg` and fusion).
    In every public function with a body (an entry point), each kernel root
    is outlined into a new `func.func private @<entry>_kernel_<N>`, numbered
    in program order, and replaced by a `func.call`. Kernel roots are the
    linalg structured ops (and any other op of the linalg dialect),
    `tensor.pad`, `tensor.concat` and `tensor.insert_slice`. One root makes
    one kernel; a `linalg.fill` whose only use is the `outs` init of a root
    goes into that root's kernel.

    A kernel's arguments are the values the group reads from the entry point,
    in order of first use: its operands, then values its regions capture.
    These are cloned into the kernel instead: `tensor.empty` (an
    uninitialised tensor carries no data), scalar constants, splat tensor
    constants of at most `max-cloned-splat-elements` elements, and
    `tensor.extract` of a scalar (its source tensor becomes the argument, so
    no kernel input is a scalar read back from device memory). Other
    `arith.constant` tensors become arguments. The kernel's results are all
    results of its root. Pure shape ops (`tensor.collapse_shape`,
    `expand_shape`, `cast`, `extract_slice`, ...) stay in the entry point as
    views, as does everything that is not a kernel root.

    Each kernel function carries `dlcc.kernel`, `dlcc.kernel_flops` (i64:
    iteration-space size times the number of arith/math ops in the payload,
    constants excluded, so a multiply-add counts 2; 0 for pure data
    movement) and `dlcc.kernel_bytes` (i64: bytes of all tensor arguments
    and results). Dynamic extents count as 1 in both estimates.

    ```mlir
    func.func @forward(%x: tensor<4xf32>) -> tensor<4xf32> {
      %e = tensor.empty() : tensor<4xf32>
      %r = linalg.generic {...} ins(%x : tensor<4xf32>) outs(%e : tensor<4xf32>) {...}
      return %r : tensor<4xf32>
    }
    // becomes
    func.func @forward(%x: tensor<4xf32>) -> tensor<4xf32> {
      %r = call @forward_kernel_0(%x) : (tensor<4xf32>) -> tensor<4xf32>
      return %r : tensor<4xf32>
    }
    func.func private @forward_kernel_0(%x: tensor<4xf32>) -> tensor<4xf32>
        attributes {dlcc.kernel, dlcc.kernel_bytes = 32 : i64,
                    dlcc.kernel_flops = 4 : i64} {
      %e = tensor.empty() : tensor<4xf32>
      %r = linalg.generic {...} ins(%x : tensor<4xf32>) outs(%e : tensor<4xf32>) {...}
      return %r : tensor<4xf32>
    }
    ```
  }];
  let options = [
    Option<"maxClonedSplatElements", "max-cloned-splat-elements", "int64_t",
           /*default=*/"1024",
           "splat tensor constants with at most this many elements are "
           "cloned into the kernels that read them; larger ones are passed "
           "as arguments">
  ];
  let dependentDialects = ["mlir::func::FuncDialect"];
}

def FuseElementwisePass : Pass<"dlcc-fuse-elementwise"> {
  let summary = "fuse elementwise producers into consumers without recomputation";
  let description = [{
    Producer/consumer fusion of linalg ops on tensors (upstream's elementwise
    fusion patterns) under one rule: a producer is fused into a consumer with
    reduction loops only when the consumer reads each produced element exactly
    once (the operand's indexing map is a permutation of all loops). So
    `exp` fuses into a softmax row sum, bias+activation chains fuse with each
    other and into the elementwise epilogue, but a LayerNorm or GELU prologue
    is not recomputed inside every step of the next matmul's reduction, which
    is what upstream's unrestricted `linalg-fuse-elementwise-ops` does.
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect",
                           "mlir::tensor::TensorDialect"];
}

#endif // DLCC_DIALECT_DLCC_TRANSFORMS_PASSES_TD
