//===- Passes.td - passes on the dlcc dialect -===//
#ifndef DLCC_DIALECT_DLCC_TRANSFORMS_PASSES_TD
#define DLCC_DIALECT_DLCC_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def AnnotateIndexBoundsPass : Pass<"dlcc-annotate-index-bounds", "mlir::ModuleOp"> {
  let summary = "record the valid range of entry-point inputs used as indices";
  let description = [{
    Runs on the dlcc dialect (before lowering). Generated kernels clamp
    gather indices and labels into range, so they never read out of bounds;
    an out-of-range value in the data is still a user error that must be
    reported, not silently clamped. For every `dlcc.gather`,
    `dlcc.gather_elements` and `dlcc.cross_entropy` whose indices (labels)
    come from an entry-point input through value-preserving ops only
    (`dlcc.reshape`, `dlcc.broadcast_in_dim`, integer `dlcc.convert`, and
    the importer's negative-index normalisation `select(x < 0, x + n, x)`),
    the input gets `dlcc.index_bounds`, checked by the runtime when the
    input is set:

    - `min`, `max`: the allowed values `[min, max)`: `[0, n)` for a gather
      along a dimension of size `n`, `[-n, n)` when negative indices are
      normalised, `[0, C)` for cross-entropy labels over `C` classes;
    - `ignore` (cross-entropy only): the `ignore_index`, also allowed;
    - `use`: what the input indexes, for the message ("Gather at ONNX node
      '/tok_emb/Gather'").

    An input used several times gets the intersection of the ranges (and
    loses `ignore` unless every use allows it).

    ```mlir
    func.func @forward(%idx: tensor<2x8xi64> {dlcc.input = "idx"}, ...) {
      %g = dlcc.gather %table[%idx], axis = 0 : ...   // table: 64 rows
    // becomes
    func.func @forward(%idx: tensor<2x8xi64> {dlcc.input = "idx",
        dlcc.index_bounds = {max = 64 : i64, min = 0 : i64, use = "Gather ..."}}, ...)
    ```
  }];
}

#endif // DLCC_DIALECT_DLCC_TRANSFORMS_PASSES_TD
