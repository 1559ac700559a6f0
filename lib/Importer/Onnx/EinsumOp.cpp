//===- EinsumOp.cpp - ONNX Einsum -----------------------------------------===//
//
// Einsum (registered from NeuralNetOps.cpp) decomposes into the ops dlcc
// already compiles well: letters that only one operand has and nothing
// later needs are summed out (dlcc.reduce), then operands are combined left
// to right, each pair as one batched matrix product (a GEMM library call):
// both are transposed to [batch, free, contracted] / [batch, contracted,
// free] and reshaped to [B, M, K] x [B, K, N]; the result is transposed to
// the output's order. An ellipsis stands for the same broadcast dimensions
// in every operand; size-1 dimensions broadcast; a letter repeated within an
// operand takes its diagonal.
//
//===----------------------------------------------------------------------===//
#include "NodeImporter.h"
#include "ShapeHelpers.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

#include <map>

namespace dlcc::onnx_import {

namespace {
using namespace mlir::dlcc;
using llvm::ArrayRef;
using llvm::SmallVector;
using llvm::StringRef;
using llvm::Twine;
using mlir::failure;
using mlir::success;

/// A letter is an int: 'a'-'z', 'A'-'Z' as themselves, ellipsis dimensions
/// as 256 + their position among the broadcast dimensions.
using Letters = SmallVector<int>;

std::string letterName(int l) {
  return l < 256 ? std::string(1, char(l)) : "..." + std::to_string(l - 256);
}

/// Splits "ab,bc->ac" (spaces ignored) into the operands' and the output's
/// subscripts; the ellipsis becomes '.' here.
LogicalResult parseEquation(NodeImporter &n, StringRef equation,
                            SmallVector<std::string> &operands,
                            std::optional<std::string> &output) {
  std::string text;
  for (char c : equation)
    if (c != ' ')
      text += c;
  size_t arrow = text.find("->");
  std::string lhs = arrow == std::string::npos ? text : text.substr(0, arrow);
  if (arrow != std::string::npos)
    output = text.substr(arrow + 2);
  for (StringRef part : llvm::split(StringRef(lhs), ','))
    operands.push_back(part.str());
  auto check = [&](std::string &s) -> LogicalResult {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
      if (llvm::isAlpha(s[i])) {
        out += s[i];
      } else if (s.compare(i, 3, "...") == 0 && out.find('.') == std::string::npos) {
        out += '.';
        i += 2;
      } else {
        return n.fail("equation '" + equation + "' is malformed at '" +
                      s.substr(i) + "'");
      }
    }
    s = out;
    return success();
  };
  for (std::string &s : operands)
    if (failed(check(s)))
      return failure();
  if (output && failed(check(*output)))
    return failure();
  return success();
}

LogicalResult importEinsum(NodeImporter &n) {
  std::string equation = n.getString("equation", "");
  SmallVector<std::string> subscripts;
  std::optional<std::string> outputText;
  if (failed(parseEquation(n, equation, subscripts, outputText)))
    return failure();
  if (subscripts.size() != n.numInputs())
    return n.fail("equation '" + equation + "' has " + Twine(subscripts.size()) +
                  " operands but the node " + Twine(n.numInputs()) + " inputs");
  if (failed(n.requireInputs(subscripts.size())))
    return failure();
  mlir::Type et = n.inputType(0).getElementType();
  if (!llvm::isa<mlir::FloatType>(et))
    return n.fail("takes float tensors (the products are matrix products)");

  // Letters per operand, the ellipsis expanded (right-aligned), and sizes.
  int64_t ellipsisRank = 0;
  for (auto [i, s] : llvm::enumerate(subscripts)) {
    int64_t explicitCount = llvm::count_if(s, [](char c) { return c != '.'; });
    int64_t rank = n.inputType(i).getRank();
    bool hasEllipsis = s.find('.') != std::string::npos;
    if (hasEllipsis ? rank < explicitCount : rank != explicitCount)
      return n.fail("subscripts '" + s + "' do not fit input " + Twine(i) +
                    " of rank " + Twine(rank));
    if (hasEllipsis)
      ellipsisRank = std::max(ellipsisRank, rank - explicitCount);
  }
  std::map<int, int64_t> size;
  std::map<int, int> count; // occurrences of the letter in the equation
  SmallVector<Letters> letters;
  SmallVector<mlir::Value> values;
  for (auto [i, s] : llvm::enumerate(subscripts)) {
    ArrayRef<int64_t> shape = n.inputType(i).getShape(); // before diagonals
    int64_t explicitCount = llvm::count_if(s, [](char c) { return c != '.'; });
    Letters l;
    for (char c : s) {
      if (c != '.') {
        l.push_back(c);
        continue;
      }
      int64_t e = int64_t(shape.size()) - explicitCount;
      for (int64_t k = ellipsisRank - e; k < ellipsisRank; ++k)
        l.push_back(256 + int(k));
    }
    // Implicit output keeps the letters written exactly once in the whole
    // equation: count every occurrence, repeats within an operand too.
    for (int letter : l)
      ++count[letter];
    mlir::Value v = n.input(i);
    // A repeated letter takes the diagonal: x * (index_p == index_q) summed
    // over q (the masked sum is exact: one nonzero term per element).
    for (size_t q = 0; q < l.size(); ++q) {
      auto p = llvm::find(l, l[q]) - l.begin();
      if (size_t(p) == q)
        continue;
      auto type = llvm::cast<RankedTensorType>(v.getType());
      if (type.getDimSize(p) != type.getDimSize(q))
        return n.fail("repeated letter '" + letterName(l[q]) + "' of operand " +
                      Twine(i) + " has sizes " + Twine(type.getDimSize(p)) +
                      " and " + Twine(type.getDimSize(q)));
      auto indexType = type.clone(n.builder.getI64Type());
      mlir::Value same = n.create<CompareOp>(
          ComparisonDirection::eq, n.create<IotaOp>(indexType, uint64_t(p)),
          n.create<IotaOp>(indexType, uint64_t(q)));
      v = n.create<ReduceOp>(ReduceKind::sum,
                             n.create<MulOp>(v, n.convert(same, et)),
                             ArrayRef<int64_t>{int64_t(q)});
      l.erase(l.begin() + q);
      --q;
    }
    shape = llvm::cast<RankedTensorType>(v.getType()).getShape();
    for (auto [d, letter] : llvm::enumerate(l)) {
      auto [it, inserted] = size.try_emplace(letter, shape[d]);
      if (!inserted && it->second != shape[d]) {
        if (it->second != 1 && shape[d] != 1)
          return n.fail("letter '" + letterName(letter) + "' has sizes " +
                        Twine(it->second) + " and " + Twine(shape[d]));
        it->second = std::max(it->second, shape[d]);
      }
    }
    letters.push_back(l);
    values.push_back(v);
  }
  // The output's letters: explicit, or the ellipsis then the letters used
  // once, in alphabetical order.
  Letters out;
  if (outputText) {
    for (char c : *outputText) {
      if (c == '.') {
        for (int64_t k = 0; k < ellipsisRank; ++k)
          out.push_back(256 + int(k));
        continue;
      }
      if (!size.count(c) || llvm::is_contained(out, int(c)))
        return n.fail("output letter '" + std::string(1, c) +
                      "' is not an input letter or repeats");
      out.push_back(c);
    }
  } else {
    for (int64_t k = 0; k < ellipsisRank; ++k)
      out.push_back(256 + int(k));
    for (auto [letter, c] : count)
      if (letter < 256 && c == 1)
        out.push_back(letter);
  }
  for (int64_t k = 0; k < ellipsisRank; ++k)
    if (!llvm::is_contained(out, 256 + int(k)))
      return n.fail("the output must keep the ellipsis' dimensions");

  // Each operand broadcast to the letters' sizes.
  auto shapeOf = [&](const Letters &l) {
    SmallVector<int64_t> s;
    for (int letter : l)
      s.push_back(size[letter]);
    return s;
  };
  for (size_t i = 0; i < values.size(); ++i) {
    auto full = n.broadcastTo(values[i], shapeOf(letters[i]));
    if (failed(full))
      return failure();
    values[i] = *full;
  }
  auto needed = [&](int letter, size_t after) {
    if (llvm::is_contained(out, letter))
      return true;
    for (size_t j = after; j < letters.size(); ++j)
      if (llvm::is_contained(letters[j], letter))
        return true;
    return false;
  };
  auto transpose = [&](mlir::Value v, Letters &from,
                       const Letters &to) -> mlir::Value {
    if (from == to)
      return v;
    SmallVector<int64_t> perm;
    for (int letter : to)
      perm.push_back(llvm::find(from, letter) - from.begin());
    from = to;
    return n.create<TransposeOp>(v, perm);
  };
  // Sums out what only operand i has and nothing else needs.
  auto sumOut = [&](size_t i, size_t laterFrom) {
    SmallVector<int64_t> dims;
    Letters kept;
    for (auto [d, letter] : llvm::enumerate(letters[i])) {
      bool elsewhere = false;
      for (size_t j = 0; j < letters.size(); ++j)
        if (j != i && j >= laterFrom && llvm::is_contained(letters[j], letter))
          elsewhere = true;
      if (!elsewhere && !llvm::is_contained(out, letter))
        dims.push_back(d);
      else
        kept.push_back(letter);
    }
    if (dims.empty())
      return;
    values[i] = n.create<ReduceOp>(ReduceKind::sum, values[i], dims);
    letters[i] = kept;
  };
  for (size_t i = 0; i < values.size(); ++i)
    sumOut(i, i == 0 ? 1 : 0);

  mlir::Value acc = values[0];
  Letters accLetters = letters[0];
  for (size_t i = 1; i < values.size(); ++i) {
    // The accumulated result only keeps what operands i.. or the output need.
    letters[0] = accLetters;
    values[0] = acc;
    sumOut(0, i);
    acc = values[0];
    accLetters = letters[0];
    Letters batch, lfree, contracted, rfree;
    for (int letter : accLetters) {
      bool inRight = llvm::is_contained(letters[i], letter);
      if (!inRight)
        lfree.push_back(letter);
      else if (needed(letter, i + 1))
        batch.push_back(letter);
      else
        contracted.push_back(letter);
    }
    for (int letter : letters[i])
      if (!llvm::is_contained(accLetters, letter))
        rfree.push_back(letter);
    auto product = [&](const Letters &l) {
      int64_t p = 1;
      for (int letter : l)
        p *= size[letter];
      return p;
    };
    // [batch, rows, columns] in either order: an operand already laid out
    // as [batch, columns, rows] is read transposed by the product (QK^T).
    auto order = [&](const Letters &rows, const Letters &columns,
                     const Letters &current, bool &transposed) {
      Letters plain = batch, swapped = batch;
      llvm::append_range(plain, rows);
      llvm::append_range(plain, columns);
      llvm::append_range(swapped, columns);
      llvm::append_range(swapped, rows);
      transposed = current != plain && current == swapped;
      return transposed ? swapped : plain;
    };
    bool transA, transB;
    Letters leftOrder = order(lfree, contracted, accLetters, transA);
    Letters rightOrder = order(contracted, rfree, letters[i], transB);
    mlir::Value a = transpose(acc, accLetters, leftOrder);
    mlir::Value b = transpose(values[i], letters[i], rightOrder);
    int64_t B = product(batch), M = product(lfree), K = product(contracted),
            N = product(rfree);
    bool batched = !batch.empty();
    auto dims = [&](int64_t x, int64_t y, bool swap) {
      if (swap)
        std::swap(x, y);
      return batched ? SmallVector<int64_t>{B, x, y} : SmallVector<int64_t>{x, y};
    };
    mlir::Value y =
        n.create<MatmulOp>(n.reshape(a, dims(M, K, transA)),
                           n.reshape(b, dims(K, N, transB)), transA, transB);
    accLetters = batch;
    llvm::append_range(accLetters, lfree);
    llvm::append_range(accLetters, rfree);
    acc = n.reshape(y, shapeOf(accLetters));
  }
  // Letters the output does not keep (a single operand's sums are done).
  letters[0] = accLetters;
  values[0] = acc;
  sumOut(0, letters.size());
  acc = transpose(values[0], letters[0], out);
  n.setOutput(0, acc);
  return success();
}

} // namespace

void registerEinsumHandler(HandlerTable &table) {
  table.add("", "Einsum", {12}, importEinsum);
}

} // namespace dlcc::onnx_import
