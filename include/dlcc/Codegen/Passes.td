//===- Passes.td - kernel formation, bufferization and tiling -===//
#ifndef DLCC_CODEGEN_PASSES_TD
#define DLCC_CODEGEN_PASSES_TD

include "mlir/Pass/PassBase.td"

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

def FormDispatchesPass : Pass<"dlcc-form-dispatches", "mlir::ModuleOp"> {
  let summary = "outline every kernel of the entry points into its own function";
  let description = [{
    Runs on linalg on tensors (after `dlcc-convert-to-linalg` and fusion).
    In every public function with a body (an entry point), each kernel root
    is outlined into a new `func.func private @<entry>_kernel_<N>`, numbered
    in program order, and replaced by a `func.call`. Kernel roots are the
    linalg structured ops (and any other op of the linalg dialect),
    `tensor.pad`, `tensor.concat`, `tensor.insert_slice`, and
    `tensor.extract_slice` when it is not one contiguous range of its source
    (a strided gather; contiguous slices stay views). One root makes
    one kernel; a `linalg.fill` whose only use is the `outs` init of a root
    goes into that root's kernel.

    Row kernels (RowKernels.h) are the exception: an all-parallel
    `linalg.generic` takes into its kernel the per-row ops it reads through
    the row map `(d0, ..., dk-1)` (row reductions `out = combine(out, ...)`
    with their fills, and elementwise ops over the k row dimensions), over
    the same k leading extents, transitively, and the per-row ops before it
    that read one of those through the row map (an inverse standard
    deviation from a variance). A member whose value the entry point reads
    after the root is also a result of the kernel; one read before the
    root, or by the group other than through the row map, leaves it (a
    root with members of its own never joins another). Softmax (max, sum
    of exp, normalise) and layer normalisation (sum, mean, sum of squares,
    normalise; ONNX's LayerNormalization with its Mean and InvStdDev
    outputs too) become one kernel each; `dlcc-tile-kernels` gives it one
    block per row.

    A kernel whose results all have zero elements is marked `dlcc.no_work`:
    nothing compiles or launches it.

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

def ExpandMathPass : Pass<"dlcc-expand-math", "mlir::ModuleOp"> {
  let summary = "expand math ops in kernels into device-independent arithmetic";
  let description = [{
    Runs on the kernel functions (`dlcc.kernel`) before they are mapped to a
    device, so that the CPU and the GPU compute the same function with no
    library call:

    - every f32 `math.erf`, `exp`, `expm1`, `log`, `log1p`, `log2` and `tanh`
      becomes upstream's polynomial approximation
      (`populateMathPolynomialApproximationPatterns`: range reduction plus a
      polynomial, a few ulp of error, special values kept) instead of libm's
      (CPU) and libdevice's (GPU) different functions (one result on both);
      CPU loops then keep no calls and vectorize (GELU and softmax were the
      slowest elementwise kernels of a transformer). f64 keeps the library
      calls (finite-difference checks want them exact);
    - `math.ipowi` (ONNX Pow on integers), which neither device has,
      becomes exponentiation by squaring over the exponent's bits (a loop of
      `bitwidth` steps with selects; for a negative exponent the result is
      integer division's: 1 for base 1, +-1 for base -1, else 0).

    ```mlir
    %y = math.erf %x : f32
    // becomes arith / math.fma ops only (no call)
    %p = math.ipowi %b, %e : i64
    // becomes an scf.for over 64 bits of %e
    ```
  }];
  let dependentDialects = ["mlir::arith::ArithDialect", "mlir::math::MathDialect",
                           "mlir::scf::SCFDialect", "mlir::vector::VectorDialect"];
}

def BufferizeKernelsPass : Pass<"dlcc-bufferize-kernels", "mlir::ModuleOp"> {
  let summary = "bufferize the kernel functions with caller-provided outputs";
  let description = [{
    Runs after `dlcc-form-dispatches`. Every kernel function (`dlcc.kernel`)
    is bufferized at its function boundary with One-Shot Bufferize (identity
    layouts, so a `tensor<64x1000xf32>` argument becomes a plain
    `memref<64x1000xf32>`) and its results become trailing out-parameters:
    a kernel ends up as `(memref inputs..., memref outputs...) -> ()`.

    - Inputs are read-only: a kernel that would write into one of its
      arguments (an `outs` init passed in) copies it into its output
      instead. In-place reuse is the memory planner's decision, not ours.
    - Before bufferizing, `tensor.pad` with a constant padding value becomes
      one `linalg.generic` over the padded result (an in-bounds test per
      element), so a pad is one thread phase later; `tensor.concat` and a
      returned strided `tensor.extract_slice` likewise become one generic
      over their result that reads the right input at computed indices; `tensor.empty` reshapes
      are folded so results are allocated in their final shape.
    - No allocation may stay inside a kernel: every result allocation is
      hoisted into an out-parameter; any other `memref.alloc` (a
      temporary) is reported as an error. Two exceptions stay until
      `dlcc-tile-kernels` removes them: a shape-only operand (a
      `tensor.empty` passed as a linalg input whose payload argument is
      unused, a pooling window, only gives a loop its extent) and a
      static buffer that only linalg ops use (the per-row values of a row
      kernel, which become registers; `dlcc-tile-kernels` rejects it if the
      ops do not form a row kernel). Shapes must be static.

    The entry points keep their tensors: each call of a kernel becomes
    `bufferization.to_buffer {read_only}` of the inputs, a `memref.alloc`
    per output, the call, and `bufferization.to_tensor restrict writable`
    of the outputs. The graph-level memory plan later replaces those
    allocations by arena slots.

    ```mlir
    %r = call @f_kernel_0(%x) : (tensor<4xf32>) -> tensor<4xf32>
    // becomes
    %xb = bufferization.to_buffer %x read_only : tensor<4xf32> to memref<4xf32>
    %o = memref.alloc() {alignment = 64 : i64} : memref<4xf32>
    call @f_kernel_0(%xb, %o) : (memref<4xf32>, memref<4xf32>) -> ()
    %r = bufferization.to_tensor %o restrict writable : memref<4xf32> to tensor<4xf32>
    ```
  }];
  let dependentDialects = [
    "mlir::bufferization::BufferizationDialect",
    "mlir::memref::MemRefDialect",
    "mlir::linalg::LinalgDialect",
    "mlir::scf::SCFDialect",
    "mlir::arith::ArithDialect",
    "mlir::tensor::TensorDialect"
  ];
}

def TileKernelsPass : Pass<"dlcc-tile-kernels", "mlir::ModuleOp"> {
  let summary = "give every bufferized kernel the block-loop / thread-loop form";
  let description = [{
    Runs after `dlcc-bufferize-kernels`. Each kernel function's linalg op
    (named ops are generalized; a `linalg.fill` or `memref.copy` that only
    initialises the op's output is folded into it as the initial value) is
    rewritten into the kernel form shared by the GPU and CPU mappings: one
    block loop `scf.parallel (%b) = 0 to G` containing one thread loop
    `scf.parallel (%t) = 0 to T`. The kernel records `dlcc.grid = G` and
    `dlcc.block = T` (i64) and `dlcc.schedule` (string) naming the strategy:

    - `elementwise` (no reduction loops): the iteration space is flattened,
      `T = min(threads-per-block, N rounded up to 32)` threads per block,
      `G = ceil(N / T)`; each thread handles one point under an
      `i < N` guard. A flattened index is split into the loop indices
      with 32-bit divisions when the space has fewer than 2^31 points
      (cheaper on GPUs; on the CPU, divisions by a constant that LLVM
      vectorizes, which 64-bit ones are not).
    - `block-per-row` (a reduction whose payload is
      `out = combine(out, f(inputs))` for a commutative, associative
      `combine` with a neutral element, one output, at least 32 reduction
      points, and not a contraction, i.e. no two inputs read along the
      reduction that each miss a parallel loop the other one uses, as a
      matmul's operands do (broadcast operands such as a bias do not
      count): softmax, layer-norm and batch-norm statistics, sums to a
      scalar): one block per output element, a thread loop with
      `scf.reduce(combine)` over strided partials of the flattened reduction
      space, then `out = combine(init, total)`, stored by every thread (the
      same value).
    - `thread-per-output` (every other reduction: matmul, convolution,
      pooling, multi-output reductions): the output space is flattened like
      `elementwise` and each thread runs the reduction loops serially:
      correct, not fast (no tiling, no shared memory, no tensor cores).

    A scalar `memref.load` of a kernel argument at the kernel's top level
    (a dropout key read from the RNG state) is moved into the payload, so
    every thread reads it on the device.

    - `row` (a kernel of several stages forming a row kernel, see
      RowKernels.h and `dlcc-form-dispatches`): one block per row of the k
      row dimensions; in the block loop, each stage in program order: a
      row reduction is a thread loop with `scf.reduce` (as block-per-row)
      whose combined value stays an SSA value held by every thread; an op
      over the row dimensions only is scalar code in the block loop; the
      last, all-parallel stage is a thread loop where each thread writes
      every T-th element of the row. Per-row values are read from those SSA
      values, never from memory, and their buffers are removed; one that
      is a kernel output is also stored (by every thread, the same value).

    Block-per-row and row kernels take `T = min(the largest power of two
    <= threads-per-block, the row length rounded up to a power of two, at
    least 32)`: upstream's `gpu.all_reduce` lowering is wrong for a warp
    count that is not a power of two.

    The thread loops always span the whole block (guards are inside), so a
    GPU block reduction is reached by every thread. Shape-only operand
    allocations left by bufferization (a pooling window) are removed. A
    kernel whose body does not reduce to one such op or one row kernel
    (several independent stages, unsupported ops, dynamic shapes) is an
    error. Kernels that already carry `dlcc.grid` are skipped.

    Only common subexpressions are eliminated afterwards: canonicalization
    would fold a one-block loop and merge the two levels, losing the
    mapping (hence no canonicalize between tiling and the GPU
    mapping).

    ```mlir
    // 1000 points, elementwise: dlcc.grid = 4, dlcc.block = 256
    scf.parallel (%b) = (%c0) to (%c4) step (%c1) {
      scf.parallel (%t) = (%c0) to (%c256) step (%c1) {
        %i = arith.addi (%b * 256), %t
        scf.if (%i < 1000) { delinearize %i; load; payload; store }
      }
    }
    ```
  }];
  let options = [
    Option<"threadsPerBlock", "threads-per-block", "int64_t", /*default=*/"256",
           "largest number of threads per block (a multiple of 32)">
  ];
  let dependentDialects = [
    "mlir::scf::SCFDialect",
    "mlir::arith::ArithDialect",
    "mlir::memref::MemRefDialect"
  ];
}

#endif // DLCC_CODEGEN_PASSES_TD
