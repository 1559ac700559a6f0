// RUN: dlcc-opt %s --dlcc-tile-kernels --split-input-file | FileCheck %s
// RUN: dlcc-opt %s --dlcc-tile-kernels="threads-per-block=128" --split-input-file | FileCheck %s --check-prefix=T128
// RUN: dlcc-opt %s --dlcc-tile-kernels="threads-per-block=96" --split-input-file | FileCheck %s --check-prefix=T96

// dlcc-tile-kernels: each bufferized kernel becomes one block loop
// (scf.parallel over dlcc.grid blocks) around one thread loop (scf.parallel
// over dlcc.block threads).

// Elementwise, 10x100 = 1000 points flattened: 4 blocks of 256 threads, the
// point i = b*256 + t guarded by i < 1000 and delinearized (column fastest)
// in 32-bit arithmetic (fewer than 2^31 points). X and Y, indexed by both
// loops in order, are read and written through 1-D views at i itself; only
// the bias needs a split index (the row, unused, is left to the folders).
// CHECK-LABEL: func.func private @elementwise
// CHECK-SAME: (%[[X:.+]]: memref<10x100xf32>, %[[B:.+]]: memref<100xf32>, %[[Y:.+]]: memref<10x100xf32>)
// CHECK-SAME: dlcc.block = 256 : i64, dlcc.grid = 4 : i64, dlcc.kernel, dlcc.schedule = "elementwise"
// CHECK-DAG: %[[C0:.+]] = arith.constant 0 : index
// CHECK-DAG: %[[C1:.+]] = arith.constant 1 : index
// CHECK-DAG: %[[C4:.+]] = arith.constant 4 : index
// CHECK-DAG: %[[C256:.+]] = arith.constant 256 : index
// CHECK: scf.parallel (%[[BID:.+]]) = (%[[C0]]) to (%[[C4]]) step (%[[C1]]) {
// CHECK-NEXT: scf.parallel (%[[TID:.+]]) = (%[[C0]]) to (%[[C256]]) step (%[[C1]]) {
// CHECK-NEXT: %[[BASE:.+]] = arith.muli %[[BID]], %[[C256]] : index
// CHECK-NEXT: %[[I:.+]] = arith.addi %[[BASE]], %[[TID]] : index
// CHECK-NEXT: %[[N:.+]] = arith.constant 1000 : index
// CHECK-NEXT: %[[IN:.+]] = arith.cmpi ult, %[[I]], %[[N]] : index
// CHECK-NEXT: scf.if %[[IN]] {
// CHECK-NEXT: %[[I32:.+]] = arith.index_castui %[[I]] : index to i32
// CHECK-NEXT: %[[C100:.+]] = arith.constant 100 : i32
// CHECK-NEXT: %[[COL32:.+]] = arith.remui %[[I32]], %[[C100]] : i32
// CHECK-NEXT: %[[COL:.+]] = arith.index_castui %[[COL32]] : i32 to index
// CHECK-NEXT: arith.divui %[[I32]], %[[C100]] : i32
// CHECK-NEXT: %[[XF:.+]] = memref.collapse_shape %[[X]] {{\[}}[0, 1]] : memref<10x100xf32> into memref<1000xf32>
// CHECK-NEXT: %[[A:.+]] = memref.load %[[XF]][%[[I]]] : memref<1000xf32>
// CHECK-NEXT: %[[V:.+]] = memref.load %[[B]][%[[COL]]] : memref<100xf32>
// CHECK-NEXT: %[[S:.+]] = arith.addf %[[A]], %[[V]] : f32
// CHECK-NEXT: %[[YF:.+]] = memref.collapse_shape %[[Y]] {{\[}}[0, 1]] : memref<10x100xf32> into memref<1000xf32>
// CHECK-NEXT: memref.store %[[S]], %[[YF]][%[[I]]] : memref<1000xf32>
// CHECK-NEXT: }
// CHECK-NEXT: scf.reduce
// CHECK-NEXT: }
// CHECK-NEXT: scf.reduce
// CHECK-NEXT: }
// CHECK-NEXT: return
// CHECK-NOT: linalg.
// T128-LABEL: func.func private @elementwise
// T128-SAME: dlcc.block = 128 : i64, dlcc.grid = 8 : i64
func.func private @elementwise(%x: memref<10x100xf32>, %b: memref<100xf32>, %y: memref<10x100xf32>) attributes {dlcc.kernel} {
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%x, %b : memref<10x100xf32>, memref<100xf32>) outs(%y : memref<10x100xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// A row reduction (softmax's sum of exp): one block per row, each thread
// sums a strided slice of the row, scf.reduce combines the partials, and the
// result is combined with the fill's value and stored.
// CHECK-LABEL: func.func private @row_sum_exp
// CHECK-SAME: (%[[X:.+]]: memref<16x1000xf32>, %[[M:.+]]: memref<16xf32>, %[[S:.+]]: memref<16xf32>)
// CHECK-SAME: dlcc.block = 256 : i64, dlcc.grid = 16 : i64, dlcc.kernel, dlcc.schedule = "block-per-row"
// CHECK-DAG: %[[ZERO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK-DAG: %[[C256:.+]] = arith.constant 256 : index
// CHECK-DAG: %[[C16:.+]] = arith.constant 16 : index
// CHECK-DAG: %[[C1000:.+]] = arith.constant 1000 : index
// CHECK-NOT: linalg.fill
// CHECK: scf.parallel (%[[ROW:.+]]) = (%{{.+}}) to (%[[C16]])
// CHECK-NEXT: %[[TOTAL:.+]] = scf.parallel (%[[T:.+]]) = (%{{.+}}) to (%[[C256]]) step (%{{.+}}) init (%[[ZERO]]) -> f32 {
// CHECK-NEXT: %[[P:.+]] = scf.for %[[K:.+]] = %[[T]] to %[[C1000]] step %[[C256]] iter_args(%[[ACC:.+]] = %[[ZERO]]) -> (f32) {
// CHECK-NEXT: memref.load %[[X]][%[[ROW]], %[[K]]]
// CHECK-NEXT: memref.load %[[M]][%[[ROW]]]
// CHECK-NEXT: arith.subf
// CHECK-NEXT: math.exp
// CHECK-NEXT: %[[NEXT:.+]] = arith.addf %[[ACC]], %{{.+}} : f32
// CHECK-NEXT: scf.yield %[[NEXT]] : f32
// CHECK: scf.reduce(%[[P]] : f32) {
// CHECK-NEXT: ^bb0(%[[L:.+]]: f32, %[[R:.+]]: f32):
// CHECK-NEXT: %[[LR:.+]] = arith.addf %[[L]], %[[R]] : f32
// CHECK-NEXT: scf.reduce.return %[[LR]] : f32
// CHECK: %[[OUT:.+]] = arith.addf %[[ZERO]], %[[TOTAL]] : f32
// CHECK-NEXT: memref.store %[[OUT]], %[[S]][%[[ROW]]] : memref<16xf32>
// T128-LABEL: func.func private @row_sum_exp
// T128-SAME: dlcc.block = 128 : i64, dlcc.grid = 16 : i64
func.func private @row_sum_exp(%x: memref<16x1000xf32>, %m: memref<16xf32>, %s: memref<16xf32>) attributes {dlcc.kernel} {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%s : memref<16xf32>)
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%x, %m : memref<16x1000xf32>, memref<16xf32>) outs(%s : memref<16xf32>) {
  ^bb0(%a: f32, %mx: f32, %o: f32):
    %d = arith.subf %a, %mx : f32
    %e = math.exp %d : f32
    %r = arith.addf %o, %e : f32
    linalg.yield %r : f32
  }
  return
}

// -----

// A short row (48 points) gets 64 threads; a max starts from -inf and the
// output's previous value is the initial value when no fill precedes.
// CHECK-LABEL: func.func private @row_max
// CHECK-SAME: (%[[X:.+]]: memref<4x48xf32>, %[[Y:.+]]: memref<4xf32>)
// CHECK-SAME: dlcc.block = 64 : i64, dlcc.grid = 4 : i64
// CHECK: %[[NINF:.+]] = arith.constant 0xFF800000 : f32
// CHECK: scf.parallel (%[[ROW:.+]]) =
// CHECK: %[[TOTAL:.+]] = scf.parallel {{.*}} init (%[[NINF]]) -> f32
// CHECK: arith.maximumf
// CHECK: scf.reduce
// CHECK: arith.maximumf
// CHECK: %[[OLD:.+]] = memref.load %[[Y]][%[[ROW]]] : memref<4xf32>
// CHECK-NEXT: %[[OUT:.+]] = arith.maximumf %[[OLD]], %[[TOTAL]] : f32
// CHECK-NEXT: memref.store %[[OUT]], %[[Y]][%[[ROW]]]
func.func private @row_max(%x: memref<4x48xf32>, %y: memref<4xf32>) attributes {dlcc.kernel} {
  linalg.reduce { arith.maximumf } ins(%x : memref<4x48xf32>) outs(%y : memref<4xf32>) dimensions = [1]
  return
}

// -----

// A block-per-row block has a power-of-two number of warps: upstream's
// gpu.all_reduce lowering combines the per-warp partials with a butterfly
// that leaves a wrong partial in some lanes, all of which store it, when the
// warp count is not a power of two. 72 points get 128 threads, not 96; a
// 96-thread limit gives 64.
// CHECK-LABEL: func.func private @row_sum_72
// CHECK-SAME: dlcc.block = 128 : i64, dlcc.grid = 8 : i64, dlcc.kernel, dlcc.schedule = "block-per-row"
// T128-LABEL: func.func private @row_sum_72
// T128-SAME: dlcc.block = 128 : i64, dlcc.grid = 8 : i64
// T96-LABEL: func.func private @row_sum_72
// T96-SAME: dlcc.block = 64 : i64, dlcc.grid = 8 : i64
func.func private @row_sum_72(%x: memref<8x72xf32>, %y: memref<8xf32>) attributes {dlcc.kernel} {
  linalg.reduce { arith.addf } ins(%x : memref<8x72xf32>) outs(%y : memref<8xf32>) dimensions = [1]
  return
}

// -----

// A matmul (two operands each missing a parallel loop) is one output per
// thread with the reduction loop serial: 4x16 = 64 outputs, one block of 64,
// no guard; the fill is the accumulator's initial value. The output is
// written through its 1-D view at the flat point.
// CHECK-LABEL: func.func private @matmul
// CHECK-SAME: (%[[A:.+]]: memref<4x8xf32>, %[[B:.+]]: memref<8x16xf32>, %[[C:.+]]: memref<4x16xf32>)
// CHECK-SAME: dlcc.block = 64 : i64, dlcc.grid = 1 : i64, dlcc.kernel, dlcc.schedule = "thread-per-output"
// CHECK-DAG: %[[ZERO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK-NOT: linalg.fill
// CHECK: scf.parallel
// CHECK-NEXT: scf.parallel
// CHECK-NOT: scf.if
// CHECK: %[[P:.+]] = arith.addi
// CHECK: %[[N32:.+]] = arith.remui
// CHECK-NEXT: %[[N:.+]] = arith.index_castui %[[N32]]
// CHECK-NEXT: %[[M32:.+]] = arith.divui
// CHECK-NEXT: %[[M:.+]] = arith.index_castui %[[M32]]
// CHECK: %[[SUM:.+]] = scf.for %[[K:.+]] = {{.*}} iter_args(%[[ACC:.+]] = %[[ZERO]]) -> (f32) {
// CHECK-NEXT: memref.load %[[A]][%[[M]], %[[K]]]
// CHECK-NEXT: memref.load %[[B]][%[[K]], %[[N]]]
// CHECK-NEXT: arith.mulf
// CHECK-NEXT: arith.addf %[[ACC]]
// CHECK: %[[CF:.+]] = memref.collapse_shape %[[C]] {{\[}}[0, 1]] : memref<4x16xf32> into memref<64xf32>
// CHECK-NEXT: memref.store %[[SUM]], %[[CF]][%[[P]]] : memref<64xf32>
func.func private @matmul(%a: memref<4x8xf32>, %b: memref<8x16xf32>, %c: memref<4x16xf32>) attributes {dlcc.kernel} {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%c : memref<4x16xf32>)
  linalg.matmul ins(%a, %b : memref<4x8xf32>, memref<8x16xf32>) outs(%c : memref<4x16xf32>)
  return
}

// -----

// A copy into the output before the op becomes a load of the copy's source.
// CHECK-LABEL: func.func private @update
// CHECK-SAME: (%[[W:.+]]: memref<8xf32>, %[[G:.+]]: memref<8xf32>, %[[O:.+]]: memref<8xf32>)
// CHECK-SAME: dlcc.block = 32 : i64, dlcc.grid = 1 : i64
// CHECK-NOT: memref.copy
// CHECK: scf.if
// CHECK-NEXT: %[[OLD:.+]] = memref.load %[[W]][%[[I:.+]]] : memref<8xf32>
// CHECK-NEXT: %[[D:.+]] = memref.load %[[G]][%[[I]]] : memref<8xf32>
// CHECK-NEXT: %[[NEW:.+]] = arith.subf %[[OLD]], %[[D]] : f32
// CHECK-NEXT: memref.store %[[NEW]], %[[O]][%[[I]]] : memref<8xf32>
func.func private @update(%w: memref<8xf32>, %g: memref<8xf32>, %out: memref<8xf32>) attributes {dlcc.kernel} {
  memref.copy %w, %out : memref<8xf32> to memref<8xf32>
  linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%g : memref<8xf32>) outs(%out : memref<8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.subf %o, %a : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// A 2x2 max pool: 4 points of reduction per output is too short for a
// block; the window allocation (shape only) goes away.
// CHECK-LABEL: func.func private @max_pool
// CHECK-SAME: dlcc.schedule = "thread-per-output"
// CHECK-NOT: memref.alloc
// CHECK: scf.for
// CHECK-NEXT: scf.for
// CHECK: arith.maximumf
func.func private @max_pool(%x: memref<1x1x4x4xf32>, %y: memref<1x1x2x2xf32>) attributes {dlcc.kernel} {
  %ninf = arith.constant 0xFF800000 : f32
  %win = memref.alloc() {alignment = 64 : i64} : memref<2x2xf32>
  linalg.fill ins(%ninf : f32) outs(%y : memref<1x1x2x2xf32>)
  linalg.pooling_nchw_max {dilations = dense<1> : vector<2xi64>, strides = dense<2> : vector<2xi64>} ins(%x, %win : memref<1x1x4x4xf32>, memref<2x2xf32>) outs(%y : memref<1x1x2x2xf32>)
  return
}

// -----

// A lone fill is an elementwise kernel; a scalar (rank-0) output is one point.
// CHECK-LABEL: func.func private @fill_only
// CHECK-SAME: dlcc.block = 32 : i64, dlcc.grid = 1 : i64, dlcc.kernel, dlcc.schedule = "elementwise"
// CHECK: memref.store %{{.+}}, %{{.+}}[] : memref<f32>
func.func private @fill_only(%y: memref<f32>) attributes {dlcc.kernel} {
  %one = arith.constant 1.0 : f32
  linalg.fill ins(%one : f32) outs(%y : memref<f32>)
  return
}

// -----

// A scalar read of a kernel argument (a dropout key from the RNG state) is
// moved into the payload: every thread reads it inside the thread loop, so
// nothing is read from device memory before the launch.
// CHECK-LABEL: func.func private @scalar_read
// CHECK-SAME: (%[[KEY:.+]]: memref<i64>, %[[X:.+]]: memref<64xi64>, %[[Y:.+]]: memref<64xi64>)
// CHECK: scf.parallel
// CHECK: scf.parallel
// CHECK: %[[K:.+]] = memref.load %[[KEY]][] : memref<i64>
// CHECK: arith.addi %{{.+}}, %[[K]] : i64
// T128-LABEL: func.func private @scalar_read
func.func private @scalar_read(%key: memref<i64>, %x: memref<64xi64>, %y: memref<64xi64>) attributes {dlcc.kernel} {
  %k = memref.load %key[] : memref<i64>
  linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>],
                  iterator_types = ["parallel"]}
      ins(%x : memref<64xi64>) outs(%y : memref<64xi64>) {
  ^bb0(%in: i64, %out: i64):
    %s = arith.addi %in, %k : i64
    linalg.yield %s : i64
  }
  return
}

// -----

// A row kernel (softmax over rows of 100): one block per row; the row max
// and the sum of exp are thread loops whose reduced values stay SSA values
// (the per-row buffers are gone), read by the next phases; the last phase
// writes the row, each thread every 128th element.
// CHECK-LABEL: func.func private @softmax_rows
// CHECK-SAME: (%[[X:.+]]: memref<4x100xf32>, %[[Y:.+]]: memref<4x100xf32>)
// CHECK-SAME: dlcc.block = 128 : i64, dlcc.grid = 4 : i64, dlcc.kernel, dlcc.schedule = "row"
// CHECK-NOT: memref.alloc
// CHECK: scf.parallel (%[[ROW:.+]]) =
// CHECK-NEXT: %[[PMAX:.+]] = scf.parallel (%[[T:.+]]) = {{.*}} init (%[[NINF:.+]]) -> f32 {
// CHECK: arith.maximumf
// CHECK: scf.reduce
// CHECK: %[[MAX:.+]] = arith.maximumf %[[NINF]], %[[PMAX]] : f32
// CHECK-NEXT: %[[PSUM:.+]] = scf.parallel {{.*}} init (%[[ZERO:.+]]) -> f32 {
// CHECK: memref.load %[[X]][%[[ROW]], %{{.+}}]
// CHECK-NEXT: arith.subf %{{.+}}, %[[MAX]] : f32
// CHECK: scf.reduce
// CHECK: %[[SUM:.+]] = arith.addf %[[ZERO]], %[[PSUM]] : f32
// CHECK-NEXT: scf.parallel (%[[T2:.+]]) =
// CHECK-NEXT: scf.for %[[K:.+]] = %[[T2]] to %{{.+}} step %{{.+}} {
// CHECK-NEXT: %[[V:.+]] = memref.load %[[X]][%[[ROW]], %[[K]]]
// CHECK-NEXT: %[[D:.+]] = arith.subf %[[V]], %[[MAX]] : f32
// CHECK-NEXT: %[[E:.+]] = math.exp %[[D]] : f32
// CHECK-NEXT: %[[Q:.+]] = arith.divf %[[E]], %[[SUM]] : f32
// CHECK-NEXT: memref.store %[[Q]], %[[Y]][%[[ROW]], %[[K]]]
// CHECK-NOT: memref.store
// CHECK: return
// T96-LABEL: func.func private @softmax_rows
// T96-SAME: dlcc.block = 64 : i64, dlcc.grid = 4 : i64, dlcc.kernel, dlcc.schedule = "row"
func.func private @softmax_rows(%x: memref<4x100xf32>, %y: memref<4x100xf32>) attributes {dlcc.kernel} {
  %ninf = arith.constant 0xFF800000 : f32
  %zero = arith.constant 0.0 : f32
  %max = memref.alloc() : memref<4xf32>
  linalg.fill ins(%ninf : f32) outs(%max : memref<4xf32>)
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%x : memref<4x100xf32>) outs(%max : memref<4xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.maximumf %o, %a : f32
    linalg.yield %m : f32
  }
  %sum = memref.alloc() : memref<4xf32>
  linalg.fill ins(%zero : f32) outs(%sum : memref<4xf32>)
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%x, %max : memref<4x100xf32>, memref<4xf32>) outs(%sum : memref<4xf32>) {
  ^bb0(%a: f32, %m: f32, %o: f32):
    %d = arith.subf %a, %m : f32
    %e = math.exp %d : f32
    %s = arith.addf %o, %e : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%x, %max, %sum : memref<4x100xf32>, memref<4xf32>, memref<4xf32>) outs(%y : memref<4x100xf32>) {
  ^bb0(%a: f32, %m: f32, %s: f32, %o: f32):
    %d = arith.subf %a, %m : f32
    %e = math.exp %d : f32
    %q = arith.divf %e, %s : f32
    linalg.yield %q : f32
  }
  return
}

// -----

// A layer-norm row kernel over 2x3 rows of 8 (two row dimensions): the
// mean is a scalar op on the row sum in the block loop itself, no thread
// loop; rows shorter than a warp still get 32 threads.
// CHECK-LABEL: func.func private @layer_norm_rows
// CHECK-SAME: dlcc.block = 32 : i64, dlcc.grid = 6 : i64, dlcc.kernel, dlcc.schedule = "row"
// CHECK: scf.parallel (%[[ROW:.+]]) =
// CHECK: %[[ROW32:.+]] = arith.index_castui %[[ROW]] : index to i32
// CHECK: %[[R1_32:.+]] = arith.remui %[[ROW32]], %{{.+}} : i32
// CHECK-NEXT: %[[R1:.+]] = arith.index_castui %[[R1_32]] : i32 to index
// CHECK-NEXT: %[[R0_32:.+]] = arith.divui %[[ROW32]], %{{.+}} : i32
// CHECK-NEXT: %[[R0:.+]] = arith.index_castui %[[R0_32]] : i32 to index
// CHECK: %[[PSUM:.+]] = scf.parallel
// CHECK: memref.load %{{.+}}[%[[R0]], %[[R1]], %{{.+}}] : memref<2x3x8xf32>
// CHECK: %[[SUM:.+]] = arith.addf %{{.+}}, %[[PSUM]] : f32
// CHECK-NEXT: %[[MEAN:.+]] = arith.divf %[[SUM]], %{{.+}} : f32
// CHECK-NEXT: %[[PVAR:.+]] = scf.parallel
// CHECK: arith.subf %{{.+}}, %[[MEAN]] : f32
// CHECK: scf.reduce
// CHECK: %[[VAR:.+]] = arith.addf %{{.+}}, %[[PVAR]] : f32
// CHECK-NEXT: scf.parallel
// CHECK: arith.subf %{{.+}}, %[[MEAN]] : f32
// CHECK: math.rsqrt
// CHECK: memref.store %{{.+}}, %{{.+}}[%[[R0]], %[[R1]], %{{.+}}] : memref<2x3x8xf32>
func.func private @layer_norm_rows(%x: memref<2x3x8xf32>, %y: memref<2x3x8xf32>) attributes {dlcc.kernel} {
  %zero = arith.constant 0.0 : f32
  %n = arith.constant 8.0 : f32
  %sum = memref.alloc() : memref<2x3xf32>
  linalg.fill ins(%zero : f32) outs(%sum : memref<2x3xf32>)
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x : memref<2x3x8xf32>) outs(%sum : memref<2x3xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.addf %o, %a : f32
    linalg.yield %s : f32
  }
  %mean = memref.alloc() : memref<2x3xf32>
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%sum : memref<2x3xf32>) outs(%mean : memref<2x3xf32>) {
  ^bb0(%s: f32, %o: f32):
    %m = arith.divf %s, %n : f32
    linalg.yield %m : f32
  }
  %var = memref.alloc() : memref<2x3xf32>
  linalg.fill ins(%zero : f32) outs(%var : memref<2x3xf32>)
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x, %mean : memref<2x3x8xf32>, memref<2x3xf32>) outs(%var : memref<2x3xf32>) {
  ^bb0(%a: f32, %m: f32, %o: f32):
    %d = arith.subf %a, %m : f32
    %q = arith.mulf %d, %d : f32
    %s = arith.addf %o, %q : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%x, %mean, %var : memref<2x3x8xf32>, memref<2x3xf32>, memref<2x3xf32>) outs(%y : memref<2x3x8xf32>) {
  ^bb0(%a: f32, %m: f32, %v: f32, %o: f32):
    %d = arith.subf %a, %m : f32
    %w = arith.divf %v, %n : f32
    %r = math.rsqrt %w : f32
    %z = arith.mulf %d, %r : f32
    linalg.yield %z : f32
  }
  return
}

// -----

// A per-row value that is also a kernel output (the entry point reads it):
// every thread stores the row's value, which the next phase still reads
// as an SSA value.
// CHECK-LABEL: func.func private @exported_row_max
// CHECK-SAME: (%[[X:.+]]: memref<4x100xf32>, %[[MAX:.+]]: memref<4xf32>, %[[Y:.+]]: memref<4x100xf32>)
// CHECK-SAME: dlcc.schedule = "row"
// CHECK: scf.parallel (%[[ROW:.+]]) =
// CHECK: scf.reduce.return
// CHECK: %[[M:.+]] = arith.maximumf %{{.+}}, %{{.+}} : f32
// CHECK-NEXT: memref.store %[[M]], %[[MAX]][%[[ROW]]] : memref<4xf32>
// CHECK: scf.parallel
// CHECK: arith.subf %{{.+}}, %[[M]] : f32
func.func private @exported_row_max(%x: memref<4x100xf32>, %max: memref<4xf32>, %y: memref<4x100xf32>) attributes {dlcc.kernel} {
  %ninf = arith.constant 0xFF800000 : f32
  linalg.fill ins(%ninf : f32) outs(%max : memref<4xf32>)
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%x : memref<4x100xf32>) outs(%max : memref<4xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.maximumf %o, %a : f32
    linalg.yield %m : f32
  }
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%x, %max : memref<4x100xf32>, memref<4xf32>) outs(%y : memref<4x100xf32>) {
  ^bb0(%a: f32, %m: f32, %o: f32):
    %d = arith.subf %a, %m : f32
    linalg.yield %d : f32
  }
  return
}
