# The back end is one pass manager: MLIR's pass-manager options see every
# pass from import to the CPU's LLVM dialect and the GPU's PTX, phases can be
# printed, and a back-end failure reproduces in dlcc-opt from the reproducer.
# RUN: %python %s %t.onnx
# RUN: %dlcc %t.onnx --inference -o %t.bin --gpu-arch=none --mlir-print-ir-after-all 2>&1 >/dev/null | FileCheck %s --check-prefix=AFTER
# RUN: %dlcc %t.onnx --inference -o %t.bin --gpu-arch=none --mlir-timing 2>&1 >/dev/null | FileCheck %s --check-prefix=TIMING
# RUN: %dlcc %t.onnx --compile-to=planned | FileCheck %s --check-prefix=PLANNED
# RUN: %dlcc %t.onnx --compile-to=cpu-llvm --gpu-arch=none | FileCheck %s --check-prefix=CPU
# RUN: %dlcc %t.onnx --emit=kernels | FileCheck %s --check-prefix=KERNELS
# The same passes from dlcc-opt, from any phase:
# RUN: %dlcc %t.onnx --compile-to=kernels --print-weights -o %t.kernels.mlir
# RUN: dlcc-opt %t.kernels.mlir --dlcc-backend-pipeline="from=kernels to=cpu-llvm gpu-chips=none" | FileCheck %s --check-prefix=CPU
# RUN: not dlcc-opt %t.kernels.mlir --dlcc-backend-pipeline="from=gpu-ptx" 2>&1 | FileCheck %s --check-prefix=BADFROM
# RUN: not dlcc-opt %t.kernels.mlir --dlcc-backend-pipeline="from=planned to=kernels" 2>&1 | FileCheck %s --check-prefix=BACKWARD
# RUN: not %dlcc %t.onnx --compile-to=nowhere 2>&1 | FileCheck %s --check-prefix=BADPHASE
# A back-end failure (no CUDA toolkit where the GPU mapping needs one) writes
# a reproducer that fails the same way in dlcc-opt:
# RUN: rm -f %t.repro.mlir
# RUN: not %dlcc %t.onnx --inference -o %t.fail.bin --gpu-arch=sm_80 --cuda-toolkit=%t.missing --mlir-pass-pipeline-crash-reproducer=%t.repro.mlir 2>&1 | FileCheck %s --check-prefix=FAIL
# RUN: not dlcc-opt --run-reproducer %t.repro.mlir 2>&1 | FileCheck %s --check-prefix=FAIL
# RUN: FileCheck %s --check-prefix=REPRO < %t.repro.mlir

# Every pass, in order (the CPU half nested on its module):
# AFTER: IR Dump After Canonicalizer (canonicalize)
# AFTER: IR Dump After CSE (cse)
# AFTER: IR Dump After ExpandGradientsPass (dlcc-expand-gradients)
# AFTER: IR Dump After SelectLibraryCallsPass (dlcc-select-library-calls)
# AFTER: IR Dump After AnnotateIndexBoundsPass (dlcc-annotate-index-bounds)
# AFTER: IR Dump After ConvertDlccToLinalgPass (dlcc-convert-to-linalg)
# AFTER: IR Dump After FuseElementwisePass (dlcc-fuse-elementwise)
# AFTER: IR Dump After FormDispatchesPass (dlcc-form-dispatches)
# AFTER: IR Dump After ExpandMathPass (dlcc-expand-math)
# AFTER: IR Dump After BufferizeKernelsPass (dlcc-bufferize-kernels)
# AFTER: IR Dump After TileKernelsPass (dlcc-tile-kernels)
# AFTER: IR Dump After PlanMemoryPass (dlcc-plan-memory)
# AFTER: IR Dump After OutlineCpuKernelsPass (dlcc-outline-cpu-kernels)
# AFTER: IR Dump After MapKernelsToCpuPass (dlcc-map-kernels-to-cpu)
# AFTER-NEXT: module @dlcc_cpu_kernels
# AFTER: IR Dump After ConvertFuncToLLVMPass (convert-func-to-llvm)
# AFTER: IR Dump After ReconcileUnrealizedCastsPass (reconcile-unrealized-casts)
# AFTER-NEXT: module @dlcc_cpu_kernels
# AFTER: llvm.func @forward_kernel_

# TIMING: ONNX import
# TIMING: PlanMemoryPass
# TIMING: MapKernelsToCpuPass
# TIMING: shared object, cubins and artifact

# PLANNED: func.func @forward(
# PLANNED-SAME: dlcc.arena_bytes
# PLANNED-DAG: dlcc.library_call = #dlcc.gemm_call
# PLANNED-DAG: dlcc.grid
# PLANNED-NOT: module @dlcc_cpu_kernels

# CPU: module @dlcc_cpu_kernels {
# CPU: llvm.func @forward_kernel_{{[0-9]+}}(%{{.+}}: i64, %{{.+}}: i64, %{{.+}}: !llvm.ptr

# KERNELS: func.func private @forward_kernel_0({{.*}} attributes {dlcc.kernel
# KERNELS-NOT: dlcc.grid

# BADFROM: from= must be imported, mlir, kernels or planned, not 'gpu-ptx'
# BACKWARD: to=kernels comes before from=planned
# BADPHASE: Cannot find option named 'nowhere'

# FAIL: error: CUDA toolkit not found
# REPRO: dlcc-map-kernels-to-gpu
import sys

import numpy as np
from onnx import helper

from onnx_model_builder import F32, build, tensor

node = helper.make_node
rng = np.random.default_rng(0)
build(sys.argv[1],
      [node("MatMul", ["x", "w"], ["h"]),
       node("Add", ["h", "b"], ["a"]),
       node("Exp", ["a"], ["y"])],
      [("x", F32, [2, 4])], [("y", F32, [2, 3])],
      [tensor("w", rng.standard_normal((4, 3)).astype(np.float32)),
       tensor("b", rng.standard_normal(3).astype(np.float32))])
