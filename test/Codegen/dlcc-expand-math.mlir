// RUN: dlcc-opt %s --dlcc-expand-math --split-input-file | FileCheck %s

// dlcc-expand-math: f32 erf/exp/log/tanh in kernels become
// polynomial approximations (no library call, the same arithmetic on CPU and
// GPU); f64 and functions outside kernels are left alone.

// CHECK-LABEL: func.func private @gelu_kernel
// CHECK-NOT: math.erf
// CHECK-NOT: math.exp
// CHECK: math.fma
// CHECK: return
func.func private @gelu_kernel(%x: f32) -> f32 attributes {dlcc.kernel} {
  %e = math.erf %x : f32
  %y = math.exp %e : f32
  return %y : f32
}

// -----

// CHECK-LABEL: func.func private @f64_kernel
// CHECK: math.erf %{{.+}} : f64
func.func private @f64_kernel(%x: f64) -> f64 attributes {dlcc.kernel} {
  %e = math.erf %x : f64
  return %e : f64
}

// -----

// CHECK-LABEL: func.func @not_a_kernel
// CHECK: math.erf %{{.+}} : f32
func.func @not_a_kernel(%x: f32) -> f32 {
  %e = math.erf %x : f32
  return %e : f32
}

// -----

// Integer power by squaring over the exponent's 64 bits; negative exponents
// select integer division's result.
// CHECK-LABEL: func.func private @ipow_kernel
// CHECK-NOT: math.ipowi
// CHECK: scf.for
// CHECK: arith.muli
// CHECK: arith.shrui
// CHECK: arith.cmpi slt
// CHECK: arith.select
func.func private @ipow_kernel(%b: i64, %e: i64) -> i64 attributes {dlcc.kernel} {
  %p = math.ipowi %b, %e : i64
  return %p : i64
}
