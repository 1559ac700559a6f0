//===- CpuSample.cpp - An executable CPU program for the runtime's tests --===//
//
//   dlcc-artifact-tool write-cpu-sample OUT --kernels-so K.so [--n N]
//       [--grid X,Y,Z] [--baseline STR] [--gemm M,N,K,BATCH,TA,TB,BCAST]
//       [--gemm-f64] [--conv N,C,H,W,O,KH,KW,SH,SW,PT,PL,PB,PR,DH,DW,G[,EH,EW]]
//       [--conv-kind forward|backward-data|backward-filter]
//       [--missing-symbol] [--collective] [--no-cpu-image]
//       [--tie-constant] [--write-argument]
//
// Writes a small program whose kernels live in K.so, a shared object the
// test compiles from C with the packed CPU ABI
//   void sym(int64_t block_begin, int64_t block_end, void **params)
// and these symbols (test/python/test_runtime.py has the C source):
//   dlcc_test_affine(x, w, c, y, a: f32, n: i64)  y = a*c*x + w, 256 per block
//   dlcc_test_accumulate(w, x, lr, out, n: i64)  out = w + lr*x, 256 per block
//   dlcc_test_increment(s, out)                  out = s + 1 (i64, 1 block)
//   dlcc_test_mark(out)                          out[b] += b + 1 per block b
//
// State slots: "w" (parameter f32[N]), "c" (constant f32[N]), "step"
// (optimizer i64[]). Entry points:
//   forward(x: f32[N], w, c) -> (y: f32[N], marks: i64[X*Y*Z], flags: u8[16])
//     Memset arena 0xff; affine into the arena; Copy arena -> y; Memset marks
//     0; mark over grid X,Y,Z; Memset flags 0x2a; RecordEvent; WaitEvent.
//   train_step(x: f32[N], w, step, lr: f32[]) -> (w', step', prev_step: i64[])
//     Copy step -> prev_step; accumulate w + lr*x into the tied result;
//     increment step. (A tied result is the slot's own buffer, shared with
//     the state argument: the old step is copied out before it is
//     incremented in place.)
// --gemm adds gemm(a, b) -> (c: f32[BATCH, M, N]), one gemm LibraryCall with
// transposes TA, TB (0 or 1): a is [BATCH, M, K] ([BATCH, K, M] when TA), b
// is [BATCH, K, N] ([BATCH, N, K] when TB), without the batch dimension and
// with stride_b 0 when BCAST is 1. --gemm-f64 makes its operands f64.
// --conv adds conv(x: f32[N, C, H, W], w: f32[O, C/G, KH, KW]) -> (y), one
// conv_forward LibraryCall with strides SH, SW, pads PT, PL (begin) and PB,
// PR (end), dilations DH, DW and G groups; the output extents follow from
// these unless EH, EW give them (for the loader's negative tests).
// --conv-kind backward-data makes it conv(dy: f32[N, O, EH, EW], w) -> (dx:
// f32[N, C, H, W]), a conv_backward_data call of the same convolution;
// backward-filter conv(x, dy) -> (dw: f32[O, C/G, KH, KW]).
// The remaining options make the program unusable in one specific way (for
// the tests of session creation) or invalid (for the loader's checks).
//
//===----------------------------------------------------------------------===//

#include "Commands.h"

#include "dlcc/Target/Artifact/ArtifactWriter.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <vector>

using namespace dlcc::artifact;

namespace dlcc::tool {

namespace {


BufferRef ref(MemorySpace space, uint32_t index, uint64_t offset,
              uint64_t size) {
  return {space, index, offset, size};
}

KernelArg buffer(BufferRef r) { return {r, 0}; }
KernelArg scalar(uint64_t bits) { return {{}, bits}; }

uint64_t f32Bits(float f) {
  uint32_t u;
  std::memcpy(&u, &f, 4);
  return u;
}

struct Options {
  std::string out, kernelsSo, baseline = "x86-64";
  int64_t n = 1000;
  uint32_t grid[3] = {7, 3, 2};
  bool missingSymbol = false, collective = false, noCpuImage = false,
       tieConstant = false, writeArgument = false, gemmF64 = false;
  bool gemm = false;
  int64_t g[7] = {}; // M, N, K, BATCH, TA, TB, BCAST
  bool conv = false;
  // N, C, H, W, O, KH, KW, SH, SW, PT, PL, PB, PR, DH, DW, G [, EH, EW]
  std::vector<int64_t> c;
  std::string convKind = "forward";
};

/// "1,2,3" as integers; false unless there are `min` to `max` of them.
bool parseIntegers(const std::string &s, size_t min, size_t max,
                   std::vector<int64_t> &out) {
  out.clear();
  for (size_t at = 0; at <= s.size();) {
    size_t comma = std::min(s.find(',', at), s.size());
    std::string item = s.substr(at, comma - at);
    char *end = nullptr;
    long long v = std::strtoll(item.c_str(), &end, 10);
    if (item.empty() || *end)
      return false;
    out.push_back(v);
    at = comma + 1;
  }
  return out.size() >= min && out.size() <= max;
}

bool parse(const std::vector<std::string> &args, Options &o) {
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string &a = args[i];
    auto value = [&](std::string &v) {
      if (i + 1 >= args.size()) {
        std::cerr << "error: " << a << " needs a value\n";
        return false;
      }
      v = args[++i];
      return true;
    };
    std::string v, s;
    if (a == "--kernels-so") {
      if (!value(o.kernelsSo))
        return false;
    } else if (a == "--baseline") {
      if (!value(o.baseline))
        return false;
    } else if (a == "--n") {
      if (!value(v))
        return false;
      o.n = std::stoll(v);
      if (o.n < 1) {
        std::cerr << "error: --n must be >= 1\n";
        return false;
      }
    } else if (a == "--grid") {
      if (!value(v) || std::sscanf(v.c_str(), "%u,%u,%u", &o.grid[0],
                                   &o.grid[1], &o.grid[2]) != 3) {
        std::cerr << "error: --grid needs X,Y,Z\n";
        return false;
      }
    } else if (a == "--missing-symbol") {
      o.missingSymbol = true;
    } else if (a == "--gemm") {
      std::vector<int64_t> v;
      if (!value(s) || !parseIntegers(s, 7, 7, v)) {
        std::cerr << "error: --gemm needs M,N,K,BATCH,TA,TB,BCAST\n";
        return false;
      }
      o.gemm = true;
      std::copy(v.begin(), v.end(), o.g);
    } else if (a == "--conv") {
      if (!value(s) || !parseIntegers(s, 16, 18, o.c) || o.c.size() == 17) {
        std::cerr << "error: --conv needs N,C,H,W,O,KH,KW,SH,SW,PT,PL,PB,PR,"
                     "DH,DW,G[,EH,EW]\n";
        return false;
      }
      o.conv = true;
    } else if (a == "--conv-kind") {
      if (!value(o.convKind) ||
          (o.convKind != "forward" && o.convKind != "backward-data" &&
           o.convKind != "backward-filter")) {
        std::cerr << "error: --conv-kind needs forward, backward-data or "
                     "backward-filter\n";
        return false;
      }
    } else if (a == "--gemm-f64") {
      o.gemmF64 = true;
    } else if (a == "--collective") {
      o.collective = true;
    } else if (a == "--no-cpu-image") {
      o.noCpuImage = true;
    } else if (a == "--tie-constant") {
      o.tieConstant = true;
    } else if (a == "--write-argument") {
      o.writeArgument = true;
    } else if (!a.empty() && a[0] == '-') {
      std::cerr << "error: unknown option " << a << "\n";
      return false;
    } else {
      o.out = a;
    }
  }
  if (o.out.empty() || (o.kernelsSo.empty() && !o.noCpuImage)) {
    std::cerr << "error: write-cpu-sample needs OUT and --kernels-so\n";
    return false;
  }
  return true;
}

} // namespace

int writeCpuSample(const std::vector<std::string> &args) {
  Options o;
  if (!parse(args, o))
    return 2;
  std::vector<uint8_t> so;
  if (!o.noCpuImage) {
    std::ifstream in(o.kernelsSo, std::ios::binary);
    if (!in) {
      std::cerr << "error: cannot read " << o.kernelsSo << "\n";
      return 1;
    }
    so.assign(std::istreambuf_iterator<char>(in), {});
  }

  ArtifactBuilder b;
  b.setProducer("dlcc cpu sample");
  b.setFeatureFlags(o.noCpuImage ? HasCudaKernels : HasCpuKernels);
  b.setCpuBaseline(o.noCpuImage ? "" : o.baseline);

  const int64_t n = o.n;
  const uint64_t bytes = uint64_t(n) * 4;
  std::vector<float> w(static_cast<size_t>(n)), c(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) {
    w[size_t(i)] = float(i) * 0.25f - 3.0f;
    c[size_t(i)] = 1.0f + float(i % 7) * 0.5f;
  }
  uint32_t sw = b.addStateSlot("w", StateSlotKind::Parameter, DType::F32, {n},
                               bytesOf(w));
  uint32_t sc =
      b.addStateSlot("c", StateSlotKind::Constant, DType::F32, {n}, bytesOf(c));
  uint32_t sstep = b.addStateSlot("step", StateSlotKind::Optimizer, DType::I64,
                                  {}, bytesOf(std::vector<int64_t>{0}));

  uint32_t image =
      o.noCpuImage
          ? b.addKernelImage("sm_80", bytesOf(std::vector<char>(
                                          {'F', 'A', 'K', 'E', 'C', 'U', 'B'})))
          : b.addKernelImage("x86_64-cpu", std::move(so));
  auto variant = [&](const char *symbol) {
    return std::vector<KernelVariant>{{image, symbol, 0, 0, 256}};
  };
  KernelParam f32Buf{"", ParameterKind::Buffer, DType::F32};
  KernelParam i64Buf{"", ParameterKind::Buffer, DType::I64};
  KernelParam i64Scalar{"n", ParameterKind::Scalar, DType::I64};
  const uint32_t blocks256 = uint32_t((n + 255) / 256);
  // Each kernel with the one grid it is launched with.
  uint32_t affine =
      b.addKernel({"affine",
                   {f32Buf,
                    f32Buf,
                    f32Buf,
                    f32Buf,
                    {"a", ParameterKind::Scalar, DType::F32},
                    i64Scalar},
                   variant(o.missingSymbol ? "dlcc_test_no_such_symbol"
                                           : "dlcc_test_affine"),
                   {blocks256, 1, 1}});
  uint32_t accumulate =
      b.addKernel({"accumulate",
                   {f32Buf, f32Buf, f32Buf, f32Buf, i64Scalar},
                   variant("dlcc_test_accumulate"),
                   {blocks256, 1, 1}});
  uint32_t increment = b.addKernel(
      {"increment", {i64Buf, i64Buf}, variant("dlcc_test_increment"),
       {1, 1, 1}});
  uint32_t mark = b.addKernel({"mark",
                               {i64Buf},
                               variant("dlcc_test_mark"),
                               {o.grid[0], o.grid[1], o.grid[2]}});

  const uint64_t markCount = uint64_t(o.grid[0]) * o.grid[1] * o.grid[2];
  const MemorySpace A = MemorySpace::Arena, Arg = MemorySpace::Argument,
                    Res = MemorySpace::Result;

  EntryPointDesc fwd;
  fwd.name = "forward";
  fwd.arguments = {arg("x", ArgumentKind::Input, -1, DType::F32, {n}),
                   arg("w", ArgumentKind::State, int32_t(sw), DType::F32, {n}),
                   arg("c", ArgumentKind::State, int32_t(sc), DType::F32, {n})};
  fwd.results = {
      arg("y", ArgumentKind::Output, -1, DType::F32, {n}),
      arg("marks", ArgumentKind::Output, -1, DType::I64, {int64_t(markCount)}),
      arg("flags", ArgumentKind::Output, -1, DType::U8, {16})};
  LaunchKernel la;
  la.kernel = affine;
  la.args = {buffer(ref(Arg, 0, 0, bytes)), buffer(ref(Arg, 1, 0, bytes)),
             buffer(ref(Arg, 2, 0, bytes)), buffer(ref(A, 0, 0, bytes)),
             scalar(f32Bits(2.0f)),         scalar(uint64_t(n))};
  la.grid = {blocks256, 1, 1};
  la.block = {256, 1, 1};
  LaunchKernel lm;
  lm.kernel = mark;
  lm.args = {buffer(ref(Res, 1, 0, markCount * 8))};
  lm.grid = {o.grid[0], o.grid[1], o.grid[2]};
  lm.block = {1, 1, 1};
  fwd.commands = {Memset{ref(A, 0, 0, bytes), 0xff, 0},
                  la,
                  Copy{ref(A, 0, 0, bytes), ref(Res, 0, 0, bytes), 0},
                  Memset{ref(Res, 1, 0, markCount * 8), 0, 0},
                  lm,
                  Memset{ref(Res, 2, 0, 16), 0x2a, 0},
                  RecordEvent{0, 0},
                  WaitEvent{0, 0}};
  if (o.writeArgument)
    fwd.commands.push_back(Memset{ref(Arg, 0, 0, 4), 0, 0});
  fwd.arenaBytes = (bytes + 255) / 256 * 256;
  fwd.eventCount = 1;
  b.addEntryPoint(fwd);

  EntryPointDesc train;
  train.name = "train_step";
  train.arguments = {
      arg("x", ArgumentKind::Input, -1, DType::F32, {n}),
      arg("w", ArgumentKind::State, int32_t(sw), DType::F32, {n}),
      arg("step", ArgumentKind::State, int32_t(sstep), DType::I64, {}),
      arg("lr", ArgumentKind::Input, -1, DType::F32, {})};
  train.results = {
      arg("w", ArgumentKind::TiedState, int32_t(sw), DType::F32, {n}),
      arg("step", ArgumentKind::TiedState, int32_t(sstep), DType::I64, {}),
      arg("prev_step", ArgumentKind::Output, -1, DType::I64, {})};
  if (o.tieConstant) {
    train.arguments.push_back(
        arg("c", ArgumentKind::State, int32_t(sc), DType::F32, {n}));
    train.results.push_back(
        arg("c", ArgumentKind::TiedState, int32_t(sc), DType::F32, {n}));
  }
  LaunchKernel lacc;
  lacc.kernel = accumulate;
  lacc.args = {buffer(ref(Arg, 1, 0, bytes)), buffer(ref(Arg, 0, 0, bytes)),
               buffer(ref(Arg, 3, 0, 4)), buffer(ref(Res, 0, 0, bytes)),
               scalar(uint64_t(n))};
  lacc.grid = {blocks256, 1, 1};
  lacc.block = {256, 1, 1};
  LaunchKernel linc;
  linc.kernel = increment;
  linc.args = {buffer(ref(Arg, 2, 0, 8)), buffer(ref(Res, 1, 0, 8))};
  linc.grid = {1, 1, 1};
  linc.block = {1, 1, 1};
  // The old step is read before the increment writes the new one into the
  // same buffer (state updated in place).
  train.commands = {Copy{ref(Arg, 2, 0, 8), ref(Res, 2, 0, 8), 0}, lacc, linc};
  if (o.collective) {
    train.commands.push_back(
        LibraryCall{LibraryCallKind::AllReduce,
                    CollectiveDesc{ReduceOp::Sum, DType::F32, 1, 0},
                    {ref(A, 0, 0, 4), ref(A, 0, 0, 4)},
                    false,
                    {},
                    0});
    train.arenaBytes = 256;
  }
  b.addEntryPoint(train);

  if (o.gemm) {
    int64_t m = o.g[0], gn = o.g[1], k = o.g[2], batch = o.g[3];
    bool ta = o.g[4] != 0, tb = o.g[5] != 0, bcast = o.g[6] != 0;
    DType t = o.gemmF64 ? DType::F64 : DType::F32;
    uint64_t es = o.gemmF64 ? 8 : 4;
    std::vector<int64_t> aShape = {batch, ta ? k : m, ta ? m : k};
    std::vector<int64_t> bShape = {tb ? gn : k, tb ? k : gn};
    if (!bcast)
      bShape.insert(bShape.begin(), batch);
    uint64_t aBytes = uint64_t(batch * m * k) * es;
    uint64_t bBytes = uint64_t((bcast ? 1 : batch) * k * gn) * es;
    uint64_t cBytes = uint64_t(batch * m * gn) * es;
    EntryPointDesc ge;
    ge.name = "gemm";
    ge.arguments = {arg("a", ArgumentKind::Input, -1, t, aShape),
                    arg("b", ArgumentKind::Input, -1, t, bShape)};
    ge.results = {arg("c", ArgumentKind::Output, -1, t, {batch, m, gn})};
    GemmDesc d;
    d.transA = ta, d.transB = tb;
    d.m = m, d.n = gn, d.k = k, d.batch = batch;
    d.lda = ta ? m : k, d.ldb = tb ? k : gn, d.ldc = gn;
    d.strideA = m * k, d.strideB = bcast ? 0 : k * gn, d.strideC = m * gn;
    d.aType = d.bType = d.cType = d.computeType = t;
    ge.commands = {LibraryCall{LibraryCallKind::Gemm,
                               d,
                               {ref(Arg, 0, 0, aBytes), ref(Arg, 1, 0, bBytes),
                                ref(Res, 0, 0, cBytes)},
                               false,
                               {},
                               0}};
    b.addEntryPoint(ge);
  }

  if (o.conv) {
    const std::vector<int64_t> &c = o.c;
    int64_t n = c[0], ch = c[1], o_ = c[4], g = c[15];
    std::vector<int64_t> x = {n, ch, c[2], c[3]},
                         w = {o_, g ? ch / g : 0, c[5], c[6]};
    std::vector<int64_t> y = {n, o_, 0, 0};
    for (int i = 0; i < 2; ++i) {
      if (c.size() == 18) {
        y[2 + i] = c[16 + i];
        continue;
      }
      int64_t span = x[2 + i] + c[9 + i] + c[11 + i] -
                     c[13 + i] * (w[2 + i] - 1) - 1;
      y[2 + i] = c[7 + i] > 0 && span >= 0 ? span / c[7 + i] + 1 : 0;
    }
    auto bytes = [](const std::vector<int64_t> &s) {
      return uint64_t(s[0] * s[1] * s[2] * s[3]) * 4;
    };
    // The operands in the call's order, the last one the result: x, w -> y
    // forward; dy, w -> dx for the data gradient; x, dy -> dw for the
    // filter gradient (the shapes are those of the forward convolution).
    struct Operand {
      const char *name;
      std::vector<int64_t> shape;
    };
    std::vector<Operand> ops;
    LibraryCallKind kind = LibraryCallKind::ConvForward;
    if (o.convKind == "backward-data") {
      kind = LibraryCallKind::ConvBackwardData;
      ops = {{"dy", y}, {"w", w}, {"dx", x}};
    } else if (o.convKind == "backward-filter") {
      kind = LibraryCallKind::ConvBackwardFilter;
      ops = {{"x", x}, {"dy", y}, {"dw", w}};
    } else {
      ops = {{"x", x}, {"w", w}, {"y", y}};
    }
    EntryPointDesc ce;
    ce.name = "conv";
    ce.arguments = {
        arg(ops[0].name, ArgumentKind::Input, -1, DType::F32, ops[0].shape),
        arg(ops[1].name, ArgumentKind::Input, -1, DType::F32, ops[1].shape)};
    ce.results = {
        arg(ops[2].name, ArgumentKind::Output, -1, DType::F32, ops[2].shape)};
    ConvDesc d;
    d.inputShape = x, d.filterShape = w, d.outputShape = y;
    d.strides = {c[7], c[8]};
    d.pads = {c[9], c[10], c[11], c[12]};
    d.dilations = {c[13], c[14]};
    d.groups = g;
    ce.commands = {LibraryCall{kind,
                               d,
                               {ref(Arg, 0, 0, bytes(ops[0].shape)),
                                ref(Arg, 1, 0, bytes(ops[1].shape)),
                                ref(Res, 0, 0, bytes(ops[2].shape))},
                               false,
                               {},
                               0}};
    b.addEntryPoint(ce);
  }

  std::string error;
  if (!b.write(o.out, &error)) {
    std::cerr << "error: " << error << "\n";
    return 1;
  }
  return 0;
}

} // namespace dlcc::tool
