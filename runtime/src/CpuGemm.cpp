//===- CpuGemm.cpp - GEMM library calls on the CPU (oneDNN) ---------------===//
#include "CpuGemm.h"
#include "Status.h"
#include "Support.h"

#include <oneapi/dnnl/dnnl.hpp>
#include <omp.h>

namespace fb = dlcc::schema;

namespace dlcc::runtime {

struct CpuGemm::Impl {
  dnnl::engine engine;
  dnnl::matmul primitive;
  uint32_t threads = 1;
};

CpuGemm::CpuGemm(std::unique_ptr<Impl> impl) : impl(std::move(impl)) {}
CpuGemm::~CpuGemm() = default;

namespace {
using dims = dnnl::memory::dims;
using dt = dnnl::memory::data_type;

/// A row-major [batch, rows, cols] operand, stored transposed when `trans`
/// (its rows are then the columns in memory), with leading dimension `ld`
/// and batch stride `stride` (0 with batch > 1: broadcast, a batch of 1).
dnnl::memory::desc operand(int64_t batch, int64_t rows, int64_t cols,
                           bool trans, int64_t ld, int64_t stride) {
  int64_t b = (batch > 1 && stride == 0) ? 1 : batch;
  int64_t bs = stride ? stride : rows * cols;
  dims shape{b, rows, cols};
  dims strides = trans ? dims{bs, 1, ld} : dims{bs, ld, 1};
  return dnnl::memory::desc(shape, dt::f32, strides);
}
} // namespace

dlcc_status_t CpuGemm::create(const fb::GemmDescriptor &g, uint32_t threads,
                              const std::string &where,
                              std::unique_ptr<CpuGemm> &out) {
  if (g.a_dtype() != fb::DType::f32 || g.b_dtype() != fb::DType::f32 ||
      g.c_dtype() != fb::DType::f32)
    return setError(DLCC_STATUS_UNSUPPORTED,
                    strCat(where, ": the CPU backend runs f32 GEMMs only (got ",
                           fb::EnumNameDType(g.a_dtype()), " x ",
                           fb::EnumNameDType(g.b_dtype()), " -> ",
                           fb::EnumNameDType(g.c_dtype()),
                           "); compile with --generated-gemm"));
  if (g.alpha() != 1.0 || g.beta() != 0.0)
    return setError(DLCC_STATUS_UNSUPPORTED,
                    strCat(where, ": GEMM with alpha ", g.alpha(), " and beta ",
                           g.beta(), " is not supported on the CPU yet"));
  try {
    auto impl = std::make_unique<Impl>();
    impl->engine = dnnl::engine(dnnl::engine::kind::cpu, 0);
    impl->threads = threads;
    dnnl::memory::desc a = operand(g.batch(), g.m(), g.k(), g.trans_a(),
                                   g.lda(), g.stride_a());
    dnnl::memory::desc b = operand(g.batch(), g.k(), g.n(), g.trans_b(),
                                   g.ldb(), g.stride_b());
    dnnl::memory::desc c =
        operand(g.batch(), g.m(), g.n(), false, g.ldc(), g.stride_c());
    dnnl::matmul::desc desc(a, b, c);
    dnnl::matmul::primitive_desc pd(desc, impl->engine);
    impl->primitive = dnnl::matmul(pd);
    out.reset(new CpuGemm(std::move(impl)));
    return DLCC_STATUS_OK;
  } catch (const dnnl::error &e) {
    return setError(DLCC_STATUS_UNSUPPORTED,
                    strCat(where, ": oneDNN cannot run this GEMM (m=", g.m(),
                           " n=", g.n(), " k=", g.k(), " batch=", g.batch(),
                           "): ", e.what()));
  }
}

dlcc_status_t CpuGemm::run(void *a, void *b, void *c) const {
  try {
    const auto &p = impl->primitive;
    auto pd = dnnl::matmul::primitive_desc(p.get_primitive_desc());
    dnnl::memory ma(pd.src_desc(), impl->engine, a);
    dnnl::memory mb(pd.weights_desc(), impl->engine, b);
    dnnl::memory mc(pd.dst_desc(), impl->engine, c);
    dnnl::stream stream(impl->engine);
    // oneDNN sizes its OpenMP team from the calling thread's setting.
    omp_set_num_threads(int(impl->threads));
    p.execute(stream, {{DNNL_ARG_SRC, ma}, {DNNL_ARG_WEIGHTS, mb},
                       {DNNL_ARG_DST, mc}});
    stream.wait();
    return DLCC_STATUS_OK;
  } catch (const dnnl::error &e) {
    return setError(DLCC_STATUS_INTERNAL,
                    strCat("oneDNN matmul failed: ", e.what()));
  }
}

} // namespace dlcc::runtime
