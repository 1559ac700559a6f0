// RUN: dlcc-opt %s --dlcc-plan-memory --split-input-file | FileCheck %s

// dlcc-plan-memory: every memref.alloc of an entry point is live from the
// alloc to the last use of the buffer or of anything derived from it; each
// gets a 256-byte aligned dlcc.arena_offset (largest first, best fit, never
// sharing bytes with a buffer live at the same time). The function records
// the planned peak (dlcc.arena_bytes) and the sum of all allocs
// (dlcc.unplanned_peak_bytes). Positions below count the entry point's ops
// from 0.

// A chain a -> b -> c of 1024-byte buffers (16x16xf32):
//   a: alloc 1, last use 6 (the call of k1 reads its to_buffer)   [1, 6]
//   b: alloc 5, last use 10                                       [5, 10]
//   c: alloc 9, last use 12 (the return)                          [9, 12]
// Equal sizes go in order of start: a -> 0; b overlaps a -> 1024;
// c overlaps b only -> the gap [0, 1024) holds it: c reuses a's offset.
// Peak 2048 instead of 3 * 1024 = 3072.
// CHECK-LABEL: func.func @chain
// CHECK-SAME: dlcc.arena_bytes = 2048 : i64
// CHECK-SAME: dlcc.unplanned_peak_bytes = 3072 : i64
// CHECK: %[[A:.+]] = memref.alloc() {alignment = 64 : i64, dlcc.arena_offset = 0 : i64} : memref<16x16xf32>
// CHECK: %[[B:.+]] = memref.alloc() {alignment = 64 : i64, dlcc.arena_offset = 1024 : i64} : memref<16x16xf32>
// CHECK: %[[C:.+]] = memref.alloc() {alignment = 64 : i64, dlcc.arena_offset = 0 : i64} : memref<16x16xf32>
// CHECK: func.func private @k0
// CHECK-NOT: dlcc.arena
func.func @chain(%x: tensor<16x16xf32>) -> tensor<16x16xf32> {
  %xb = bufferization.to_buffer %x read_only : tensor<16x16xf32> to memref<16x16xf32>
  %a = memref.alloc() {alignment = 64 : i64} : memref<16x16xf32>
  call @k0(%xb, %a) : (memref<16x16xf32>, memref<16x16xf32>) -> ()
  %ta = bufferization.to_tensor %a restrict writable : memref<16x16xf32> to tensor<16x16xf32>
  %ab = bufferization.to_buffer %ta read_only : tensor<16x16xf32> to memref<16x16xf32>
  %b = memref.alloc() {alignment = 64 : i64} : memref<16x16xf32>
  call @k1(%ab, %b) : (memref<16x16xf32>, memref<16x16xf32>) -> ()
  %tb = bufferization.to_tensor %b restrict writable : memref<16x16xf32> to tensor<16x16xf32>
  %bb = bufferization.to_buffer %tb read_only : tensor<16x16xf32> to memref<16x16xf32>
  %c = memref.alloc() {alignment = 64 : i64} : memref<16x16xf32>
  call @k2(%bb, %c) : (memref<16x16xf32>, memref<16x16xf32>) -> ()
  %tc = bufferization.to_tensor %c restrict writable : memref<16x16xf32> to tensor<16x16xf32>
  return %tc : tensor<16x16xf32>
}
func.func private @k0(memref<16x16xf32>, memref<16x16xf32>) attributes {dlcc.kernel}
func.func private @k1(memref<16x16xf32>, memref<16x16xf32>) attributes {dlcc.kernel}
func.func private @k2(memref<16x16xf32>, memref<16x16xf32>) attributes {dlcc.kernel}

// -----

// Two buffers live at once: a (100xf32, 400 bytes) and b (1000xf32, 4000
// bytes) are both read by the call that writes c (400 bytes).
//   a: [1, 10]   b: [4, 10]   c: [8, 12]   -- all three overlap in time.
// Largest first: b -> 0; a overlaps b -> above it, align(4000) = 4096;
// c: no gap below b ([0, 0)) nor between b and a ([4096, 4096)) -> above a,
// align(4096 + 400 = 4496) = 4608. Peak 4608 + 400 = 5008; sum 4800.
// CHECK-LABEL: func.func @disjoint
// CHECK-SAME: dlcc.arena_bytes = 5008 : i64
// CHECK-SAME: dlcc.unplanned_peak_bytes = 4800 : i64
// CHECK: memref.alloc() {alignment = 64 : i64, dlcc.arena_offset = 4096 : i64} : memref<100xf32>
// CHECK: memref.alloc() {alignment = 64 : i64, dlcc.arena_offset = 0 : i64} : memref<1000xf32>
// CHECK: memref.alloc() {alignment = 64 : i64, dlcc.arena_offset = 4608 : i64} : memref<100xf32>
func.func @disjoint(%x: tensor<100xf32>) -> tensor<100xf32> {
  %xb = bufferization.to_buffer %x read_only : tensor<100xf32> to memref<100xf32>
  %a = memref.alloc() {alignment = 64 : i64} : memref<100xf32>
  call @ka(%xb, %a) : (memref<100xf32>, memref<100xf32>) -> ()
  %ta = bufferization.to_tensor %a restrict writable : memref<100xf32> to tensor<100xf32>
  %b = memref.alloc() {alignment = 64 : i64} : memref<1000xf32>
  call @kb(%xb, %b) : (memref<100xf32>, memref<1000xf32>) -> ()
  %tb = bufferization.to_tensor %b restrict writable : memref<1000xf32> to tensor<1000xf32>
  %ab = bufferization.to_buffer %ta read_only : tensor<100xf32> to memref<100xf32>
  %c = memref.alloc() {alignment = 64 : i64} : memref<100xf32>
  %bb = bufferization.to_buffer %tb read_only : tensor<1000xf32> to memref<1000xf32>
  call @kc(%ab, %bb, %c) : (memref<100xf32>, memref<1000xf32>, memref<100xf32>) -> ()
  %tc = bufferization.to_tensor %c restrict writable : memref<100xf32> to tensor<100xf32>
  return %tc : tensor<100xf32>
}
func.func private @ka(memref<100xf32>, memref<100xf32>) attributes {dlcc.kernel}
func.func private @kb(memref<100xf32>, memref<1000xf32>) attributes {dlcc.kernel}
func.func private @kc(memref<100xf32>, memref<1000xf32>, memref<100xf32>) attributes {dlcc.kernel}

// -----

// Alignment: two 4-byte buffers (memref<f32>) live together. The first goes
// to 0; the second not to 4 but to align(4) = 256. Peak 256 + 4 = 260.
// CHECK-LABEL: func.func @align
// CHECK-SAME: dlcc.arena_bytes = 260 : i64
// CHECK-SAME: dlcc.unplanned_peak_bytes = 8 : i64
// CHECK: memref.alloc() {alignment = 64 : i64, dlcc.arena_offset = 0 : i64} : memref<f32>
// CHECK: memref.alloc() {alignment = 64 : i64, dlcc.arena_offset = 256 : i64} : memref<f32>
func.func @align(%x: tensor<f32>) -> (tensor<f32>, tensor<f32>) {
  %xb = bufferization.to_buffer %x read_only : tensor<f32> to memref<f32>
  %a = memref.alloc() {alignment = 64 : i64} : memref<f32>
  %b = memref.alloc() {alignment = 64 : i64} : memref<f32>
  call @k(%xb, %a, %b) : (memref<f32>, memref<f32>, memref<f32>) -> ()
  %ta = bufferization.to_tensor %a restrict writable : memref<f32> to tensor<f32>
  %tb = bufferization.to_tensor %b restrict writable : memref<f32> to tensor<f32>
  return %ta, %tb : tensor<f32>, tensor<f32>
}
func.func private @k(memref<f32>, memref<f32>, memref<f32>) attributes {dlcc.kernel}

// -----

// An output stays live to the end: a (1024 bytes) is returned, so its
// interval is [1, 11] although no kernel reads it after position 3; without
// that, b or c could take offset 0.
//   a: [1, 11]   b: [4, 9]   c: [8, 11]
// a -> 0; b overlaps a -> 1024; c overlaps a and b -> 2048. Peak 3072.
// CHECK-LABEL: func.func @output
// CHECK-SAME: dlcc.arena_bytes = 3072 : i64
// CHECK-SAME: dlcc.unplanned_peak_bytes = 3072 : i64
// CHECK: memref.alloc() {alignment = 64 : i64, dlcc.arena_offset = 0 : i64}
// CHECK: memref.alloc() {alignment = 64 : i64, dlcc.arena_offset = 1024 : i64}
// CHECK: memref.alloc() {alignment = 64 : i64, dlcc.arena_offset = 2048 : i64}
func.func @output(%x: tensor<256xf32>) -> (tensor<256xf32>, tensor<256xf32>) {
  %xb = bufferization.to_buffer %x read_only : tensor<256xf32> to memref<256xf32>
  %a = memref.alloc() {alignment = 64 : i64} : memref<256xf32>
  call @k(%xb, %a) : (memref<256xf32>, memref<256xf32>) -> ()
  %ta = bufferization.to_tensor %a restrict writable : memref<256xf32> to tensor<256xf32>
  %b = memref.alloc() {alignment = 64 : i64} : memref<256xf32>
  call @k(%xb, %b) : (memref<256xf32>, memref<256xf32>) -> ()
  %tb = bufferization.to_tensor %b restrict writable : memref<256xf32> to tensor<256xf32>
  %bb = bufferization.to_buffer %tb read_only : tensor<256xf32> to memref<256xf32>
  %c = memref.alloc() {alignment = 64 : i64} : memref<256xf32>
  call @k(%bb, %c) : (memref<256xf32>, memref<256xf32>) -> ()
  %tc = bufferization.to_tensor %c restrict writable : memref<256xf32> to tensor<256xf32>
  return %ta, %tc : tensor<256xf32>, tensor<256xf32>
}
func.func private @k(memref<256xf32>, memref<256xf32>) attributes {dlcc.kernel}

// -----

// A view keeps its buffer live: a (1024 bytes) is last read through its
// collapse_shape at position 4, so b (allocated at 3) overlaps it.
//   a: [0, 4]   b: [3, 6]  ->  a -> 0, b -> 1024.
// CHECK-LABEL: func.func @view
// CHECK-SAME: dlcc.arena_bytes = 2048 : i64
// CHECK: memref.alloc() {alignment = 64 : i64, dlcc.arena_offset = 0 : i64} : memref<16x16xf32>
// CHECK: memref.alloc() {alignment = 64 : i64, dlcc.arena_offset = 1024 : i64} : memref<256xf32>
func.func @view(%x: memref<256xf32>) -> tensor<256xf32> {
  %a = memref.alloc() {alignment = 64 : i64} : memref<16x16xf32>
  call @k0(%x, %a) : (memref<256xf32>, memref<16x16xf32>) -> ()
  %v = memref.collapse_shape %a [[0, 1]] : memref<16x16xf32> into memref<256xf32>
  %b = memref.alloc() {alignment = 64 : i64} : memref<256xf32>
  call @k1(%v, %b) : (memref<256xf32>, memref<256xf32>) -> ()
  %t = bufferization.to_tensor %b restrict writable : memref<256xf32> to tensor<256xf32>
  return %t : tensor<256xf32>
}
func.func private @k0(memref<256xf32>, memref<16x16xf32>) attributes {dlcc.kernel}
func.func private @k1(memref<256xf32>, memref<256xf32>) attributes {dlcc.kernel}
