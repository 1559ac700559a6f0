//===- CpuConv.cpp - Convolution library calls on the CPU (oneDNN) --------===//
//
// ConvParams map onto oneDNN's convolution_forward (forward_inference,
// direct algorithm), or for the gradients convolution_backward_data and
// convolution_backward_weights (with the forward_training primitive as
// their hint): input [N, C, D...] and output [N, O, E...] are
// ncw/nchw/ncdhw, the filter oiw/oihw/oidhw, or goiw/... with groups (oneDNN
// splits O into [G, O/G]). oneDNN's dilation counts the gaps (ONNX's minus
// one). The primitive is created with `any` layouts so that oneDNN picks its
// blocked formats; operands whose chosen layout differs from the plain one
// are reordered through buffers owned here, allocated at creation.
//
// The primitives (the convolution and the reorders) use a caller-provided
// scratchpad (scratchpad_mode::user): oneDNN's own ("library") scratchpad
// is a per-thread buffer of the thread that created the primitive, so
// executing on another thread (a session used from several threads one at
// a time) would find none.
//
//===----------------------------------------------------------------------===//
#include "CpuConv.h"
#include "Status.h"
#include "Support.h"
#include "ThreadPool.h"

#include <oneapi/dnnl/dnnl.hpp>

#include <algorithm>
#include <optional>
#include <unordered_map>

namespace dlcc::runtime {

namespace {
using dims = dnnl::memory::dims;
using tag = dnnl::memory::format_tag;

/// A plain operand and, when oneDNN wants another layout, the reorder to or
/// from it and the buffer (memory object) in that layout.
struct Operand {
  dnnl::memory::desc plain;
  std::optional<dnnl::memory> blocked;
  std::optional<dnnl::reorder> reorder;
  dnnl::memory::desc reorderScratchpad; // of the reorder, if any
};
} // namespace

struct CpuConv::Impl {
  dnnl::engine engine;
  dnnl::primitive primitive;
  ConvDirection direction = ConvDirection::Forward;
  /// The forward convolution's operands (for a gradient, the ones in its
  /// place: dX or dY, dW); the written one is reordered after the run.
  Operand x, w, y;
  dnnl::stream stream; // a session runs on one thread at a time
  int threads = 1;
  dnnl::memory::desc scratchpad; // the convolution primitive's
  uint64_t scratchpadBytes = 0;  // the largest of all its primitives'
};

CpuConv::CpuConv(std::unique_ptr<Impl> impl) : impl(std::move(impl)) {}
CpuConv::~CpuConv() = default;

dlcc_status_t CpuConv::create(const ConvParams &c, uint32_t threads,
                              std::unique_ptr<CpuConv> &out,
                              std::string &why) {
  if (c.dtype != DLCC_DTYPE_F32 || c.computeType != DLCC_DTYPE_F32) {
    why = "the CPU convolution (oneDNN) takes f32 operands only; compile "
          "with --generated-conv";
    return DLCC_STATUS_UNSUPPORTED;
  }
  if (c.spatial < 1 || c.spatial > 3) {
    why = strCat("the CPU convolution takes 1 to 3 spatial dimensions, not ",
                 c.spatial);
    return DLCC_STATUS_UNSUPPORTED;
  }
  // "the CPU convolution (oneDNN, input [1, 3, 8, 8], filter [4, 3, 3, 3])"
  auto what = [&] {
    std::string s = "the CPU convolution (oneDNN, input [";
    for (int32_t i = 0; i < c.spatial + 2; ++i)
      s += strCat(i ? ", " : "", c.input[i]);
    s += "], filter [";
    for (int32_t i = 0; i < c.spatial + 2; ++i)
      s += strCat(i ? ", " : "", c.filter[i]);
    return s + "])";
  };
  try {
    auto impl = std::make_unique<Impl>();
    impl->engine = dnnl::engine(dnnl::engine::kind::cpu, 0);
    impl->threads = int(threads);
    size_t rank = size_t(c.spatial) + 2;
    dims x(c.input, c.input + rank), y(c.output, c.output + rank);
    dims w;
    if (c.groups > 1)
      w.push_back(c.groups);
    w.push_back(c.groups > 1 ? c.filter[0] / c.groups : c.filter[0]);
    w.insert(w.end(), c.filter + 1, c.filter + rank);
    dims strides(c.strides, c.strides + c.spatial),
        padL(c.padBegin, c.padBegin + c.spatial),
        padR(c.padEnd, c.padEnd + c.spatial), dilations;
    for (int32_t i = 0; i < c.spatial; ++i)
      dilations.push_back(c.dilations[i] - 1);
    static constexpr tag kData[] = {tag::ncw, tag::nchw, tag::ncdhw};
    static constexpr tag kFilter[] = {tag::oiw, tag::oihw, tag::oidhw};
    static constexpr tag kGrouped[] = {tag::goiw, tag::goihw, tag::goidhw};
    auto f32 = dnnl::memory::data_type::f32;
    impl->x.plain = dnnl::memory::desc(x, f32, kData[c.spatial - 1]);
    impl->y.plain = dnnl::memory::desc(y, f32, kData[c.spatial - 1]);
    impl->w.plain = dnnl::memory::desc(
        w, f32, (c.groups > 1 ? kGrouped : kFilter)[c.spatial - 1]);

    // The implementation (and its blocking, hence the bits) depends on the
    // thread count at creation: create it for the count it runs with.
    OmpTeamSize team(impl->threads);
    impl->direction = c.direction;
    bool forwardOnly = c.direction == ConvDirection::Forward;
    dnnl::memory::desc xAny(x, f32, tag::any), wAny(w, f32, tag::any),
        yAny(y, f32, tag::any);
    dnnl::convolution_forward::desc desc(
        forwardOnly ? dnnl::prop_kind::forward_inference
                    : dnnl::prop_kind::forward_training,
        dnnl::algorithm::convolution_direct, xAny, wAny, yAny, strides,
        dilations, padL, padR);
    dnnl::primitive_attr attr;
    attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
    dnnl::convolution_forward::primitive_desc forward(desc, attr,
                                                      impl->engine);
    dnnl::memory::desc xChosen, wChosen, yChosen;
    // A gradient primitive (backward data or weights: the same descriptor
    // arguments), with the forward one as its hint.
    auto gradient = [&](auto primitive) {
      using Primitive = decltype(primitive);
      typename Primitive::desc d(dnnl::algorithm::convolution_direct, xAny,
                                 wAny, yAny, strides, dilations, padL, padR);
      return typename Primitive::primitive_desc(d, attr, impl->engine,
                                                forward);
    };
    if (c.direction == ConvDirection::BackwardData) {
      auto pd = gradient(dnnl::convolution_backward_data());
      impl->primitive = dnnl::convolution_backward_data(pd);
      impl->scratchpad = pd.scratchpad_desc();
      xChosen = pd.diff_src_desc(), wChosen = pd.weights_desc(),
      yChosen = pd.diff_dst_desc();
    } else if (c.direction == ConvDirection::BackwardFilter) {
      auto pd = gradient(dnnl::convolution_backward_weights());
      impl->primitive = dnnl::convolution_backward_weights(pd);
      impl->scratchpad = pd.scratchpad_desc();
      xChosen = pd.src_desc(), wChosen = pd.diff_weights_desc(),
      yChosen = pd.diff_dst_desc();
    } else {
      impl->primitive = dnnl::convolution_forward(forward);
      impl->scratchpad = forward.scratchpad_desc();
      xChosen = forward.src_desc(), wChosen = forward.weights_desc(),
      yChosen = forward.dst_desc();
    }
    impl->scratchpadBytes = impl->scratchpad.get_size();
    auto prepare = [&](Operand &o, const dnnl::memory::desc &chosen,
                       bool toPlain) {
      if (chosen == o.plain)
        return;
      o.blocked = dnnl::memory(chosen, impl->engine);
      dnnl::reorder::primitive_desc pd =
          toPlain ? dnnl::reorder::primitive_desc(impl->engine, chosen,
                                                  impl->engine, o.plain, attr)
                  : dnnl::reorder::primitive_desc(impl->engine, o.plain,
                                                  impl->engine, chosen, attr);
      o.reorder = dnnl::reorder(pd);
      o.reorderScratchpad = pd.scratchpad_desc();
      impl->scratchpadBytes = std::max<uint64_t>(
          impl->scratchpadBytes, o.reorderScratchpad.get_size());
    };
    // The written operand is reordered back to the plain layout after the
    // primitive; the read ones into the chosen layout before it.
    prepare(impl->x, xChosen, c.direction == ConvDirection::BackwardData);
    prepare(impl->w, wChosen, c.direction == ConvDirection::BackwardFilter);
    prepare(impl->y, yChosen, c.direction == ConvDirection::Forward);
    impl->stream = dnnl::stream(impl->engine);
    out.reset(new CpuConv(std::move(impl)));
    return DLCC_STATUS_OK;
  } catch (const dnnl::error &e) {
    if (e.status == dnnl_out_of_memory)
      return setError(DLCC_STATUS_OUT_OF_MEMORY,
                      strCat("out of memory preparing ", what(), ": ",
                             e.what()));
    why = strCat("oneDNN cannot run it: ", e.what());
    return DLCC_STATUS_UNSUPPORTED;
  } catch (const std::bad_alloc &) {
    return setError(DLCC_STATUS_OUT_OF_MEMORY,
                    strCat("out of memory preparing ", what()));
  }
}

uint64_t CpuConv::scratchpadBytes() const { return impl->scratchpadBytes; }

dlcc_status_t CpuConv::run(void *first, void *second, void *result,
                           void *scratchpad) const {
  try {
    dnnl::stream &stream = impl->stream;
    // The artifact's operand order, the last one written: (X, W, Y)
    // forward, (dY, W, dX) for the data gradient, (X, dY, dW) for the
    // filter gradient.
    ConvDirection dir = impl->direction;
    void *x = dir == ConvDirection::BackwardData ? result : first;
    void *w = dir == ConvDirection::Forward        ? second
              : dir == ConvDirection::BackwardData ? second
                                                   : result;
    void *y = dir == ConvDirection::Forward        ? result
              : dir == ConvDirection::BackwardData ? first
                                                   : second;
    const Operand *written = dir == ConvDirection::Forward        ? &impl->y
                             : dir == ConvDirection::BackwardData ? &impl->x
                                                                  : &impl->w;
    // The primitives run one after the other (an in-order CPU stream), so
    // they share the one scratchpad.
    auto withScratchpad = [&](std::unordered_map<int, dnnl::memory> args,
                              const dnnl::memory::desc &desc) {
      if (desc.get_size())
        args.emplace(DNNL_ARG_SCRATCHPAD,
                     dnnl::memory(desc, impl->engine, scratchpad));
      return args;
    };
    auto reorder = [&](const Operand &o, const dnnl::memory &from,
                       const dnnl::memory &to) {
      o.reorder->execute(stream,
                         withScratchpad({{DNNL_ARG_FROM, from},
                                         {DNNL_ARG_TO, to}},
                                        o.reorderScratchpad));
    };
    // Each operand in the layout the primitive reads or writes.
    auto bind = [&](const Operand &o, void *data) {
      dnnl::memory plain(o.plain, impl->engine, data);
      if (!o.blocked)
        return plain;
      dnnl::memory blocked = *o.blocked; // a handle: shares the buffer
      if (&o != written)
        reorder(o, plain, blocked);
      return blocked;
    };
    // Everything that executes runs with the session's team size (oneDNN
    // sizes its regions from the executing thread's setting).
    ThreadPool(uint32_t(impl->threads)).call([&] {
      dnnl::memory mx = bind(impl->x, x), mw = bind(impl->w, w),
                   my = bind(impl->y, y);
      if (dir == ConvDirection::BackwardData)
        impl->primitive.execute(stream, withScratchpad(
                                            {{DNNL_ARG_DIFF_DST, my},
                                             {DNNL_ARG_WEIGHTS, mw},
                                             {DNNL_ARG_DIFF_SRC, mx}},
                                            impl->scratchpad));
      else if (dir == ConvDirection::BackwardFilter)
        impl->primitive.execute(stream, withScratchpad(
                                            {{DNNL_ARG_SRC, mx},
                                             {DNNL_ARG_DIFF_DST, my},
                                             {DNNL_ARG_DIFF_WEIGHTS, mw}},
                                            impl->scratchpad));
      else
        impl->primitive.execute(stream, withScratchpad(
                                            {{DNNL_ARG_SRC, mx},
                                             {DNNL_ARG_WEIGHTS, mw},
                                             {DNNL_ARG_DST, my}},
                                            impl->scratchpad));
      if (written->blocked) {
        void *data = written == &impl->x ? x : written == &impl->w ? w : y;
        dnnl::memory plain(written->plain, impl->engine, data);
        dnnl::memory &from = written == &impl->x   ? mx
                             : written == &impl->w ? mw
                                                   : my;
        reorder(*written, from, plain);
      }
      stream.wait();
    });
    return DLCC_STATUS_OK;
  } catch (const dnnl::error &e) {
    return setError(e.status == dnnl_out_of_memory ? DLCC_STATUS_OUT_OF_MEMORY
                                                   : DLCC_STATUS_INTERNAL,
                    strCat("oneDNN convolution failed: ", e.what()));
  }
}

} // namespace dlcc::runtime
