//===- Passes.td - dlcc conversion passes ----------------------------------===//
#ifndef DLCC_CONVERSION_PASSES_TD
#define DLCC_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertDlccToLinalgPass : Pass<"dlcc-convert-to-linalg", "mlir::ModuleOp"> {
  let summary = "lower dlcc ops to linalg, tensor, arith and math on tensors";
  let description = [{
    Rewrites every dlcc compute op into linalg on tensors (elementwise ops
    become `linalg.generic`, matmuls `linalg.batch_matmul`-shaped generics,
    reductions `linalg.reduce`, data movement tensor ops), keeping value
    semantics so that fusion and dispatch formation work on the result.
    Unsigned element types become signless (the op chosen carries the
    signedness). `dlcc.state_slot` symbols stay. An op without a lowering
    is reported as "failed to legalize".

    ```mlir
    %z = dlcc.add %x, %y : tensor<4xf32>
    // becomes
    %z = linalg.generic {...} ins(%x, %y : ...) outs(%e : ...) {
      ^bb0(%a: f32, %b: f32, %o: f32):
        %s = arith.addf %a, %b : f32
        linalg.yield %s : f32
    } -> tensor<4xf32>
    ```
  }];
  let dependentDialects = [
    "mlir::arith::ArithDialect", "mlir::linalg::LinalgDialect",
    "mlir::math::MathDialect", "mlir::scf::SCFDialect",
    "mlir::tensor::TensorDialect"
  ];
}

#endif // DLCC_CONVERSION_PASSES_TD
