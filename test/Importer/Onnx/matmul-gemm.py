# MatMul (1-D promotion, batch broadcasting, shared matrix), Gemm and Einsum
# (decomposed into reductions, transposes and batched matrix products).
# RUN: %python %s %t.vec.onnx vec && %dlcc %t.vec.onnx --emit=mlir | FileCheck %s --check-prefix=VEC
# RUN: %python %s %t.shared.onnx shared && %dlcc %t.shared.onnx --emit=mlir | FileCheck %s --check-prefix=SHARED
# RUN: %python %s %t.batch.onnx batch && %dlcc %t.batch.onnx --emit=mlir | FileCheck %s --check-prefix=BATCH
# RUN: %python %s %t.gemm.onnx gemm && %dlcc %t.gemm.onnx --emit=mlir | FileCheck %s --check-prefix=GEMM
# RUN: %python %s %t.gemm11.onnx gemm11 && %dlcc %t.gemm11.onnx --emit=mlir | FileCheck %s --check-prefix=GEMM11
# RUN: %python %s %t.bad-k.onnx bad-k && not %dlcc %t.bad-k.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=BAD-K
# RUN: %python %s %t.bad-int.onnx bad-int && not %dlcc %t.bad-int.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=BAD-INT
# RUN: %python %s %t.bad-c.onnx bad-c && not %dlcc %t.bad-c.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=BAD-C
# RUN: %python %s %t.bad-gemm6.onnx bad-gemm6 && not %dlcc %t.bad-gemm6.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=BAD-GEMM6
# RUN: %python %s %t.einsum.onnx einsum && %dlcc %t.einsum.onnx --emit=mlir | FileCheck %s --check-prefix=EINSUM
# RUN: %python %s %t.einsum3.onnx einsum3 && %dlcc %t.einsum3.onnx --emit=mlir | FileCheck %s --check-prefix=EINSUM3
import sys

from onnx_model_builder import *

path, case = sys.argv[1], sys.argv[2]
node = helper.make_node

if case == "vec":
    # [3] x [2, 3, 4]: lhs promoted to [1, 3], broadcast to [2, 1, 3], the
    # promoted dimension removed again.
    # VEC: dlcc.reshape %{{.*}} : (tensor<3xf32>) -> tensor<1x3xf32>
    # VEC: dlcc.broadcast_in_dim %{{.*}}, dims = [1, 2] : (tensor<1x3xf32>) -> tensor<2x1x3xf32>
    # VEC: dlcc.matmul %{{.*}}, %{{.*}} : (tensor<2x1x3xf32>, tensor<2x3x4xf32>) -> tensor<2x1x4xf32>
    # VEC: dlcc.reshape %{{.*}} : (tensor<2x1x4xf32>) -> tensor<2x4xf32>
    build(path, [node("MatMul", ["a", "b"], ["c"])],
          [("a", F32, [3]), ("b", F32, [2, 3, 4])], [("c", F32, [2, 4])])
elif case == "shared":
    # A 2-D rhs is shared by every batch: no broadcast. A 1-D rhs is promoted
    # to a column.
    # SHARED-NOT: dlcc.broadcast_in_dim
    # SHARED: dlcc.matmul %{{.*}}, %{{.*}} : (tensor<2x5x3xf32>, tensor<3x4xf32>) -> tensor<2x5x4xf32>
    # SHARED: dlcc.reshape %{{.*}} : (tensor<4xf32>) -> tensor<4x1xf32>
    # SHARED: dlcc.matmul %{{.*}}, %{{.*}} : (tensor<2x5x4xf32>, tensor<4x1xf32>) -> tensor<2x5x1xf32>
    # SHARED: dlcc.reshape %{{.*}} : (tensor<2x5x1xf32>) -> tensor<2x5xf32>
    build(path, [node("MatMul", ["a", "b"], ["t"]), node("MatMul", ["t", "v"], ["c"])],
          [("a", F32, [2, 5, 3]), ("b", F32, [3, 4]), ("v", F32, [4])],
          [("c", F32, [2, 5])])
elif case == "batch":
    # Multidirectional batch broadcasting: [2, 1, 5, 3] x [4, 3, 6].
    # BATCH: dlcc.broadcast_in_dim %{{.*}} : (tensor<2x1x5x3xf32>) -> tensor<2x4x5x3xf32>
    # BATCH: dlcc.broadcast_in_dim %{{.*}} : (tensor<4x3x6xf32>) -> tensor<2x4x3x6xf32>
    # BATCH: dlcc.matmul {{.*}} -> tensor<2x4x5x6xf32>
    build(path, [node("MatMul", ["a", "b"], ["c"])],
          [("a", F32, [2, 1, 5, 3]), ("b", F32, [4, 3, 6])], [("c", F32, [2, 4, 5, 6])])
elif case == "gemm":
    # GEMM-LABEL: func.func @forward
    # GEMM-DAG: %[[BETA:.*]] = dlcc.constant dense<2.000000e+00> : tensor<2x4xf32>
    # GEMM-DAG: %[[ALPHA:.*]] = dlcc.constant dense<5.000000e-01> : tensor<2x4xf32>
    # GEMM: %[[Y:.*]] = dlcc.matmul %{{.*}}, %{{.*}} transpose_rhs : (tensor<2x3xf32>, tensor<4x3xf32>) -> tensor<2x4xf32>
    # GEMM: %[[YS:.*]] = dlcc.mul %[[Y]], %[[ALPHA]] : tensor<2x4xf32>
    # GEMM: %[[C:.*]] = dlcc.broadcast_in_dim %{{.*}}, dims = [1] : (tensor<4xf32>) -> tensor<2x4xf32>
    # GEMM: %[[CS:.*]] = dlcc.mul %[[C]], %[[BETA]] : tensor<2x4xf32>
    # GEMM: dlcc.add %[[YS]], %[[CS]] : tensor<2x4xf32>
    build(path, [node("Gemm", ["a", "b", "c"], ["y"], transB=1, alpha=0.5, beta=2.0)],
          [("a", F32, [2, 3]), ("b", F32, [4, 3]), ("c", F32, [4])], [("y", F32, [2, 4])])
elif case == "gemm11":
    # C is optional from Gemm-11.
    # GEMM11: dlcc.matmul %{{.*}}, %{{.*}} transpose_lhs : (tensor<3x2xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
    # GEMM11-NOT: dlcc.add
    build(path, [node("Gemm", ["a", "b"], ["y"], transA=1)],
          [("a", F32, [3, 2]), ("b", F32, [3, 4])], [("y", F32, [2, 4])], opset=13)
elif case == "bad-k":
    # BAD-K: node 'mm' (MatMul-13): contraction dimensions differ: A is [2, 3], B is [4, 5]
    build(path, [node("MatMul", ["a", "b"], ["c"], name="mm")],
          [("a", F32, [2, 3]), ("b", F32, [4, 5])], [("c", F32, [2, 5])])
elif case == "bad-int":
    # BAD-INT: (MatMul-13): input A must be a float tensor, got element type i64
    build(path, [node("MatMul", ["a", "b"], ["c"])],
          [("a", I64, [2, 3]), ("b", I64, [3, 5])], [("c", I64, [2, 5])])
elif case == "bad-c":
    # BAD-C: (Gemm-13): input C of shape [3] is not unidirectionally broadcastable to [2, 4]
    build(path, [node("Gemm", ["a", "b", "c"], ["y"])],
          [("a", F32, [2, 3]), ("b", F32, [3, 4]), ("c", F32, [3])], [("y", F32, [2, 4])])
elif case == "bad-gemm6":
    # BAD-GEMM6: (Gemm-6): input C has shape [4] but must be [2, 4] when the 'broadcast' attribute is 0
    build(path, [node("Gemm", ["a", "b", "c"], ["y"])],
          [("a", F32, [2, 3]), ("b", F32, [3, 4]), ("c", F32, [4])], [("y", F32, [2, 4])],
          opset=6, ir_version=3)
elif case == "einsum":
    # Attention scores: batch bh, rows q, contracted d; k is already
    # [batch, columns, contracted], so the product reads it transposed.
    # EINSUM: %[[K:.+]] = dlcc.reshape %arg1 : (tensor<2x3x6x4xf32>) -> tensor<6x6x4xf32>
    # EINSUM: %[[Q:.+]] = dlcc.reshape %arg0 : (tensor<2x3x5x4xf32>) -> tensor<6x5x4xf32>
    # EINSUM: %[[S:.+]] = dlcc.matmul %[[Q]], %[[K]] transpose_rhs : (tensor<6x5x4xf32>, tensor<6x6x4xf32>) -> tensor<6x5x6xf32>
    # EINSUM: dlcc.reshape %[[S]] : (tensor<6x5x6xf32>) -> tensor<2x3x5x6xf32>
    build(path, [node("Einsum", ["q", "k"], ["y"], equation="bhqd,bhkd->bhqk")],
          [("q", F32, [2, 3, 5, 4]), ("k", F32, [2, 3, 6, 4])], [("y", F32, None)], opset=12)
elif case == "einsum3":
    # Three operands left to right; the diagonal of a repeated letter is a
    # masked sum; a letter only one operand has is summed out first.
    # EINSUM3: dlcc.compare eq
    # EINSUM3: dlcc.reduce sum %{{.+}}, dims = [1] : (tensor<3x3xf32>) -> tensor<3xf32>
    # EINSUM3: dlcc.reduce sum %arg2, dims = [0] : (tensor<2x4xf32>) -> tensor<4xf32>
    # EINSUM3: dlcc.matmul
    # EINSUM3: dlcc.matmul
    build(path, [node("Einsum", ["a", "b", "c"], ["y"], equation="ii,ij,kj->")],
          [("a", F32, [3, 3]), ("b", F32, [3, 4]), ("c", F32, [2, 4])], [("y", F32, None)],
          opset=12)
