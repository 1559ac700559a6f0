//===- Passes.td - CUDA code generation for dlcc kernels -------------------===//
#ifndef DLCC_TARGET_CUDA_PASSES_TD
#define DLCC_TARGET_CUDA_PASSES_TD

include "mlir/Pass/PassBase.td"

def MapKernelsToGpuPass : Pass<"dlcc-map-kernels-to-gpu", "mlir::ModuleOp"> {
  let summary = "map the tiled kernels to one gpu.module and serialise it";
  let description = [{
    Runs after `dlcc-tile-kernels`. Every kernel function carrying
    `dlcc.grid` and `dlcc.block` (but not `dlcc.library_call` or
    `dlcc.no_work`: nothing launches those) has the form block loop / thread loops;
    its block loop becomes one `gpu.launch` (the loop index `blockIdx.x`)
    whose every thread runs the block loop's body. Each thread loop in it
    (a phase; it must span the whole block and not be nested) becomes its
    body with the index `threadIdx.x`; its `scf.reduce` becomes a uniform
    `gpu.all_reduce` (the same combining region) combined with the loop's
    initial value, so a per-row value computed by one phase is a register
    of every thread in the next. A `gpu.barrier` goes before an op (a
    phase or a block-level op) whose memory accesses may conflict with
    those since the last synchronisation (a read or write after a write, a
    write after a read; an all-reduce synchronises). A block
    reduction needs a power-of-two block: upstream's all-reduce lowering
    leaves partial results in some lanes, which all store to one shared
    word, when the warp count is not a power of two.

    Each launch is then outlined by this pass into
    `gpu.func @<kernel name>` of ONE `gpu.module @dlcc_kernels`: its
    parameters are exactly the kernel function's arguments in order (one
    pointer per memref with the bare-pointer convention, so PTX parameter
    `i` is memref argument `i`), `known_block_size = [block, 1, 1]` and
    `known_grid_size = [grid, 1, 1]`. The kernel function keeps its
    signature and now holds one `gpu.launch_func` with the recorded sizes.
    The module becomes a `gpu.container_module`.

    Then NVVM targets are attached (one per chip, `features`), the module
    is lowered (`lower-affine`, `convert-scf-to-cf`,
    `convert-gpu-to-nvvm{use-bare-ptr-memref-call-conv=1}`, canonicalize,
    cse, `reconcile-unrealized-casts`) and serialised with
    `gpu-module-to-binary{format toolkit}` into one `gpu.binary` holding a
    `#gpu.object` per chip: PTX text for `format=isa`, cubin for
    `format=bin`, a fatbin for `format=fatbin`. Two formats stop early and
    need no toolkit: `format=gpu` right after outlining (`gpu.func`s, no
    targets), `format=nvvm` after the NVVM conversion (`llvm.func`s with
    `nvvm.kernel`, targets attached).

    ```mlir
    func.func private @f_kernel_0(%x: memref<1024xf32>, %y: memref<1024xf32>)
        attributes {dlcc.kernel, dlcc.grid = 4 : i64, dlcc.block = 256 : i64} {
      scf.parallel (%b) = (%c0) to (%c4) step (%c1) {
        scf.parallel (%t) = (%c0) to (%c256) step (%c1) { ... }
      }
      return
    }
    // becomes
    func.func private @f_kernel_0(%x: memref<1024xf32>, %y: memref<1024xf32>) ... {
      gpu.launch_func @dlcc_kernels::@f_kernel_0 blocks in (%c4, %c1, %c1)
          threads in (%c256, %c1, %c1) args(%x : memref<1024xf32>, %y : memref<1024xf32>)
      return
    }
    gpu.binary @dlcc_kernels [#gpu.object<#nvvm.target<chip = "sm_80", features = "+ptx80">, "...">, ...]
    ```
  }];
  let options = [
    ListOption<"chips", "chips", "std::string",
               "GPU architectures to compile for (default sm_80,sm_90)">,
    Option<"features", "features", "std::string", /*default=*/"\"+ptx80\"",
           "PTX features of the NVVM targets">,
    Option<"format", "format", "std::string", /*default=*/"\"isa\"",
           "isa (PTX text), bin (cubin), fatbin; or stop early: gpu (after "
           "outlining), nvvm (after the NVVM conversion)">,
    Option<"toolkit", "toolkit", "std::string",
           /*default=*/"\"/usr/local/cuda\"",
           "CUDA toolkit path (libdevice, ptxas, fatbinary)">,
    Option<"moduleName", "module-name", "std::string",
           /*default=*/"kGpuKernelModuleName.str()",
           "name of the gpu.module (and gpu.binary) holding all kernels">
  ];
}

#endif // DLCC_TARGET_CUDA_PASSES_TD
