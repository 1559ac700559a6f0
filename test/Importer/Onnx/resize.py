# GridSample becomes dlcc.grid_sample; Resize (10, 11, 13, 18 with axes and
# keep_aspect_ratio_policy, 19) and Upsample (7, 9) become dlcc.resize with the output shape and one scale per
# dimension fixed at import; float initializers read only as scales or roi
# are constants, not state.
# RUN: %python %s %t.r13.onnx r13 && %dlcc %t.r13.onnx --emit=mlir | FileCheck %s --check-prefix=R13
# RUN: %python %s %t.sizes.onnx sizes && %dlcc %t.sizes.onnx --emit=mlir | FileCheck %s --check-prefix=SIZES
# RUN: %python %s %t.r18.onnx r18 && %dlcc %t.r18.onnx --emit=mlir | FileCheck %s --check-prefix=R18
# RUN: %python %s %t.crop.onnx crop && %dlcc %t.crop.onnx --emit=mlir | FileCheck %s --check-prefix=CROP
# RUN: %python %s %t.up7.onnx up7 && %dlcc %t.up7.onnx --emit=mlir | FileCheck %s --check-prefix=UP7
# RUN: %python %s %t.r10.onnx r10 && %dlcc %t.r10.onnx --emit=mlir | FileCheck %s --check-prefix=R10
# RUN: %python %s %t.runtime.onnx runtime && not %dlcc %t.runtime.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=RUNTIME
# RUN: %python %s %t.both.onnx both && not %dlcc %t.both.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=BOTH
# RUN: %python %s %t.antialias.onnx antialias && not %dlcc %t.antialias.onnx --emit=mlir 2>&1 | FileCheck %s --check-prefix=ANTIALIAS
# RUN: %python %s %t.grid.onnx grid && %dlcc %t.grid.onnx --emit=mlir | FileCheck %s --check-prefix=GRID
import sys

from onnx_model_builder import *

path, case = sys.argv[1], sys.argv[2]
node = helper.make_node


def floats(name, values):
    return tensor(name, np.array(values, np.float32))


def ints(name, values):
    return tensor(name, np.array(values, np.int64))


if case == "r13":
    # Output = floor(input * scale): 5 * 1.5 = 7, 4 * 0.6 = 2 (2.4).
    # R13-NOT: dlcc.state_slot
    # R13: dlcc.resize linear half_pixel round_prefer_floor %arg0, scales = [1.000000e+00, 1.000000e+00, 1.500000e+00, 6.000000e-01]
    # R13-SAME: cubic_coeff_a = -7.500000e-01 : f64, exclude_outside = false
    # R13-SAME: (tensor<1x2x5x4xf32>) -> tensor<1x2x7x2xf32>
    build(path, [node("Resize", ["x", "", "s"], ["y"], mode="linear")],
          [("x", F32, [1, 2, 5, 4])], [("y", F32, None)], [floats("s", [1, 1, 1.5, 0.6])],
          opset=13)
elif case == "sizes":
    # Scale = output / input.
    # SIZES: dlcc.resize cubic align_corners round_prefer_floor %arg0, scales = [1.000000e+00, 2.500000e+00]
    # SIZES-SAME: cubic_coeff_a = -5.000000e-01 : f64, exclude_outside = true
    # SIZES-SAME: (tensor<3x4xf32>) -> tensor<3x10xf32>
    build(path, [node("Resize", ["x", "", "", "n"], ["y"], mode="cubic", cubic_coeff_a=-0.5,
                      exclude_outside=1, coordinate_transformation_mode="align_corners")],
          [("x", F32, [3, 4])], [("y", F32, None)], [ints("n", [3, 10])], opset=13)
elif case == "r18":
    # Sizes over axes [3, 2] with not_larger: one scale, min(8/4, 9/3) = 2,
    # output = round-half-up(2 * input).
    # R18: dlcc.resize nearest asymmetric floor %arg0, scales = [1.000000e+00, 1.000000e+00, 2.000000e+00, 2.000000e+00]
    # R18-SAME: (tensor<1x1x3x4xf32>) -> tensor<1x1x6x8xf32>
    build(path, [node("Resize", ["x", "", "", "n"], ["y"], axes=[3, 2],
                      keep_aspect_ratio_policy="not_larger", nearest_mode="floor",
                      coordinate_transformation_mode="asymmetric")],
          [("x", F32, [1, 1, 3, 4])], [("y", F32, None)], [ints("n", [8, 9])], opset=18)
elif case == "crop":
    # CROP: dlcc.resize linear tf_crop_and_resize round_prefer_floor %arg0, scales = [2.000000e+00, 2.000000e+00]
    # CROP-SAME: extrapolation_value = 1.000000e+01 : f64
    # CROP-SAME: roi = array<f64: 2.500000e-01, 5.000000e-01, 1.000000e+00, 1.000000e+00>
    build(path, [node("Resize", ["x", "r", "s"], ["y"], mode="linear", extrapolation_value=10.0,
                      coordinate_transformation_mode="tf_crop_and_resize")],
          [("x", F32, [2, 3])], [("y", F32, None)],
          [floats("r", [0.25, 0.5, 1, 1]), floats("s", [2, 2])], opset=11)
elif case == "up7":
    # Upsample: asymmetric coordinates, onnxruntime's nearest rounding.
    # UP7: dlcc.resize nearest asymmetric simple %arg0, scales = [1.000000e+00, 3.000000e+00]
    # UP7-SAME: (tensor<2x2xi32>) -> tensor<2x6xi32>
    build(path, [node("Upsample", ["x"], ["y"], scales=[1.0, 3.0])],
          [("x", I32, [2, 2])], [("y", I32, None)], opset=7)
elif case == "r10":
    # R10: dlcc.resize linear asymmetric simple %arg0, scales = [1.000000e+00, 5.000000e-01]
    # R10-SAME: (tensor<2x5xf32>) -> tensor<2x2xf32>
    build(path, [node("Resize", ["x", "s"], ["y"], mode="linear")],
          [("x", F32, [2, 5])], [("y", F32, None)], [floats("s", [1, 0.5])], opset=10)
elif case == "runtime":
    # RUNTIME: error: node producing 'y' (Resize-13): scales must be known at compile time
    build(path, [node("Resize", ["x", "", "s"], ["y"])],
          [("x", F32, [2, 2]), ("s", F32, [2])], [("y", F32, None)], opset=13)
elif case == "both":
    # BOTH: error: node producing 'y' (Resize-13): both scales and sizes are given
    build(path, [node("Resize", ["x", "", "s", "n"], ["y"])],
          [("x", F32, [2, 2])], [("y", F32, None)], [floats("s", [1, 2]), ints("n", [2, 4])],
          opset=13)
elif case == "antialias":
    # ANTIALIAS: error: node producing 'y' (Resize-18): antialias when downsampling (axis 1, scale 0.5) is not supported
    build(path, [node("Resize", ["x", "", "s"], ["y"], mode="linear", antialias=1)],
          [("x", F32, [2, 4])], [("y", F32, None)], [floats("s", [1, 0.5])], opset=18)
elif case == "grid":
    # GRID: dlcc.grid_sample cubic reflection %arg0, %arg1 align_corners : (tensor<2x3x4x5xf32>, tensor<2x6x7x2xf32>) -> tensor<2x3x6x7xf32>
    build(path, [node("GridSample", ["x", "g"], ["y"], mode="bicubic", padding_mode="reflection",
                      align_corners=1)],
          [("x", F32, [2, 3, 4, 5]), ("g", F32, [2, 6, 7, 2])], [("y", F32, None)], opset=16)
