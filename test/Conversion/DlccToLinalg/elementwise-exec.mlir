// Runs the lowered elementwise ops on the CPU. Expected values were computed
// with numpy (float32), e.g. np.float32(x) ops printed with 6 significant
// digits; the integer cases by hand.
// RUN: dlcc-opt %s --dlcc-reference-cpu-lowering | mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils | FileCheck %s

func.func private @printMemrefF32(tensor<*xf32>)
func.func private @printMemrefI32(tensor<*xi32>)

func.func @gelu(%x: tensor<4xf32>) -> tensor<4xf32> {
  %half = arith.constant dense<0.5> : tensor<4xf32>
  %one = arith.constant dense<1.0> : tensor<4xf32>
  %rs2 = arith.constant dense<0.707106769> : tensor<4xf32>
  %0 = dlcc.mul %x, %rs2 : tensor<4xf32>
  %1 = dlcc.erf %0 : tensor<4xf32>
  %2 = dlcc.add %1, %one : tensor<4xf32>
  %3 = dlcc.mul %x, %half : tensor<4xf32>
  %4 = dlcc.mul %3, %2 : tensor<4xf32>
  return %4 : tensor<4xf32>
}

// Integer division truncates toward zero, rem takes the dividend's sign.
func.func @int_div_rem(%a: tensor<4xi32>, %b: tensor<4xi32>) -> (tensor<4xi32>, tensor<4xi32>) {
  %0 = dlcc.div %a, %b : tensor<4xi32>
  %1 = dlcc.rem %a, %b : tensor<4xi32>
  return %0, %1 : tensor<4xi32>, tensor<4xi32>
}

func.func @nan_max(%a: tensor<3xf32>, %b: tensor<3xf32>) -> tensor<3xf32> {
  %0 = dlcc.max %a, %b : tensor<3xf32>
  return %0 : tensor<3xf32>
}

func.func @main() {
  // numpy: x*0.5*(1+erf(x/sqrt(2))) for x = [-2, -0.5, 0.5, 3]
  // CHECK: [-0.0455003, -0.154269, 0.345731, 2.99595]
  %x = arith.constant dense<[-2.0, -0.5, 0.5, 3.0]> : tensor<4xf32>
  %g = call @gelu(%x) : (tensor<4xf32>) -> tensor<4xf32>
  %gu = tensor.cast %g : tensor<4xf32> to tensor<*xf32>
  call @printMemrefF32(%gu) : (tensor<*xf32>) -> ()

  // By hand: 7/2=3, -7/2=-3, 7/-2=-3, -7/-2=3; 7%2=1, -7%2=-1, 7%-2=1, -7%-2=-1
  // CHECK: [3, -3, -3, 3]
  // CHECK: [1, -1, 1, -1]
  %a = arith.constant dense<[7, -7, 7, -7]> : tensor<4xi32>
  %b = arith.constant dense<[2, 2, -2, -2]> : tensor<4xi32>
  %q, %r = call @int_div_rem(%a, %b) : (tensor<4xi32>, tensor<4xi32>) -> (tensor<4xi32>, tensor<4xi32>)
  %qu = tensor.cast %q : tensor<4xi32> to tensor<*xi32>
  %ru = tensor.cast %r : tensor<4xi32> to tensor<*xi32>
  call @printMemrefI32(%qu) : (tensor<*xi32>) -> ()
  call @printMemrefI32(%ru) : (tensor<*xi32>) -> ()

  // By hand: max propagates NaN.
  // CHECK: [nan, 2, 5]
  %n = arith.constant dense<[0x7FC00000, 2.0, -1.0]> : tensor<3xf32>
  %m = arith.constant dense<[1.0, 0.0, 5.0]> : tensor<3xf32>
  %mx = call @nan_max(%n, %m) : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  %mxu = tensor.cast %mx : tensor<3xf32> to tensor<*xf32>
  call @printMemrefF32(%mxu) : (tensor<*xf32>) -> ()
  return
}
