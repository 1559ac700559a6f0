// RUN: dlcc-opt %s --dlcc-convert-to-linalg --split-input-file | FileCheck %s

// CHECK-LABEL: func.func @add_float
// CHECK-SAME: (%[[A:.+]]: tensor<2x3xf32>, %[[B:.+]]: tensor<2x3xf32>)
// CHECK: %[[E:.+]] = tensor.empty() : tensor<2x3xf32>
// CHECK: %[[R:.+]] = linalg.generic {{.*}} iterator_types = ["parallel", "parallel"]} ins(%[[A]], %[[B]] : tensor<2x3xf32>, tensor<2x3xf32>) outs(%[[E]] : tensor<2x3xf32>)
// CHECK: arith.addf
// CHECK: return %[[R]]
func.func @add_float(%a: tensor<2x3xf32>, %b: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = dlcc.add %a, %b : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// Signedness comes from the dlcc element type; unsigned becomes signless.
// CHECK-LABEL: func.func @div_rem_unsigned
// CHECK-SAME: (%{{.+}}: tensor<4xi8>, %{{.+}}: tensor<4xi8>) -> tensor<4xi8>
// CHECK: arith.divui
// CHECK: arith.remui
func.func @div_rem_unsigned(%a: tensor<4xui8>, %b: tensor<4xui8>) -> tensor<4xui8> {
  %0 = dlcc.div %a, %b : tensor<4xui8>
  %1 = dlcc.rem %0, %b : tensor<4xui8>
  return %1 : tensor<4xui8>
}

// -----

// CHECK-LABEL: func.func @div_max_signed
// CHECK: arith.divsi
// CHECK: arith.maxsi
func.func @div_max_signed(%a: tensor<4xi32>, %b: tensor<4xi32>) -> tensor<4xi32> {
  %0 = dlcc.div %a, %b : tensor<4xi32>
  %1 = dlcc.max %0, %b : tensor<4xi32>
  return %1 : tensor<4xi32>
}

// -----

// Float max/min propagate NaN.
// CHECK-LABEL: func.func @max_min_float
// CHECK: arith.maximumf
// CHECK: arith.minimumf
func.func @max_min_float(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  %0 = dlcc.max %a, %b : tensor<4xf32>
  %1 = dlcc.min %0, %b : tensor<4xf32>
  return %1 : tensor<4xf32>
}

// -----

// Ordered float comparisons, except ne which is unordered.
// CHECK-LABEL: func.func @compare_float
// CHECK: arith.cmpf olt
// CHECK: arith.cmpf une
func.func @compare_float(%a: tensor<4xf32>, %b: tensor<4xf32>) -> (tensor<4xi1>, tensor<4xi1>) {
  %0 = dlcc.compare lt, %a, %b : tensor<4xf32>
  %1 = dlcc.compare ne, %a, %b : tensor<4xf32>
  return %0, %1 : tensor<4xi1>, tensor<4xi1>
}

// -----

// CHECK-LABEL: func.func @compare_unsigned
// CHECK: arith.cmpi ult
func.func @compare_unsigned(%a: tensor<4xui16>, %b: tensor<4xui16>) -> tensor<4xi1> {
  %0 = dlcc.compare lt, %a, %b : tensor<4xui16>
  return %0 : tensor<4xi1>
}

// -----

// CHECK-LABEL: func.func @convert_chain
// CHECK: arith.fptosi {{.*}} : f32 to i32
// CHECK: arith.sitofp {{.*}} : i32 to f16
// CHECK: arith.cmpf une
// CHECK: arith.extui {{.*}} : i1 to i64
func.func @convert_chain(%a: tensor<4xf32>) -> (tensor<4xf16>, tensor<4xi64>) {
  %0 = dlcc.convert %a : (tensor<4xf32>) -> tensor<4xi32>
  %1 = dlcc.convert %0 : (tensor<4xi32>) -> tensor<4xf16>
  %2 = dlcc.convert %a : (tensor<4xf32>) -> tensor<4xi1>
  %3 = dlcc.convert %2 : (tensor<4xi1>) -> tensor<4xi64>
  return %1, %3 : tensor<4xf16>, tensor<4xi64>
}

// -----

// CHECK-LABEL: func.func @select_logistic
// CHECK: math.exp
// CHECK: arith.divf
// CHECK: arith.select
func.func @select_logistic(%p: tensor<3xi1>, %a: tensor<3xf32>, %b: tensor<3xf32>) -> tensor<3xf32> {
  %0 = dlcc.logistic %a : tensor<3xf32>
  %1 = dlcc.select %p, %0, %b : tensor<3xi1>, tensor<3xf32>
  return %1 : tensor<3xf32>
}

// -----

// 0-d tensors lower to generics with an empty iteration space.
// CHECK-LABEL: func.func @scalar_sqrt
// CHECK: linalg.generic {{.*}} iterator_types = []
// CHECK: math.sqrt
func.func @scalar_sqrt(%a: tensor<f32>) -> tensor<f32> {
  %0 = dlcc.sqrt %a : tensor<f32>
  return %0 : tensor<f32>
}

// -----

// An entry point's unsigned inputs and outputs keep their signedness as a
// mark (the program's interface says uint8); other functions' do not.
// CHECK-LABEL: func.func @unsigned_interface
// CHECK-SAME: (%{{.+}}: tensor<4xi8> {dlcc.input = "x", dlcc.unsigned}, %{{.+}}: tensor<4xi8> {dlcc.input = "y", dlcc.unsigned})
// CHECK-SAME: -> (tensor<4xi8> {dlcc.output = "z", dlcc.unsigned})
func.func @unsigned_interface(%x: tensor<4xui8> {dlcc.input = "x"}, %y: tensor<4xui8> {dlcc.input = "y"}) -> (tensor<4xui8> {dlcc.output = "z"}) {
  %0 = dlcc.shift_left %x, %y : tensor<4xui8>
  return %0 : tensor<4xui8>
}
