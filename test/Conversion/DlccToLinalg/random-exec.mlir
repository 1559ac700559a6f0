// dlcc.dropout_mask is a pure function of its key: the same key gives the
// same mask, another counter another mask, and the kept fraction is close to
// 1 - ratio. Checked by counting kept elements of a 100x100 mask.
// RUN: dlcc-opt %s --dlcc-reference-cpu-lowering | mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils | FileCheck %s

func.func private @printMemrefI64(tensor<*xi64>)

func.func @kept(%key: tensor<2xi64>) -> (tensor<i64>, tensor<100x100xi1>) {
  %m = dlcc.dropout_mask %key, ratio = 2.500000e-01 : (tensor<2xi64>) -> tensor<100x100xi1>
  %i = dlcc.convert %m : (tensor<100x100xi1>) -> tensor<100x100xi64>
  %s = dlcc.reduce sum %i, dims = [0, 1] : (tensor<100x100xi64>) -> tensor<i64>
  return %s, %m : tensor<i64>, tensor<100x100xi1>
}

func.func @differences(%a: tensor<100x100xi1>, %b: tensor<100x100xi1>) -> tensor<i64> {
  %d = dlcc.xor %a, %b : tensor<100x100xi1>
  %i = dlcc.convert %d : (tensor<100x100xi1>) -> tensor<100x100xi64>
  %s = dlcc.reduce sum %i, dims = [0, 1] : (tensor<100x100xi64>) -> tensor<i64>
  return %s : tensor<i64>
}

func.func @main() {
  %k0 = arith.constant dense<[7, 0]> : tensor<2xi64>
  %k1 = arith.constant dense<[7, 1]> : tensor<2xi64>
  %n0, %m0 = call @kept(%k0) : (tensor<2xi64>) -> (tensor<i64>, tensor<100x100xi1>)
  %n0b, %m0b = call @kept(%k0) : (tensor<2xi64>) -> (tensor<i64>, tensor<100x100xi1>)
  %n1, %m1 = call @kept(%k1) : (tensor<2xi64>) -> (tensor<i64>, tensor<100x100xi1>)
  // About 7500 of 10000 kept (binomial sd ~43): between 7300 and 7699.
  // CHECK: {{\[}}7{{[3-6]}}{{[0-9][0-9]}}]
  %u0 = tensor.cast %n0 : tensor<i64> to tensor<*xi64>
  call @printMemrefI64(%u0) : (tensor<*xi64>) -> ()
  // The same key gives the same mask: no differences.
  // CHECK: [0]
  %same = call @differences(%m0, %m0b) : (tensor<100x100xi1>, tensor<100x100xi1>) -> tensor<i64>
  %u1 = tensor.cast %same : tensor<i64> to tensor<*xi64>
  call @printMemrefI64(%u1) : (tensor<*xi64>) -> ()
  // Another counter gives an independent mask: ~2*0.75*0.25 = 37.5% differ.
  // CHECK: {{\[}}3{{[5-9]}}{{[0-9][0-9]}}]
  %diff = call @differences(%m0, %m1) : (tensor<100x100xi1>, tensor<100x100xi1>) -> tensor<i64>
  %u2 = tensor.cast %diff : tensor<i64> to tensor<*xi64>
  call @printMemrefI64(%u2) : (tensor<*xi64>) -> ()
  return
}
