//===- DlccInterfaces.td - op interfaces used by dlcc passes -------------===//
//
// Cross-cutting behaviour that passes query through interfaces, so that no
// pass switches on op names: the reverse-mode rule (autodiff), the precision
// policy (mixed precision) and the sharding rule (data/tensor parallelism).
//
//===----------------------------------------------------------------------===//
#ifndef DLCC_INTERFACES_TD
#define DLCC_INTERFACES_TD

include "mlir/IR/OpBase.td"

def Dlcc_VJPOpInterface : OpInterface<"VJPOpInterface"> {
  let description = [{
    The vector-Jacobian product of an op: given the cotangents of its results,
    build the cotangents of its operands. Ops without this interface are not
    differentiable; the autodiff pass reports them when they lie on a path from
    a trained parameter to the loss.
  }];
  let cppNamespace = "::mlir::dlcc";
  let methods = [
    InterfaceMethod<[{
        Builds the operand cotangents at the builder's insertion point.
        `resultGradients` has one entry per result (null when a result has no
        cotangent); `operandGradients` receives one entry per operand (null for
        non-differentiable operands such as integer indices).
      }], "::llvm::LogicalResult", "buildVJP",
      (ins "::mlir::OpBuilder &":$builder,
           "::mlir::ValueRange":$resultGradients,
           "::llvm::SmallVectorImpl<::mlir::Value> &":$operandGradients)>,
    InterfaceMethod<[{Whether operand `index` carries a derivative.}],
      "bool", "isDifferentiableOperand", (ins "unsigned":$index), [{}],
      [{ return ::llvm::isa<::mlir::FloatType>(
           ::mlir::getElementTypeOrSelf($_op->getOperand(index).getType())); }]>,
  ];
}

def Dlcc_PrecisionPolicyOpInterface : OpInterface<"PrecisionPolicyOpInterface"> {
  let description = [{
    How the mixed-precision pass may treat an op: compute in bf16/fp16
    (matmul, convolution), keep fp32 (reductions, norms, softmax, losses), or
    follow the precision of its inputs (elementwise and data movement).
  }];
  let cppNamespace = "::mlir::dlcc";
  let methods = [
    InterfaceMethod<[{The op's precision class.}],
      "::mlir::dlcc::PrecisionClass", "getPrecisionClass">,
  ];
}

def Dlcc_ShardingRuleOpInterface : OpInterface<"ShardingRuleOpInterface"> {
  let description = [{
    The factor mapping of an op for sharding propagation, einsum style: one
    string per operand and per result naming each dimension's factor, e.g.
    `["bmk", "kn"] -> ["bmn"]` for a matmul. Factors absent from the results
    are contracted (a sharded contraction needs a reduction).
  }];
  let cppNamespace = "::mlir::dlcc";
  let methods = [
    InterfaceMethod<[{Operand and result factor strings.}],
      "::llvm::LogicalResult", "getShardingFactors",
      (ins "::llvm::SmallVectorImpl<std::string> &":$operandFactors,
           "::llvm::SmallVectorImpl<std::string> &":$resultFactors)>,
  ];
}

#endif // DLCC_INTERFACES_TD
