// RUN: dlcc-opt %s --dlcc-cpu-byte-booleans | FileCheck %s

// dlcc-cpu-byte-booleans: i1 loads and stores become byte ones (a boolean
// tensor element is one byte), which LLVM's loop vectorizer widens; a
// nonzero byte reads as true. Other loads and stores stay as they are.

// CHECK-LABEL: llvm.func @booleans
// CHECK-SAME: (%[[P:.+]]: !llvm.ptr, %[[Q:.+]]: !llvm.ptr)
// CHECK: %[[BYTE:.+]] = llvm.load %[[P]] {alignment = 1 : i64} : !llvm.ptr -> i8
// CHECK-NEXT: %[[ZERO:.+]] = llvm.mlir.constant(0 : i8) : i8
// CHECK-NEXT: %[[B:.+]] = llvm.icmp "ne" %[[BYTE]], %[[ZERO]] : i8
// CHECK: %[[N:.+]] = llvm.xor %[[B]], %{{.+}} : i1
// CHECK-NEXT: %[[WIDE:.+]] = llvm.zext %[[N]] : i1 to i8
// CHECK-NEXT: llvm.store %[[WIDE]], %[[Q]] : i8, !llvm.ptr
// CHECK-NEXT: %[[F:.+]] = llvm.load %[[Q]] : !llvm.ptr -> f32
// CHECK-NEXT: llvm.store %[[F]], %[[P]] : f32, !llvm.ptr
// CHECK-NOT: i1, !llvm.ptr
llvm.func @booleans(%p: !llvm.ptr, %q: !llvm.ptr) {
  %b = llvm.load %p {alignment = 1 : i64} : !llvm.ptr -> i1
  %true = llvm.mlir.constant(true) : i1
  %n = llvm.xor %b, %true : i1
  llvm.store %n, %q : i1, !llvm.ptr
  %f = llvm.load %q : !llvm.ptr -> f32
  llvm.store %f, %p : f32, !llvm.ptr
  llvm.return
}

// Volatile accesses keep their width.
// CHECK-LABEL: llvm.func @volatile_boolean
// CHECK: llvm.load volatile %{{.+}} : !llvm.ptr -> i1
llvm.func @volatile_boolean(%p: !llvm.ptr) -> i1 {
  %b = llvm.load volatile %p : !llvm.ptr -> i1
  llvm.return %b : i1
}
