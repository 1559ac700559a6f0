# Models beyond dlcc's limits get one clear error each, before anything is
# written or read into memory (limits shared with the artifact loader:
# include/dlcc/Target/Support/ProgramLimits.h).
# RUN: rm -rf %t && mkdir -p %t
# RUN: %python %s %t
# RUN: not %dlcc %t/expand.onnx --inference -o %t/expand.bin --gpu-arch=none 2>&1 | FileCheck %s --check-prefix=EXPAND
# RUN: test ! -e %t/expand.bin
# RUN: not %dlcc %t/input.onnx --inference -o %t/input.bin --gpu-arch=none 2>&1 | FileCheck %s --check-prefix=INPUT
# RUN: not %dlcc %t/bytes.onnx --inference -o %t/bytes.bin --gpu-arch=none 2>&1 | FileCheck %s --check-prefix=GRID
# RUN: not %dlcc %t/external.onnx --max-constant-bytes=1G 2>&1 | FileCheck %s --check-prefix=EXTERNAL
# RUN: not %dlcc %t/weights.onnx --max-constant-bytes=1K 2>&1 | FileCheck %s --check-prefix=BUDGET
# RUN: %dlcc %t/weights.onnx --max-constant-bytes=1M | FileCheck %s --check-prefix=FITS
# RUN: not %dlcc %t/weights.onnx --max-constant-bytes=1X 2>&1 | FileCheck %s --check-prefix=BADBUDGET
# A 64 GiB splat output is never materialised: the artifact stores one
# element (a few KiB in all), and --describe does not allocate it either.
# RUN: %dlcc %t/splat.onnx --inference -o %t/splat.bin --gpu-arch=none --max-constant-bytes=1K
# RUN: %python -c "import os, sys; sys.exit(os.path.getsize(sys.argv[1]) > 65536)" %t/splat.bin
# RUN: dlcc-run %t/splat.bin --describe | FileCheck %s --check-prefix=SPLAT
# An all-zero one is a zero-initialised slot: nothing stored, it compiles.
# RUN: %dlcc %t/zeros.onnx --inference -o %t/zeros.bin --gpu-arch=none --max-constant-bytes=1G

# EXPAND: dlcc: error: a result of type 'tensor<1048576x1048576xf32>' is larger than dlcc's limit of 1024 GiB per tensor (at ONNX node 'expand')
# EXPAND-NOT: LLVM ERROR
# INPUT: dlcc: error: input 'x' of type 'tensor<2147483648x2147483648x2147483648xf32>' is larger than dlcc's limit of 1024 GiB per tensor
# A 2^39-byte tensor fits, but an elementwise kernel over it needs 2^31
# blocks of 256 threads, one more than a launch allows:
# GRID: dlcc: error: kernel @forward_kernel_0 needs 2147483648 blocks of 256 threads; a launch has at most 2147483647 blocks
# EXTERNAL: dlcc: error: the initializers need more than 1073741824 bytes, the compile-time budget (reached at 'w', 8589934592 bytes); raise it with --max-constant-bytes
# BUDGET: dlcc: error: the initializers need more than 1024 bytes, the compile-time budget (reached at 'w', 4096 bytes); raise it with --max-constant-bytes
# FITS: dlcc.state_slot parameter @w : tensor<1024xf32>
# SPLAT: f32 [131072, 131072] splat
# SPLAT: state bytes: 68719476736 (0 stored, 0 zero-initialised, 68719476736 splat; constants 68719476736)
# SPLAT-NOT: LLVM ERROR
# BADBUDGET: dlcc: error: --max-constant-bytes expects a positive number of bytes with an optional K, M, G or T suffix, got '1X'
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from onnx_model_builder import F32, build, tensor

node = helper.make_node
out = sys.argv[1]
big = 1 << 20
build(os.path.join(out, "expand.onnx"),
      [node("Expand", ["x", "s"], ["y"], name="expand")],
      [("x", F32, [1, 1])], [("y", F32, [big, big])],
      [tensor("s", np.array([big, big], dtype=np.int64))])
huge = 1 << 31
build(os.path.join(out, "input.onnx"), [node("Relu", ["x"], ["y"])],
      [("x", F32, [huge, huge, huge])], [("y", F32, [huge, huge, huge])])
# 2^39 one-byte booleans: within the tensor limit, beyond the grid limit.
build(os.path.join(out, "bytes.onnx"), [node("Not", ["x"], ["y"])],
      [("x", TensorProto.BOOL, [1 << 19, 1 << 20])],
      [("y", TensorProto.BOOL, [1 << 19, 1 << 20])])
build(os.path.join(out, "weights.onnx"), [node("Add", ["x", "w"], ["y"])],
      [("x", F32, [1024])], [("y", F32, [1024])],
      [tensor("w", np.ones(1024, dtype=np.float32))])

# ConstantOfShape [2^17, 2^17] as a graph output: a 64 GiB splat.
for name, fill in (("splat.onnx", 1.0), ("zeros.onnx", 0.0)):
    g = helper.make_graph(
        [node("ConstantOfShape", ["s"], ["y"],
              value=numpy_helper.from_array(np.array([fill], dtype=np.float32)))],
        "g", [], [helper.make_tensor_value_info("y", F32, [1 << 17, 1 << 17])],
        [numpy_helper.from_array(np.array([1 << 17, 1 << 17], dtype=np.int64), "s")])
    onnx.save(helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)]),
              os.path.join(out, name))

# An 8 GiB initializer in a sparse external file: refused by its declared
# size, nothing is read.
w = helper.make_tensor_value_info("w", F32, [1 << 31])
t = TensorProto(name="w", data_type=F32, dims=[1 << 31])
t.data_location = TensorProto.EXTERNAL
for k, v in (("location", "w.bin"), ("offset", "0"), ("length", str(4 << 31))):
    e = t.external_data.add()
    e.key, e.value = k, v
with open(os.path.join(out, "w.bin"), "wb") as f:
    f.truncate(4 << 31)
g = helper.make_graph([node("Relu", ["w"], ["y"])], "g", [],
                      [helper.make_tensor_value_info("y", F32, [1 << 31])], [t])
onnx.save(helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)]),
          os.path.join(out, "external.onnx"))
