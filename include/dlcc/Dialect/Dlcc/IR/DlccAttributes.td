//===- DlccAttributes.td - typed attributes of dlcc programs --------------===//
//
// The descriptors that pass library calls from selection to the artifact.
// Typed: a missing or ill-formed field is a verifier error where the
// attribute is built, never a default read much later.
//
//===----------------------------------------------------------------------===//
#ifndef DLCC_ATTRIBUTES_TD
#define DLCC_ATTRIBUTES_TD

include "dlcc/Dialect/Dlcc/IR/DlccBase.td"
include "dlcc/Dialect/Dlcc/IR/DlccEnums.td"
include "mlir/IR/AttrTypeBase.td"

class Dlcc_Attr<string name, string attrMnemonic>
    : AttrDef<Dlcc_Dialect, name> {
  let mnemonic = attrMnemonic;
}

def Dlcc_GemmCallAttr : Dlcc_Attr<"GemmCall", "gemm_call"> {
  let summary = "a kernel run as one (batched) GEMM library call";
  let description = [{
    On a kernel function (`dlcc.library_call`): the kernel computes
    `C[i] = op(A[i]) * op(B[i])` for `i < batch`, where `op` transposes
    when `trans_a` / `trans_b` is set; `C` is `m x n`, the contraction has
    `k` terms. `a`, `b` and `c` are the kernel's argument numbers of the
    three row-major buffers, `lda`, `ldb`, `ldc` their leading dimensions
    (elements between rows as stored) and `stride_a`, `stride_b`,
    `stride_c` the elements between consecutive matrices of the batch.
    `element_type` is the operands' type, `compute_type` the accumulator's.
    cuBLASLt and oneDNN run it in the runtime.

    ```mlir
    #dlcc.gemm_call<a = 0, b = 1, c = 2, m = 2, n = 3, k = 4, batch = 1,
      trans_a = false, trans_b = false, lda = 4, ldb = 3, ldc = 3,
      stride_a = 8, stride_b = 12, stride_c = 6,
      element_type = f32, compute_type = f32>
    ```
  }];
  let parameters = (ins
    "int64_t":$a, "int64_t":$b, "int64_t":$c,
    "int64_t":$m, "int64_t":$n, "int64_t":$k, "int64_t":$batch,
    "bool":$trans_a, "bool":$trans_b,
    "int64_t":$lda, "int64_t":$ldb, "int64_t":$ldc,
    "int64_t":$stride_a, "int64_t":$stride_b, "int64_t":$stride_c,
    "Type":$element_type, "Type":$compute_type);
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
}

def Dlcc_ConvCallAttr : Dlcc_Attr<"ConvCall", "conv_call"> {
  let summary = "a kernel run as one convolution library call";
  let description = [{
    On a kernel function (`dlcc.library_call`): a grouped N-d cross
    correlation (NCHW, filters OIHW) `y = conv(x, w)` of the given
    geometry, or one of its gradients: `backward_data` computes `x`'s
    gradient from `y`'s and `w`, `backward_filter` `w`'s gradient from `x`
    and `y`'s. `x`, `w` and `y` are the kernel's argument numbers of the
    buffers in those roles (for a gradient, the buffer of the gradient of
    that tensor); the shapes are the forward convolution's, `pads` its
    explicit low then high padding per spatial dimension (zero padding
    folded in). cuDNN and oneDNN run it in the runtime.

    ```mlir
    #dlcc.conv_call<kind = forward, x = 0, w = 1, y = 2,
      input_shape = array<i64: 1, 3, 8, 8>, filter_shape = array<i64: 4, 3, 3, 3>,
      output_shape = array<i64: 1, 4, 8, 8>, strides = array<i64: 1, 1>,
      pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, groups = 1,
      element_type = f32>
    ```
  }];
  let parameters = (ins
    EnumParameter<Dlcc_ConvCallKind>:$kind,
    "int64_t":$x, "int64_t":$w, "int64_t":$y,
    "DenseI64ArrayAttr":$input_shape, "DenseI64ArrayAttr":$filter_shape,
    "DenseI64ArrayAttr":$output_shape, "DenseI64ArrayAttr":$strides,
    "DenseI64ArrayAttr":$pads, "DenseI64ArrayAttr":$dilations,
    "int64_t":$groups, "Type":$element_type);
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
}

#endif // DLCC_ATTRIBUTES_TD
