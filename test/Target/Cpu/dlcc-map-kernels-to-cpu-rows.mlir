// RUN: dlcc-opt %s --dlcc-map-kernels-to-cpu | FileCheck %s

// On the CPU the threads of a block run in sequence, so a thread loop whose
// threads each stride over the row (for %c = %t to N step T) is one
// contiguous loop over [0, N), which vectorizes: a reducing one starts
// from the combine's identity (the per-thread initial value), gets a
// reassociable combine, and its result is combined with the thread loop's
// initial value; an elementwise one is just the loop. The row values stay
// SSA values between the phases. A NaN-propagating max becomes maxnum (a
// reduction LLVM vectorizes) and a scan of the row for NaNs (another one),
// the partial NaN if it found one.

// CHECK-LABEL: func.func @softmax_rows
// CHECK-SAME: (%[[BEGIN:.+]]: index, %[[END:.+]]: index, %[[X:.+]]: memref<4x100xf32>, %[[MAXES:.+]]: memref<4xf32>, %[[Y:.+]]: memref<4x100xf32>)
// CHECK-DAG: %[[NINF:.+]] = arith.constant 0xFF800000 : f32
// CHECK-DAG: %[[ZERO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK-DAG: %[[C100:.+]] = arith.constant 100 : index
// CHECK: scf.parallel (%[[B:.+]]) = (%[[BEGIN]]) to (%[[END]])
// CHECK-NOT: scf.parallel
// CHECK: %[[PMAX:.+]] = scf.for %[[K:.+]] = %[[C0:.+]] to %[[C100]] step %[[C1:.+]] iter_args(%[[ACC:.+]] = %[[NINF]]) -> (f32) {
// CHECK-NEXT: %[[V:.+]] = memref.load %[[X]][%[[B]], %[[K]]]
// CHECK-NEXT: %[[M:.+]] = arith.maxnumf %[[ACC]], %[[V]] fastmath<reassoc> : f32
// CHECK-NEXT: scf.yield %[[M]] : f32
// CHECK-DAG: %[[NONE:.+]] = arith.constant 0.000000e+00 : f32
// CHECK-DAG: %[[ONE:.+]] = arith.constant 1.000000e+00 : f32
// CHECK-DAG: %[[NAN:.+]] = arith.constant 0x7FC00000 : f32
// CHECK: %[[SCAN:.+]] = scf.for %[[K2:.+]] = %[[C0]] to %[[C100]] step %[[C1]] iter_args(%[[SEEN:.+]] = %[[NONE]]) -> (f32) {
// CHECK-NEXT: %[[V2:.+]] = memref.load %[[X]][%[[B]], %[[K2]]]
// CHECK-NEXT: %[[ISNAN:.+]] = arith.cmpf uno, %[[V2]], %[[V2]] : f32
// CHECK-NEXT: %[[MARK:.+]] = arith.select %[[ISNAN]], %[[ONE]], %[[NONE]] : f32
// CHECK-NEXT: %[[SEEN2:.+]] = arith.maxnumf %[[SEEN]], %[[MARK]] fastmath<reassoc> : f32
// CHECK-NEXT: scf.yield %[[SEEN2]] : f32
// CHECK: %[[SAW:.+]] = arith.cmpf ogt, %[[SCAN]], %[[NONE]] : f32
// CHECK-NEXT: %[[PMAXNAN:.+]] = arith.select %[[SAW]], %[[NAN]], %[[PMAX]] : f32
// CHECK-NEXT: %[[MAX:.+]] = arith.maximumf %[[NINF]], %[[PMAXNAN]] : f32
// CHECK-NEXT: memref.store %[[MAX]], %[[MAXES]][%[[B]]]
// CHECK: %[[PSUM:.+]] = scf.for %{{.+}} = %{{.+}} to %[[C100]] step %{{.+}} iter_args(%{{.+}} = %[[ZERO]]) -> (f32) {
// CHECK: arith.subf %{{.+}}, %[[MAX]] : f32
// CHECK: arith.addf %{{.+}}, %{{.+}} fastmath<reassoc> : f32
// CHECK: %[[SUM:.+]] = arith.addf %[[ZERO]], %[[PSUM]] : f32
// CHECK: scf.for %[[J:.+]] = %{{.+}} to %[[C100]] step %{{.+}} {
// CHECK: arith.divf %{{.+}}, %[[SUM]] : f32
// CHECK: memref.store %{{.+}}, %[[Y]][%[[B]], %[[J]]]
// CHECK-NOT: scf.reduce(
module {
  func.func private @softmax_rows(%x: memref<4x100xf32>, %maxes: memref<4xf32>, %y: memref<4x100xf32>) attributes {dlcc.block = 64 : i64, dlcc.grid = 4 : i64, dlcc.kernel, dlcc.schedule = "row"} {
    %ninf = arith.constant 0xFF800000 : f32
    %zero = arith.constant 0.0 : f32
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c4 = arith.constant 4 : index
    %c64 = arith.constant 64 : index
    %c100 = arith.constant 100 : index
    scf.parallel (%b) = (%c0) to (%c4) step (%c1) {
      %pmax = scf.parallel (%t) = (%c0) to (%c64) step (%c1) init (%ninf) -> f32 {
        %p = scf.for %k = %t to %c100 step %c64 iter_args(%acc = %ninf) -> (f32) {
          %v = memref.load %x[%b, %k] : memref<4x100xf32>
          %m = arith.maximumf %acc, %v : f32
          scf.yield %m : f32
        }
        scf.reduce(%p : f32) {
        ^bb0(%l: f32, %r: f32):
          %m = arith.maximumf %l, %r : f32
          scf.reduce.return %m : f32
        }
      }
      memref.store %pmax, %maxes[%b] : memref<4xf32>
      %psum = scf.parallel (%t) = (%c0) to (%c64) step (%c1) init (%zero) -> f32 {
        %p = scf.for %k = %t to %c100 step %c64 iter_args(%acc = %zero) -> (f32) {
          %v = memref.load %x[%b, %k] : memref<4x100xf32>
          %d = arith.subf %v, %pmax : f32
          %e = math.exp %d : f32
          %s = arith.addf %acc, %e : f32
          scf.yield %s : f32
        }
        scf.reduce(%p : f32) {
        ^bb0(%l: f32, %r: f32):
          %s = arith.addf %l, %r : f32
          scf.reduce.return %s : f32
        }
      }
      scf.parallel (%t) = (%c0) to (%c64) step (%c1) {
        scf.for %k = %t to %c100 step %c64 {
          %v = memref.load %x[%b, %k] : memref<4x100xf32>
          %d = arith.subf %v, %pmax : f32
          %e = math.exp %d : f32
          %q = arith.divf %e, %psum : f32
          memref.store %q, %y[%b, %k] : memref<4x100xf32>
        }
        scf.reduce
      }
      scf.reduce
    }
    return
  }

  // Each thread's partial starting from 1.0 (not the sum's neutral 0.0):
  // joining would count it once instead of 64 times, so the thread loop
  // stays.
  // CHECK-LABEL: func.func @not_neutral
  // CHECK: scf.parallel
  // CHECK: scf.parallel
  // CHECK: scf.reduce(
  func.func private @not_neutral(%x: memref<4x100xf32>, %s: memref<4xf32>) attributes {dlcc.block = 64 : i64, dlcc.grid = 4 : i64, dlcc.kernel} {
    %zero = arith.constant 0.0 : f32
    %one = arith.constant 1.0 : f32
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c4 = arith.constant 4 : index
    %c64 = arith.constant 64 : index
    %c100 = arith.constant 100 : index
    scf.parallel (%b) = (%c0) to (%c4) step (%c1) {
      %sum = scf.parallel (%t) = (%c0) to (%c64) step (%c1) init (%zero) -> f32 {
        %p = scf.for %k = %t to %c100 step %c64 iter_args(%acc = %one) -> (f32) {
          %v = memref.load %x[%b, %k] : memref<4x100xf32>
          %a = arith.addf %acc, %v : f32
          scf.yield %a : f32
        }
        scf.reduce(%p : f32) {
        ^bb0(%l: f32, %r: f32):
          %a = arith.addf %l, %r : f32
          scf.reduce.return %a : f32
        }
      }
      memref.store %sum, %s[%b] : memref<4xf32>
      scf.reduce
    }
    return
  }
}
