//===- DlccProgramOps.td - program state and training markers ------------===//

def Dlcc_StateSlotOp : Dlcc_Op<"state_slot", [Symbol, IsolatedFromAbove]> {
  let summary = "a named piece of program state and its initial value";
  let description = [{
    Declares state that persists across calls of a program's entry points:
    parameters (float initializers of the model; trainable candidates),
    BatchNorm running statistics, optimizer moments, the RNG counter. Entry
    point arguments refer to a slot with the `dlcc.state` argument attribute;
    results that carry its next value have `dlcc.tied_state`. The initial value
    is a `dense_resource` for anything but tiny tensors.

    ```mlir
    dlcc.state_slot parameter @fc1.weight : tensor<8x4xf32>
        = dense_resource<fc1.weight> : tensor<8x4xf32>
    ```
  }];
  let arguments = (ins Dlcc_StateKind:$kind, SymbolNameAttr:$sym_name,
                       TypeAttrOf<Dlcc_Tensor>:$type,
                       OptionalAttr<ElementsAttr>:$initial_value);
  let assemblyFormat = [{
    $kind $sym_name `:` $type (`=` $initial_value^)? attr-dict
  }];
  let hasVerifier = 1;
}

def Dlcc_GradientOp : Dlcc_Op<"gradient", [Pure]> {
  let summary = "gradient of a scalar value with respect to other values";
  let description = [{
    The import of ONNX's `ai.onnx.preview.training` Gradient: the gradient of
    the 0-d `y` with respect to each of `xs`, all defined in the same function.
    The autodiff pass replaces it by the reverse-mode program; until then it
    only records the request. Results have the types of `xs`.

    ```mlir
    %da, %db = dlcc.gradient %y wrt %a, %b
        : (tensor<f32>, tensor<4xf32>, tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>)
    ```
  }];
  let arguments = (ins Dlcc_FloatTensor:$y, Variadic<Dlcc_FloatTensor>:$xs);
  let results = (outs Variadic<Dlcc_FloatTensor>:$gradients);
  let assemblyFormat = [{
    $y `wrt` $xs attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}
