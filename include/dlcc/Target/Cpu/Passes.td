//===- Passes.td - CPU code generation for dlcc kernels --------------------===//
#ifndef DLCC_TARGET_CPU_PASSES_TD
#define DLCC_TARGET_CPU_PASSES_TD

include "mlir/Pass/PassBase.td"

def OutlineCpuKernelsPass : Pass<"dlcc-outline-cpu-kernels", "mlir::ModuleOp"> {
  let summary = "copy the tiled kernels into a nested module for the CPU";
  let description = [{
    Runs after `dlcc-plan-memory`. Copies every tiled kernel (a function with
    `dlcc.kernel` and `dlcc.grid` that is neither a library call nor
    `dlcc.no_work`), and the top-level symbols the kernels reference
    (constants), into one nested `builtin.module @<module-name>`, where the
    CPU pipeline (`dlcc-map-kernels-to-cpu` and the lowering to the LLVM
    dialect, nested on `builtin.module`) turns them into the functions of
    the CPU shared object. The entry points and the original kernels stay
    in the outer module: they describe the program (entry points, GPU
    mapping). A module without tiled kernels gets no nested module.

    ```mlir
    module {
      func.func @forward(...) { call @forward_kernel_0(...) ... }
      func.func private @forward_kernel_0(...) attributes {dlcc.kernel, dlcc.grid = 4 : i64, ...}
    }
    // becomes
    module {
      func.func @forward(...) { ... }
      func.func private @forward_kernel_0(...) attributes {...}
      module @dlcc_cpu_kernels {
        func.func private @forward_kernel_0(...) attributes {...}
      }
    }
    ```
  }];
  let options = [
    Option<"moduleName", "module-name", "std::string",
           /*default=*/"kCpuKernelModuleName.str()",
           "name of the nested module holding the CPU kernels">
  ];
}

def MapKernelsToCpuPass : Pass<"dlcc-map-kernels-to-cpu", "mlir::ModuleOp"> {
  let summary = "give every tiled kernel a block range [block_begin, block_end)";
  let description = [{
    Runs after `dlcc-tile-kernels`. Every kernel function (`dlcc.kernel`
    with `dlcc.grid`) has one top-level block loop (`scf.parallel`) with
    constant bounds. The pass
      - prepends two `index` arguments `block_begin`, `block_end` (the
        exported ABI is `void k(int64_t block_begin, int64_t block_end,
        <one bare pointer per memref>)`),
      - replaces the block loop by a 1-D loop over the linear block range
        `[block_begin, block_end)`; a multi-dimensional block loop is
        linearised over its trip counts and the original indices recovered
        with `affine.delinearize_index`,
      - records `dlcc.block_count` (the number of linear blocks, the
        product of the trip counts; equal to `dlcc.grid`),
      - makes the kernel public (an exported symbol).
    Thread loops (`scf.parallel` with `scf.reduce`) run in sequence
    (`convert-scf-to-cf`), which is barrier semantics. A thread loop whose
    only op is a loop striding over a row from the thread index by the
    block size (block-per-row and row kernels) becomes that loop from 0 by
    1, which vectorizes; a reduction's combine in it is marked `reassoc`
    and its result combined with the thread loop's initial value. Other
    thread loops are left as they are; the combine of a thread loop's
    partials is marked `reassoc` too (one fixed order per artifact). Functions that call kernels (the host entry point, whose
    calls no longer match) are erased: on the CPU the runtime drives the
    kernels. With `kernels-only` (the default) every other top-level op that
    the kernels do not reference (state slots, ...) is erased too, so that
    the module lowers to a library of kernels only.

    ```mlir
    func.func private @f_kernel_0(%x: memref<1024xf32>, %y: memref<1024xf32>)
        attributes {dlcc.kernel, dlcc.grid = 4 : i64, dlcc.block = 256 : i64} {
      scf.parallel (%b) = (%c0) to (%c4) step (%c1) { ... }
      return
    }
    // becomes
    func.func @f_kernel_0(%begin: index, %end: index, %x: memref<1024xf32>,
        %y: memref<1024xf32>) attributes {dlcc.block_count = 4 : i64, ...} {
      scf.parallel (%b) = (%begin) to (%end) step (%c1) { ... }
      return
    }
    ```
  }];
  let options = [
    Option<"kernelsOnly", "kernels-only", "bool", /*default=*/"true",
           "keep only the kernels and the symbols they reference">
  ];
  let dependentDialects = ["mlir::affine::AffineDialect",
                           "mlir::arith::ArithDialect",
                           "mlir::scf::SCFDialect"];
}

def ExpandArithForCpuPass : Pass<"dlcc-cpu-expand-arith"> {
  let summary = "upstream arith-expand without the float min/max expansion";
  let description = [{
    Expands what `convert-arith-to-llvm` cannot lower: integer ceil/floor
    divisions (`arith.ceildivsi`, `arith.floordivsi`, `arith.ceildivui`) and
    the bf16 conversions (`arith.extf`/`arith.truncf` to and from bf16, as
    integer round-to-nearest-even: gcc 12's libgcc has no __truncsfbf2).
    Unlike `arith-expand`,
    it leaves `arith.maximumf`, `arith.minimumf`, `arith.maxnumf` and
    `arith.minnumf` alone: they become `llvm.maximum`/`llvm.minimum`/... ,
    which LLVM's vectorizers recognise (maxnum/minnum reductions in loops;
    `dlcc-map-kernels-to-cpu` turns a row's NaN-propagating max into one),
    where the compare-and-select expansion is not.

    ```mlir
    %q = arith.ceildivsi %a, %b : i64   // becomes divsi/select arithmetic
    %m = arith.maximumf %x, %y : f32    // stays
    ```
  }];
  let dependentDialects = ["mlir::arith::ArithDialect"];
}

def ByteBooleansPass : Pass<"dlcc-cpu-byte-booleans"> {
  let summary = "load and store i1 values in memory as the bytes they are";
  let description = [{
    A boolean tensor element is one byte (0 or 1). On the LLVM dialect,
    every scalar `llvm.load` of `i1` becomes a load of `i8` and a compare
    with zero (any nonzero byte is true, as in NumPy), and every `llvm.store`
    of `i1` a zero extension and a store of `i8`. The meaning is the same,
    but LLVM's loop vectorizer does not widen `i1` memory accesses (in
    memory an `<8 x i1>` would be packed bits, not eight bytes): a loop
    reading a mask (a causal attention softmax) was loading it byte by byte
    into vector lanes, 2.3x slower than with the byte loads.

    ```mlir
    %b = llvm.load %p : !llvm.ptr -> i1
    // becomes
    %w = llvm.load %p : !llvm.ptr -> i8
    %b = llvm.icmp "ne" %w, %zero : i8
    ```
  }];
  let dependentDialects = ["mlir::LLVM::LLVMDialect"];
}

#endif // DLCC_TARGET_CPU_PASSES_TD
