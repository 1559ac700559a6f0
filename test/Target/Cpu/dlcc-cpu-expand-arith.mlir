// RUN: dlcc-opt %s --dlcc-cpu-expand-arith --split-input-file | FileCheck %s

// dlcc-cpu-expand-arith: integer ceil/floor divisions and bf16 conversions
// are expanded (convert-arith-to-llvm has no lowering for them); float
// min/max stay ops, which LLVM vectorizes as reductions.

// CHECK-LABEL: func.func @divisions
// CHECK-NOT: arith.ceildivsi
// CHECK-NOT: arith.floordivsi
// CHECK: arith.divsi
func.func @divisions(%a: i64, %b: i64) -> (i64, i64) {
  %c = arith.ceildivsi %a, %b : i64
  %f = arith.floordivsi %a, %b : i64
  return %c, %f : i64, i64
}

// -----

// CHECK-LABEL: func.func @bf16_conversions
// CHECK-NOT: arith.truncf
// CHECK-NOT: arith.extf
// CHECK: arith.shrui
func.func @bf16_conversions(%x: f32) -> f32 {
  %t = arith.truncf %x : f32 to bf16
  %e = arith.extf %t : bf16 to f32
  return %e : f32
}

// -----

// CHECK-LABEL: func.func @min_max_stay
// CHECK: arith.maximumf %{{.+}}, %{{.+}} : f32
// CHECK: arith.minimumf %{{.+}}, %{{.+}} : f32
// CHECK: arith.maxnumf %{{.+}}, %{{.+}} : f32
// CHECK-NOT: arith.cmpf
func.func @min_max_stay(%a: f32, %b: f32) -> (f32, f32, f32) {
  %x = arith.maximumf %a, %b : f32
  %n = arith.minimumf %a, %b : f32
  %m = arith.maxnumf %a, %b : f32
  return %x, %n, %m : f32, f32, f32
}
