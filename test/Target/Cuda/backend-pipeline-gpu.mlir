// REQUIRES: cuda-toolkit
// RUN: dlcc-opt %s --dlcc-backend-pipeline="from=kernels to=gpu-ptx cpu=false gpu-chips=sm_80,sm_90 cuda-toolkit=%cuda_home" | FileCheck %s
// RUN: dlcc-opt %s --dlcc-backend-pipeline="from=kernels to=gpu-ptx cpu=false gpu-chips=sm_90 cuda-toolkit=%cuda_home" | FileCheck %s --check-prefix=SM90
// RUN: dlcc-opt %s --dlcc-backend-pipeline="from=kernels to=planned" | dlcc-opt --dlcc-map-kernels-to-gpu="format=bin toolkit=%cuda_home" | FileCheck %s --check-prefix=BIN

// The product's GPU path from dlcc-form-kernels' output (kernel functions on
// tensors): plan (library calls, math expansion, bufferize, tile, memory
// plan), map, PTX. One gpu.binary holds one PTX module per target, each with
// both kernels as .entry points taking one pointer per buffer (input, then
// output); exp is a polynomial (dlcc-expand-math), so no libdevice call.

// CHECK-LABEL: func.func @main
// CHECK: call @main_kernel_0(%{{.+}}, %{{.+}}) : (memref<16x1000xf32>, memref<16x1000xf32>) -> ()
// CHECK: call @main_kernel_1(%{{.+}}, %{{.+}}) : (memref<16x1000xf32>, memref<16xf32>) -> ()
// CHECK-LABEL: func.func private @main_kernel_0
// CHECK-SAME: dlcc.block = 256 : i64, dlcc.grid = 63 : i64
// CHECK: gpu.launch_func @dlcc_kernels::@main_kernel_0
// CHECK-LABEL: func.func private @main_kernel_1
// CHECK-SAME: dlcc.block = 256 : i64, dlcc.grid = 16 : i64
// CHECK: gpu.launch_func @dlcc_kernels::@main_kernel_1
// CHECK: gpu.binary @dlcc_kernels [#gpu.object<#nvvm.target<chip = "sm_80", features = "+ptx80">, properties = {{[{][^}]*[}]}}, assembly = "
// CHECK-SAME: .target sm_80
// CHECK-SAME: .visible .entry main_kernel_0(\0A\09.param .u64 .ptr .align 1 main_kernel_0_param_0,\0A\09.param .u64 .ptr .align 1 main_kernel_0_param_1\0A)
// CHECK-SAME: fma.rn.f32
// CHECK-SAME: .visible .entry main_kernel_1(\0A\09.param .u64 .ptr .align 1 main_kernel_1_param_0,\0A\09.param .u64 .ptr .align 1 main_kernel_1_param_1\0A)
// CHECK-SAME: shfl.sync.bfly
// CHECK-SAME: bar.sync
// CHECK-SAME: #gpu.object<#nvvm.target<chip = "sm_90", features = "+ptx80">, properties = {{[{][^}]*[}]}}, assembly = "
// CHECK-SAME: .target sm_90
// CHECK-NOT: __nv_expf
// CHECK-NOT: gpu.module

// BIN: gpu.binary @dlcc_kernels [#gpu.object<#nvvm.target<chip = "sm_80", features = "+ptx80">, properties = {{[{][^}]*[}]}}, bin = "\7FELF
// BIN-SAME: #gpu.object<#nvvm.target<chip = "sm_90", features = "+ptx80">, properties = {{[{][^}]*[}]}}, bin = "\7FELF

// SM90: gpu.binary @dlcc_kernels [#gpu.object<#nvvm.target<chip = "sm_90", features = "+ptx80">, properties = {{[{][^}]*[}]}}, assembly = "
// SM90-SAME: .target sm_90
// SM90-NOT: sm_80

#id = affine_map<(d0, d1) -> (d0, d1)>
module {
  func.func @main(%x: tensor<16x1000xf32>) -> tensor<16xf32> {
    %e = call @main_kernel_0(%x) : (tensor<16x1000xf32>) -> tensor<16x1000xf32>
    %s = call @main_kernel_1(%e) : (tensor<16x1000xf32>) -> tensor<16xf32>
    return %s : tensor<16xf32>
  }
  func.func private @main_kernel_0(%x: tensor<16x1000xf32>) -> tensor<16x1000xf32> attributes {dlcc.kernel} {
    %init = tensor.empty() : tensor<16x1000xf32>
    %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<16x1000xf32>) outs(%init : tensor<16x1000xf32>) {
    ^bb0(%a: f32, %o: f32):
      %v = math.exp %a : f32
      linalg.yield %v : f32
    } -> tensor<16x1000xf32>
    return %r : tensor<16x1000xf32>
  }
  func.func private @main_kernel_1(%x: tensor<16x1000xf32>) -> tensor<16xf32> attributes {dlcc.kernel} {
    %zero = arith.constant 0.0 : f32
    %init = tensor.empty() : tensor<16xf32>
    %f = linalg.fill ins(%zero : f32) outs(%init : tensor<16xf32>) -> tensor<16xf32>
    %r = linalg.reduce { arith.addf } ins(%x : tensor<16x1000xf32>) outs(%f : tensor<16xf32>) dimensions = [1]
    return %r : tensor<16xf32>
  }
}
