// RUN: dlcc-opt %s --dlcc-approximate-transcendentals --split-input-file | FileCheck %s

// dlcc-approximate-transcendentals: f32 erf/exp/log/tanh in kernels become
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
