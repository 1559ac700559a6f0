//===- CudaCodegenPipeline.cpp - the dlcc-cuda-codegen pipeline -----------===//
#include "dlcc/Dialect/Dlcc/Transforms/Passes.h"
#include "dlcc/Target/Cuda/Passes.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"

void mlir::dlcc::buildCudaCodegenPipeline(OpPassManager &pm,
                                          const CudaCodegenOptions &options) {
  pm.addPass(createBufferizeKernelsPass());
  TileKernelsPassOptions tile;
  tile.threadsPerBlock = options.threadsPerBlock;
  pm.addPass(createTileKernelsPass(tile));
  MapKernelsToGpuPassOptions map;
  map.chips.assign(options.chips.begin(), options.chips.end());
  map.features = options.features;
  map.format = options.format;
  map.toolkit = options.toolkit;
  pm.addPass(createMapKernelsToGpuPass(map));
}

void mlir::dlcc::registerDlccCudaPassesAndPipelines() {
  registerDlccCudaPasses();
  PassPipelineRegistration<CudaCodegenOptions>(
      "dlcc-cuda-codegen",
      "kernel functions (after dlcc-form-kernels) to one gpu.binary: "
      "bufferize, tile into block/thread loops, map to the GPU, PTX/cubin",
      [](OpPassManager &pm, const CudaCodegenOptions &options) {
        buildCudaCodegenPipeline(pm, options);
      });
}
