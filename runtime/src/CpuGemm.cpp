//===- CpuGemm.cpp - GEMM library calls on the CPU (oneDNN) ---------------===//
//
// Row-major GemmParams map onto oneDNN's matmul with explicit strides:
// A is [batch, m, k] with strides {stride_a, lda, 1} (or {stride_a, 1, lda}
// when trans_a), B likewise [batch, k, n], C [batch, m, n]. A batch stride
// of 0 is a broadcast operand, which oneDNN expresses as a batch of 1.
//
// A transposed A of one batch (a weight gradient, X^T dY) is first copied
// into row-major order in the scratchpad: oneDNN's matmul on the
// column-major A ran at about half the speed of the copy plus the plain
// product (GPT's weight gradients, one thread: 33 against 60 GFLOP/s).
//
// The primitive uses a caller-provided scratchpad (scratchpad_mode::user):
// oneDNN's own ("library") scratchpad is a per-thread buffer of the thread
// that created the primitive, so executing on another thread (a session
// used from several threads one at a time) would find none.
//
//===----------------------------------------------------------------------===//
#include "CpuGemm.h"
#include "Status.h"
#include "Support.h"
#include "ThreadPool.h"

#include <oneapi/dnnl/dnnl.hpp>

#include <algorithm>
#include <unordered_map>

namespace dlcc::runtime {

struct CpuGemm::Impl {
  GemmParams g;
  bool zero = false; // k == 0: C is all zeros (no product to compute)
  dnnl::engine engine;
  dnnl::matmul::primitive_desc pd;
  dnnl::matmul primitive;
  dnnl::stream stream; // a session runs on one thread at a time
  int threads = 1;
  uint64_t scratchpadBytes = 0;
  // A packed row-major first (packA): the reorder, where its copy goes in
  // the scratchpad (at 0) and where the matmul's own scratchpad starts.
  bool packA = false;
  dnnl::reorder::primitive_desc packPd;
  dnnl::reorder pack;
  uint64_t matmulScratchOffset = 0;
};

CpuGemm::CpuGemm(std::unique_ptr<Impl> impl) : impl(std::move(impl)) {}
CpuGemm::~CpuGemm() = default;

namespace {
using dims = dnnl::memory::dims;

dnnl::memory::desc operand(int64_t batch, int64_t rows, int64_t cols,
                           bool trans, int64_t ld, int64_t stride) {
  int64_t b = batch > 1 && stride == 0 ? 1 : batch;
  int64_t bs = batch > 1 && stride != 0 ? stride : rows * cols;
  dims strides = trans ? dims{bs, 1, ld} : dims{bs, ld, 1};
  return dnnl::memory::desc(dims{b, rows, cols}, dnnl::memory::data_type::f32,
                            strides);
}
} // namespace

dlcc_status_t CpuGemm::create(const GemmParams &g, uint32_t threads,
                              std::unique_ptr<CpuGemm> &out,
                              std::string &why) {
  if (g.aType != DLCC_DTYPE_F32 || g.bType != DLCC_DTYPE_F32 ||
      g.cType != DLCC_DTYPE_F32 || g.computeType != DLCC_DTYPE_F32) {
    why = "the CPU gemm (oneDNN) takes f32 operands only; compile with "
          "--generated-gemm";
    return DLCC_STATUS_UNSUPPORTED;
  }
  if (g.alpha != 1.0 || g.beta != 0.0) {
    why = strCat("the CPU gemm runs alpha 1 and beta 0 only (got ", g.alpha,
                 ", ", g.beta, ")");
    return DLCC_STATUS_UNSUPPORTED;
  }
  auto shape = [&] {
    return strCat("m=", g.m, " n=", g.n, " k=", g.k, " batch=", g.batch);
  };
  try {
    auto impl = std::make_unique<Impl>();
    impl->g = g;
    if (g.m == 0 || g.n == 0 || g.k == 0) {
      impl->zero = true;
      out.reset(new CpuGemm(std::move(impl)));
      return DLCC_STATUS_OK;
    }
    impl->engine = dnnl::engine(dnnl::engine::kind::cpu, 0);
    impl->threads = int(threads);
    // The implementation oneDNN picks (and its blocking, hence the bits of
    // the result) depends on the thread count at creation: create it for
    // the count it will run with.
    OmpTeamSize team(impl->threads);
    dnnl::primitive_attr attr;
    attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
    dnnl::memory::desc a = operand(g.batch, g.m, g.k, g.transA, g.lda, g.strideA);
    impl->packA = g.transA && g.batch == 1;
    if (impl->packA) {
      dnnl::memory::desc packed = operand(1, g.m, g.k, false, g.k, 0);
      impl->packPd = dnnl::reorder::primitive_desc(impl->engine, a, impl->engine,
                                                   packed, attr);
      impl->pack = dnnl::reorder(impl->packPd);
      uint64_t bytes = packed.get_size() +
                       impl->packPd.scratchpad_desc().get_size();
      impl->matmulScratchOffset = (bytes + 63) / 64 * 64;
      a = packed;
    }
    dnnl::matmul::desc desc(
        a, operand(g.batch, g.k, g.n, g.transB, g.ldb, g.strideB),
        operand(g.batch, g.m, g.n, false, g.ldc, g.strideC));
    impl->pd = dnnl::matmul::primitive_desc(desc, attr, impl->engine);
    impl->scratchpadBytes = impl->matmulScratchOffset +
                            impl->pd.scratchpad_desc().get_size();
    impl->primitive = dnnl::matmul(impl->pd);
    impl->stream = dnnl::stream(impl->engine);
    out.reset(new CpuGemm(std::move(impl)));
    return DLCC_STATUS_OK;
  } catch (const dnnl::error &e) {
    if (e.status == dnnl_out_of_memory)
      return setError(DLCC_STATUS_OUT_OF_MEMORY,
                      strCat("out of memory preparing the CPU gemm (oneDNN "
                             "matmul, ",
                             shape(), "): ", e.what()));
    why = strCat("oneDNN cannot run it (", shape(), "): ", e.what());
    return DLCC_STATUS_UNSUPPORTED;
  } catch (const std::bad_alloc &) {
    return setError(DLCC_STATUS_OUT_OF_MEMORY,
                    strCat("out of memory preparing the CPU gemm (oneDNN "
                           "matmul, ",
                           shape(), ")"));
  }
}

uint64_t CpuGemm::scratchpadBytes() const { return impl->scratchpadBytes; }

dlcc_status_t CpuGemm::run(void *a, void *b, void *c,
                           void *scratchpad) const {
  if (impl->zero) { // an empty sum; nothing at all when C is empty
    const GemmParams &g = impl->g;
    for (int64_t q = 0; q < g.batch; ++q)
      for (int64_t i = 0; i < g.m; ++i)
        std::fill_n(static_cast<float *>(c) + q * g.strideC + i * g.ldc,
                    g.n, 0.0f);
    return DLCC_STATUS_OK;
  }
  try {
    auto *scratch = static_cast<uint8_t *>(scratchpad);
    std::unordered_map<int, dnnl::memory> packArgs;
    if (impl->packA) {
      packArgs = {{DNNL_ARG_SRC,
                   dnnl::memory(impl->packPd.src_desc(), impl->engine, a)},
                  {DNNL_ARG_DST, dnnl::memory(impl->packPd.dst_desc(),
                                              impl->engine, scratch)}};
      if (impl->packPd.scratchpad_desc().get_size())
        packArgs.emplace(
            DNNL_ARG_SCRATCHPAD,
            dnnl::memory(impl->packPd.scratchpad_desc(), impl->engine,
                         scratch + impl->packPd.dst_desc().get_size()));
      a = scratch;
    }
    dnnl::memory ma(impl->pd.src_desc(), impl->engine, a);
    dnnl::memory mb(impl->pd.weights_desc(), impl->engine, b);
    dnnl::memory mc(impl->pd.dst_desc(), impl->engine, c);
    // With the session's team size (oneDNN sizes its OpenMP regions from
    // the executing thread's setting).
    std::unordered_map<int, dnnl::memory> args = {
        {DNNL_ARG_SRC, ma}, {DNNL_ARG_WEIGHTS, mb}, {DNNL_ARG_DST, mc}};
    if (impl->pd.scratchpad_desc().get_size())
      args.emplace(DNNL_ARG_SCRATCHPAD,
                   dnnl::memory(impl->pd.scratchpad_desc(), impl->engine,
                                scratch + impl->matmulScratchOffset));
    ThreadPool(uint32_t(impl->threads)).call([&] {
      if (impl->packA)
        impl->pack.execute(impl->stream, packArgs);
      impl->primitive.execute(impl->stream, args);
      impl->stream.wait();
    });
    return DLCC_STATUS_OK;
  } catch (const dnnl::error &e) {
    return setError(e.status == dnnl_out_of_memory ? DLCC_STATUS_OUT_OF_MEMORY
                                                   : DLCC_STATUS_INTERNAL,
                    strCat("oneDNN matmul failed: ", e.what()));
  }
}

} // namespace dlcc::runtime
