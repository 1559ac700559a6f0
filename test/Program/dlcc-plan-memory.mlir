// RUN: dlcc-opt %s --dlcc-plan-memory --split-input-file | FileCheck %s

// dlcc-plan-memory: a tied result may be written into its state slot's own
// buffer (the last cases below); every other memref.alloc of an entry point
// is live from the alloc to the last use of the buffer or of anything
// derived from it; each
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

// With a backward pass (calls whose location is fused with "dlcc.backward",
// as dlcc-expand-gradients marks its ops), the bytes live at the peak are
// split by the pass of each buffer's first call. The chain above with c
// twice as large and written by a backward call: the peak is at positions
// 9-10, b (1024, forward) and c (2048, backward).
// CHECK-LABEL: func.func @backward_split
// CHECK-SAME: dlcc.peak_backward_bytes = 2048 : i64
// CHECK-SAME: dlcc.peak_forward_bytes = 1024 : i64
func.func @backward_split(%x: tensor<16x16xf32>) -> tensor<32x16xf32> {
  %xb = bufferization.to_buffer %x read_only : tensor<16x16xf32> to memref<16x16xf32>
  %a = memref.alloc() {alignment = 64 : i64} : memref<16x16xf32>
  call @k0(%xb, %a) : (memref<16x16xf32>, memref<16x16xf32>) -> ()
  %ta = bufferization.to_tensor %a restrict writable : memref<16x16xf32> to tensor<16x16xf32>
  %ab = bufferization.to_buffer %ta read_only : tensor<16x16xf32> to memref<16x16xf32>
  %b = memref.alloc() {alignment = 64 : i64} : memref<16x16xf32>
  call @k1(%ab, %b) : (memref<16x16xf32>, memref<16x16xf32>) -> ()
  %tb = bufferization.to_tensor %b restrict writable : memref<16x16xf32> to tensor<16x16xf32>
  %bb = bufferization.to_buffer %tb read_only : tensor<16x16xf32> to memref<16x16xf32>
  %c = memref.alloc() {alignment = 64 : i64} : memref<32x16xf32>
  call @k2(%bb, %c) : (memref<16x16xf32>, memref<32x16xf32>) -> () loc(fused<"dlcc.backward">["node"])
  %tc = bufferization.to_tensor %c restrict writable : memref<32x16xf32> to tensor<32x16xf32>
  return %tc : tensor<32x16xf32>
}
func.func private @k0(memref<16x16xf32>, memref<16x16xf32>) attributes {dlcc.kernel}
func.func private @k1(memref<16x16xf32>, memref<16x16xf32>) attributes {dlcc.kernel}
func.func private @k2(memref<16x16xf32>, memref<32x16xf32>) attributes {dlcc.kernel}

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

// -----

// State updated in place. A tied result's alloc becomes the slot's own
// buffer (dlcc.in_place_result = its result index, no arena offset) when the
// kernel that writes it is elementwise and reads the old value (the state
// argument) only at the indices it stores the new one (each thread reads its
// element before writing it): m' = 0.9 m + 0.1 x, the running-statistics
// update. Only y (16 bytes) is in the arena. The kernel's arguments 0 (m)
// and 2 (its new value) are then one buffer: `dlcc.in_place_arguments`, so
// that code generation does not declare them noalias.
// CHECK-LABEL: func.func @ema_in_place
// CHECK-SAME: dlcc.arena_bytes = 16 : i64
// CHECK-SAME: dlcc.unplanned_peak_bytes = 16 : i64
// CHECK: memref.alloc() {alignment = 64 : i64, dlcc.arena_offset = 0 : i64} : memref<4xf32>
// CHECK: memref.alloc() {alignment = 64 : i64, dlcc.in_place_result = 1 : i64} : memref<4xf32>
// CHECK: func.func private @neg(
// CHECK-NOT: dlcc.in_place_arguments
// CHECK: func.func private @ema({{.*}}) attributes {dlcc.in_place_arguments = array<i64: 0, 2>, dlcc.kernel
dlcc.state_slot batch_norm_statistic @m : tensor<4xf32>
func.func @ema_in_place(%x: tensor<4xf32> {dlcc.input = "x"}, %m: tensor<4xf32> {dlcc.state = @m})
    -> (tensor<4xf32> {dlcc.output = "y"}, tensor<4xf32> {dlcc.tied_state = @m}) {
  %xb = bufferization.to_buffer %x read_only : tensor<4xf32> to memref<4xf32>
  %y = memref.alloc() {alignment = 64 : i64} : memref<4xf32>
  call @neg(%xb, %y) : (memref<4xf32>, memref<4xf32>) -> ()
  %mb = bufferization.to_buffer %m read_only : tensor<4xf32> to memref<4xf32>
  %n = memref.alloc() {alignment = 64 : i64} : memref<4xf32>
  call @ema(%mb, %xb, %n) : (memref<4xf32>, memref<4xf32>, memref<4xf32>) -> ()
  %ty = bufferization.to_tensor %y restrict writable : memref<4xf32> to tensor<4xf32>
  %tn = bufferization.to_tensor %n restrict writable : memref<4xf32> to tensor<4xf32>
  return %ty, %tn : tensor<4xf32>, tensor<4xf32>
}
func.func private @neg(memref<4xf32>, memref<4xf32>) attributes {dlcc.kernel, dlcc.schedule = "elementwise"}
func.func private @ema(%m: memref<4xf32>, %x: memref<4xf32>, %out: memref<4xf32>)
    attributes {dlcc.kernel, dlcc.schedule = "elementwise"} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %a = arith.constant 0.9 : f32
  %b = arith.constant 0.1 : f32
  scf.parallel (%i) = (%c0) to (%c4) step (%c1) {
    %0 = memref.load %m[%i] : memref<4xf32>
    %1 = memref.load %x[%i] : memref<4xf32>
    %2 = arith.mulf %0, %a : f32
    %3 = arith.mulf %1, %b : f32
    %4 = arith.addf %2, %3 : f32
    memref.store %4, %out[%i] : memref<4xf32>
    scf.reduce
  }
  return
}

// -----

// Not in place: the old value is read after the new one is written (k2
// reads m after @ema wrote n), so n is an arena temporary that the exporter
// copies into the slot at the end; it stays live to the return.
//   n: [0, 4]  y: [2, 4]  ->  n -> 0, y -> 256; peak 256 + 16.
// CHECK-LABEL: func.func @read_after_write
// CHECK-SAME: dlcc.arena_bytes = 272 : i64
// CHECK: memref.alloc() {alignment = 64 : i64, dlcc.arena_offset = 0 : i64} : memref<4xf32>
// CHECK-NOT: dlcc.in_place_result
// CHECK: memref.alloc() {alignment = 64 : i64, dlcc.arena_offset = 256 : i64} : memref<4xf32>
dlcc.state_slot batch_norm_statistic @m : tensor<4xf32>
func.func @read_after_write(%x: memref<4xf32> {dlcc.input = "x"}, %m: memref<4xf32> {dlcc.state = @m})
    -> (memref<4xf32> {dlcc.tied_state = @m}, memref<4xf32> {dlcc.output = "y"}) {
  %n = memref.alloc() {alignment = 64 : i64} : memref<4xf32>
  call @ema(%m, %x, %n) : (memref<4xf32>, memref<4xf32>, memref<4xf32>) -> ()
  %y = memref.alloc() {alignment = 64 : i64} : memref<4xf32>
  call @k2(%m, %y) : (memref<4xf32>, memref<4xf32>) -> ()
  return %n, %y : memref<4xf32>, memref<4xf32>
}
func.func private @k2(memref<4xf32>, memref<4xf32>) attributes {dlcc.kernel, dlcc.schedule = "elementwise"}
func.func private @ema(%m: memref<4xf32>, %x: memref<4xf32>, %out: memref<4xf32>)
    attributes {dlcc.kernel, dlcc.schedule = "elementwise"} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  scf.parallel (%i) = (%c0) to (%c4) step (%c1) {
    %0 = memref.load %m[%i] : memref<4xf32>
    %1 = memref.load %x[%i] : memref<4xf32>
    %2 = arith.addf %0, %1 : f32
    memref.store %2, %out[%i] : memref<4xf32>
    scf.reduce
  }
  return
}

// -----

// Not in place: one kernel reads the old value and writes the new one, but
// at other indices (out[i] = m[3 - i]: a thread would read an element
// another thread already overwrote), or with a schedule that is not
// elementwise (a block-per-row reduction over the old value).
// CHECK-LABEL: func.func @not_elementwise
// CHECK-NOT: dlcc.in_place_result
// CHECK: memref.alloc() {alignment = 64 : i64, dlcc.arena_offset = 0 : i64} : memref<4xf32>
// CHECK: memref.alloc() {alignment = 64 : i64, dlcc.arena_offset = 256 : i64} : memref<4xf32>
// CHECK: return
dlcc.state_slot batch_norm_statistic @m : tensor<4xf32>
dlcc.state_slot batch_norm_statistic @s : tensor<4xf32>
func.func @not_elementwise(%m: memref<4xf32> {dlcc.state = @m}, %s: memref<4xf32> {dlcc.state = @s})
    -> (memref<4xf32> {dlcc.tied_state = @m}, memref<4xf32> {dlcc.tied_state = @s}) {
  %n = memref.alloc() {alignment = 64 : i64} : memref<4xf32>
  call @reverse(%m, %n) : (memref<4xf32>, memref<4xf32>) -> ()
  %t = memref.alloc() {alignment = 64 : i64} : memref<4xf32>
  call @rowsum(%s, %t) : (memref<4xf32>, memref<4xf32>) -> ()
  return %n, %t : memref<4xf32>, memref<4xf32>
}
func.func private @reverse(%m: memref<4xf32>, %out: memref<4xf32>)
    attributes {dlcc.kernel, dlcc.schedule = "elementwise"} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %c4 = arith.constant 4 : index
  scf.parallel (%i) = (%c0) to (%c4) step (%c1) {
    %j = arith.subi %c3, %i : index
    %0 = memref.load %m[%j] : memref<4xf32>
    memref.store %0, %out[%i] : memref<4xf32>
    scf.reduce
  }
  return
}
func.func private @rowsum(%m: memref<4xf32>, %out: memref<4xf32>)
    attributes {dlcc.kernel, dlcc.schedule = "block-per-row"} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  scf.parallel (%i) = (%c0) to (%c4) step (%c1) {
    %0 = memref.load %m[%i] : memref<4xf32>
    memref.store %0, %out[%i] : memref<4xf32>
    scf.reduce
  }
  return
}

// -----

// In place whatever the kernel: every read of the old value (k_read, and
// the view of m it reads through) comes before the first write of the new
// one (the block-per-row @rowsum2 reads only x).
// CHECK-LABEL: func.func @read_before_write
// CHECK: memref.alloc() {alignment = 64 : i64, dlcc.arena_offset = 0 : i64} : memref<4xf32>
// CHECK: memref.alloc() {alignment = 64 : i64, dlcc.in_place_result = 0 : i64} : memref<4xf32>
dlcc.state_slot parameter @m : tensor<2x2xf32>
func.func @read_before_write(%x: memref<4xf32> {dlcc.input = "x"}, %m: memref<2x2xf32> {dlcc.state = @m})
    -> (memref<2x2xf32> {dlcc.tied_state = @m}, memref<4xf32> {dlcc.output = "y"}) {
  %y = memref.alloc() {alignment = 64 : i64} : memref<4xf32>
  %mv = memref.collapse_shape %m [[0, 1]] : memref<2x2xf32> into memref<4xf32>
  call @k_read(%mv, %x, %y) : (memref<4xf32>, memref<4xf32>, memref<4xf32>) -> ()
  %n = memref.alloc() {alignment = 64 : i64} : memref<4xf32>
  call @rowsum2(%x, %n) : (memref<4xf32>, memref<4xf32>) -> ()
  %nv = memref.expand_shape %n [[0, 1]] output_shape [2, 2] : memref<4xf32> into memref<2x2xf32>
  return %nv, %y : memref<2x2xf32>, memref<4xf32>
}
func.func private @k_read(memref<4xf32>, memref<4xf32>, memref<4xf32>) attributes {dlcc.kernel, dlcc.schedule = "thread-per-output"}
func.func private @rowsum2(memref<4xf32>, memref<4xf32>) attributes {dlcc.kernel, dlcc.schedule = "block-per-row"}

// -----

// Not in place: the old value is also returned (an output the exporter
// copies at the end, after the kernels), so it is read after the new value
// is written.
// CHECK-LABEL: func.func @state_also_returned
// CHECK-NOT: dlcc.in_place_result
// CHECK: return
dlcc.state_slot batch_norm_statistic @m : tensor<4xf32>
func.func @state_also_returned(%x: memref<4xf32> {dlcc.input = "x"}, %m: memref<4xf32> {dlcc.state = @m})
    -> (memref<4xf32> {dlcc.tied_state = @m}, memref<4xf32> {dlcc.output = "old"}) {
  %n = memref.alloc() {alignment = 64 : i64} : memref<4xf32>
  call @ema(%m, %x, %n) : (memref<4xf32>, memref<4xf32>, memref<4xf32>) -> ()
  return %n, %m : memref<4xf32>, memref<4xf32>
}
func.func private @ema(%m: memref<4xf32>, %x: memref<4xf32>, %out: memref<4xf32>)
    attributes {dlcc.kernel, dlcc.schedule = "elementwise"} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  scf.parallel (%i) = (%c0) to (%c4) step (%c1) {
    %0 = memref.load %m[%i] : memref<4xf32>
    %1 = memref.load %x[%i] : memref<4xf32>
    %2 = arith.addf %0, %1 : f32
    memref.store %2, %out[%i] : memref<4xf32>
    scf.reduce
  }
  return
}
