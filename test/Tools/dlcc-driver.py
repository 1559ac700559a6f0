# The dlcc driver: MLIR's pass-manager options, shape binding, outputs, errors.
# RUN: %python %s %t.onnx
# RUN: %dlcc %t.onnx --batch 3 --mlir-timing 2>&1 | FileCheck %s --check-prefix=TIMING
# RUN: %dlcc %t.onnx --batch 3 --mlir-print-ir-after-all 2>&1 | FileCheck %s --check-prefix=AFTER
# RUN: %dlcc %t.onnx --dim N=5 | FileCheck %s --check-prefix=DIM
# RUN: %dlcc %t.onnx --input-shape x=7,4 | FileCheck %s --check-prefix=SHAPE
# RUN: not %dlcc %t.onnx 2>&1 | FileCheck %s --check-prefix=DYNAMIC
# RUN: not %dlcc %t.onnx --input-shape x=7,5 2>&1 | FileCheck %s --check-prefix=FIXED
# RUN: not %dlcc %t.onnx --input-shape nope=1 2>&1 | FileCheck %s --check-prefix=NOINPUT
# RUN: not %dlcc %t.onnx --batch 0 2>&1 | FileCheck %s --check-prefix=BATCH
# RUN: not %dlcc %t.onnx --dim N=x 2>&1 | FileCheck %s --check-prefix=BADDIM
# RUN: not %dlcc 2>&1 | FileCheck %s --check-prefix=NOMODEL
# RUN: %dlcc %t.onnx --batch 2 --emit=mlir -o %t.mlir && %dlcc-opt %t.mlir | FileCheck %s --check-prefix=ROUNDTRIP
# An output that already exists survives a failing run unchanged.
# RUN: echo keep > %t.out && not %dlcc %t.onnx -o %t.out 2>/dev/null; FileCheck %s --check-prefix=KEEP < %t.out
# RUN: %dlcc --list-supported-ops | FileCheck %s --check-prefix=LIST
# RUN: %dlcc %t.onnx --batch 2 --report | FileCheck %s --check-prefix=REPORT
# RUN: %dlcc %t.onnx --batch 2 --emit=kernels | FileCheck %s --check-prefix=KERNELS
# RUN: %dlcc %t.onnx --batch 2 -o %t.report.bin --gpu-arch=none --report | FileCheck %s --check-prefix=TRAINREPORT
# Compiled programs (dlcc --inference -o):
# RUN: %dlcc %t.onnx --batch 2 --inference -o %t.bin --gpu-arch=none && dlcc-run %t.bin --describe | FileCheck %s --check-prefix=PROGRAM
# Without --inference, a training program (cross-entropy over the output's
# last axis, SGD):
# RUN: %dlcc %t.onnx --batch 2 -o %t.train.bin --gpu-arch=none && dlcc-run %t.train.bin --describe | FileCheck %s --check-prefix=TRAINING
# RUN: not %dlcc %t.onnx --batch 2 --inference 2>&1 | FileCheck %s --check-prefix=BINARY
# RUN: not %dlcc %t.onnx --batch 2 --inference -o %t.x.bin --gpu-arch=sm_60 2>&1 | FileCheck %s --check-prefix=ARCH
# RUN: not %dlcc %t.onnx --batch 2 --inference -o %t.x.bin --cpu-baseline=x86-64-v9 2>&1 | FileCheck %s --check-prefix=BASELINE
# RUN: not %dlcc %t.onnx --batch 2 --emit=imported --report 2>&1 | FileCheck %s --check-prefix=IMPORTEDREPORT
# RUN: echo keep > %t.keep.bin && not %dlcc %t.onnx --inference -o %t.keep.bin 2>/dev/null; FileCheck %s --check-prefix=KEEP < %t.keep.bin
# RUN: %python %s %t.unsup.onnx unsupported && not %dlcc %t.unsup.onnx 2>&1 | FileCheck %s --check-prefix=UNSUP
import sys

import numpy as np
from onnx import helper

from onnx_model_builder import F32, build, tensor

node = helper.make_node
if len(sys.argv) > 2 and sys.argv[2] == "unsupported":
    # Every unsupported (op, version) in one message, with counts and names.
    # UNSUP: dlcc: error: the model uses 2 unsupported operator version(s):
    # UNSUP-NEXT: Unique-11: 2 node(s), e.g. unique_a, unique_b
    # UNSUP-NEXT: Det-11: 1 node(s), e.g. det
    # UNSUP-NOT: error
    build(sys.argv[1],
          [node("Unique", ["x"], ["v1"], name="unique_a"),
           node("Unique", ["x"], ["v2"], name="unique_b"),
           node("Det", ["v1"], ["y"], name="det"),
           node("Relu", ["y"], ["z"])],
          [("x", F32, [2, 4])], [("z", F32, [2, 2])],
          [tensor("k", np.array([2], dtype=np.int64))], opset=12, ir_version=7)
    sys.exit(0)

# TIMING: Execution time report
# TIMING: ONNX import
# TIMING: Canonicalizer
# AFTER: IR Dump After Canonicalizer
# AFTER: IR Dump After CSE
# DIM: func.func @forward(%{{.+}}: tensor<5x4xf32> {dlcc.input = "x"}
# SHAPE: func.func @forward(%{{.+}}: tensor<7x4xf32> {dlcc.input = "x"}
# DYNAMIC: dlcc: error: dlcc compiles static shapes; bind these dynamic dimensions with --batch N, --dim NAME=N or --input-shape NAME=d0,d1,...:
# DYNAMIC-NEXT: 'x' dimension(s) 0 ('N')
# FIXED: dlcc: error: --input-shape sets dimension 1 of 'x' to 5, but the model fixes it to 4
# NOINPUT: dlcc: error: --input-shape names 'nope', which is not an input of the model
# BATCH: dlcc: error: --batch must be a positive integer
# BADDIM: dlcc: error: --dim expects NAME=N with N >= 0, got 'N=x'
# NOMODEL: dlcc: error: no input model given
# ROUNDTRIP: dlcc.state_slot parameter @w : tensor<4x3xf32>
# ROUNDTRIP: dlcc.matmul
# KEEP: keep
# LIST: ai.onnx MatMul 1 9 13
# The [2,4]x[4,3] matmul: 2*3*4 multiply-adds = 48 flops; bytes: x 32 + w 48
# + result 24 = 104 (by hand).
# REPORT: forward_gemm library:gemm 0 0 48 104
# REPORT-NEXT: kernels: 1, launches: 0, library calls: 1, flops: 48, bytes moved: 104
# REPORT-NEXT: planned peak: 24 bytes of scratch (unplanned: 24), state and constants: 48 bytes
# A training program's report: per entry point, then the state by kind and
# the trained parameters.
# TRAINREPORT: entry point launches library calls scratch bytes
# TRAINREPORT-NEXT: forward 0 1 24
# TRAINREPORT-NEXT: eval
# TRAINREPORT-NEXT: train_step {{[0-9]+}} 2
# TRAINREPORT-NEXT: train_step: at the peak, {{[0-9]+}} bytes of forward values (activations kept for the backward pass) and {{[0-9]+}} bytes of the backward pass's (gradients, temporaries) are live
# TRAINREPORT: state: parameter 48 bytes (1 slot); optimizer 4 bytes (1 slot);
# TRAINREPORT-NEXT: trained parameters: 1, 12 elements, 48 bytes
# TRAINREPORT-NEXT: w [4, 3] 48
# PROGRAM: entry point "forward": 2 arguments, 1 results, 1 commands
# PROGRAM: argument 0 "x": input f32 [2, 4]
# PROGRAM: argument 1 "w": state f32 [4, 3] (state slot 0)
# PROGRAM: result 0 "y": output f32 [2, 3]
# TRAINING: entry point "forward": 2 arguments, 1 results
# TRAINING: entry point "train_step": 4 arguments, 2 results
# TRAINING-NEXT: argument 0 "x": input f32 [2, 4]
# TRAINING-NEXT: argument 1 "w": state f32 [4, 3]
# TRAINING-NEXT: argument 2 "labels": input i64 [2]
# TRAINING-NEXT: argument 3 "optimizer.lr": state f32 []
# TRAINING-NEXT: result 0 "loss": output f32 []
# TRAINING-NEXT: result 1 "w": tied_state f32 [4, 3]
# BINARY: dlcc: error: a program is binary: give the output file with -o FILE
# ARCH: dlcc: error: --gpu-arch expects sm_XY or sm_XYa with XY >= 70 (or 'none'), got 'sm_60'
# IMPORTEDREPORT: dlcc: error: --report describes kernels; it cannot be combined with --compile-to=imported
# BASELINE: dlcc: error: --cpu-baseline must be x86-64, x86-64-v2, x86-64-v3 or x86-64-v4, got 'x86-64-v9'
# KERNELS: func.func @forward(
# KERNELS: call @forward_gemm
# KERNELS: func.func private @forward_gemm({{.*}} attributes {dlcc.kernel, {{.*}}dlcc.library_call = #dlcc.gemm_call<a = 0, b = 1, c = 2, m = 2, n = 3, k = 4, batch = 1, trans_a = false, trans_b = false
# KERNELS: linalg.matmul
# LIST: ai.onnx.preview.training Adam 1
build(sys.argv[1], [node("MatMul", ["x", "w"], ["y"])], [("x", F32, ["N", 4])],
      [("y", F32, ["N", 3])], [tensor("w", np.ones((4, 3), np.float32))])
