//===- Executor.cpp - Planning and running command streams ----------------===//
//
// Commands run in the order of the entry point's list. Streams and events
// only order work on devices with concurrent queues; a backend with one
// queue (the CPU) runs every stream's commands in list order, which the
// compiler guarantees is a valid order, and RecordEvent/WaitEvent become
// no-ops. Each run is bracketed by Backend::beginRun/endRun, where a backend
// may record the run (a CUDA graph) and replay it later for the same buffers.
//
//===----------------------------------------------------------------------===//

#include "Executor.h"
#include <cstring>
#include <cstdlib>
#include <cstdio>
#include <chrono>
#include "Program.h"
#include "Status.h"
#include "Support.h"

#include <algorithm>

namespace dlcc::runtime {

namespace fb = dlcc::schema;

namespace {

PlannedRef planRef(const fb::BufferRef &ref) {
  PlannedRef r;
  r.space = uint8_t(ref.space());
  r.index = ref.index();
  r.offset = ref.offset();
  r.size = ref.size();
  return r;
}

DevicePtr resolve(const PlannedRef &ref, const Bindings &b) {
  DevicePtr base = ref.space == uint8_t(fb::MemorySpace::arena) ? b.arena
                   : ref.space == uint8_t(fb::MemorySpace::argument)
                       ? b.arguments[ref.index]
                       : b.results[ref.index];
  return static_cast<char *>(base) + ref.offset;
}

/// The alignment of base + offset for a kBufferAlignment-aligned base.
uint32_t alignmentOf(uint64_t offset) {
  uint64_t a = offset & (~offset + 1); // lowest set bit; 0 for offset 0
  return a == 0 || a > kBufferAlignment ? uint32_t(kBufferAlignment)
                                        : uint32_t(a);
}

/// A library call the backend could not prepare for another reason than
/// being unsupported (out of memory, a library failure): the backend's
/// message, prefixed with the command it belongs to; the status is kept.
dlcc_status_t preparationFailed(dlcc_status_t status, const std::string &where,
                                fb::LibraryCallKind kind) {
  return setError(status, strCat(where, " (LibraryCall ",
                                 fb::EnumNameLibraryCallKind(kind),
                                 "): ", dlcc_status_message()));
}

} // namespace

dlcc_status_t planEntryPoints(const dlcc_program &program,
                              Backend &backend,
                              std::vector<EntryPlan> &plans,
                              std::vector<bool> &launched) {
  const fb::Program *meta = program.index.meta;
  const auto *eps = meta->entry_points();
  const auto *kernels = meta->kernels();
  launched.assign(kernels ? kernels->size() : 0, false);
  plans.assign(eps ? eps->size() : 0, EntryPlan());
  uint32_t streams = 1, events = 0;
  for (flatbuffers::uoffset_t e = 0; eps && e < eps->size(); ++e) {
    streams = std::max(streams, eps->Get(e)->stream_count());
    events = std::max(events, eps->Get(e)->event_count());
  }
  if (dlcc_status_t s = backend.prepareStreams(streams, events))
    return s;
  for (flatbuffers::uoffset_t e = 0; eps && e < eps->size(); ++e) {
    const fb::EntryPoint *ep = eps->Get(e);
    EntryPlan &plan = plans[e];
    plan.index = e;
    plan.argumentCount = ep->arguments() ? ep->arguments()->size() : 0;
    plan.resultCount = ep->results() ? ep->results()->size() : 0;
    const auto *commands = ep->commands();
    for (flatbuffers::uoffset_t c = 0; commands && c < commands->size(); ++c) {
      const fb::Command *command = commands->Get(c);
      std::string where =
          strCat("entry point ", quoted(ep->name()->string_view()),
                 ": commands[", c, "]");
      PlannedCommand pc;
      switch (command->op_type()) {
      case fb::CommandOp::LaunchKernel: {
        const fb::LaunchKernel *launch = command->op_as_LaunchKernel();
        pc.op = PlannedCommand::Op::Launch;
        pc.stream = launch->stream();
        pc.kernel = launch->kernel();
        launched[pc.kernel] = true;
        const fb::Dim3 *g = launch->grid(), *b = launch->block();
        pc.dims.grid[0] = g->x(), pc.dims.grid[1] = g->y(),
        pc.dims.grid[2] = g->z();
        pc.dims.block[0] = b->x(), pc.dims.block[1] = b->y(),
        pc.dims.block[2] = b->z();
        pc.dims.sharedMemBytes = launch->shared_mem_bytes();
        uint64_t blocks = uint64_t(g->x()) * g->y();
        if (!checkedMul(blocks, g->z(), blocks) || blocks > uint64_t(INT64_MAX))
          return setError(DLCC_STATUS_UNSUPPORTED,
                          strCat(where, " (LaunchKernel) has a grid of ",
                                 g->x(), "x", g->y(), "x", g->z(),
                                 " blocks, more than 2^63-1"));
        pc.dims.blocks = int64_t(blocks);
        const auto *params = kernels->Get(pc.kernel)->parameters();
        const auto *args = launch->arguments();
        pc.firstParam = uint32_t(plan.params.size());
        pc.paramCount = args ? args->size() : 0;
        for (flatbuffers::uoffset_t i = 0; i < pc.paramCount; ++i) {
          PlannedParam p;
          p.buffer = params->Get(i)->kind() == fb::KernelParameterKind::buffer;
          if (p.buffer)
            p.ref = planRef(*args->Get(i)->buffer());
          else
            p.scalar = args->Get(i)->scalar_bits();
          plan.params.push_back(p);
        }
        plan.maxParams = std::max(plan.maxParams, pc.paramCount);
        break;
      }
      case fb::CommandOp::LibraryCall: {
        const fb::LibraryCall *call = command->op_as_LibraryCall();
        const char *device = backend.kind() == DLCC_DEVICE_CPU ? "CPU" : "CUDA";
        std::string why;
        if (call->kind() == fb::LibraryCallKind::gemm) {
          const fb::GemmDescriptor *d = call->descriptor_as_GemmDescriptor();
          GemmParams &g = pc.gemm;
          g.transA = d->trans_a(), g.transB = d->trans_b();
          g.m = d->m(), g.n = d->n(), g.k = d->k(), g.batch = d->batch();
          g.lda = d->lda(), g.ldb = d->ldb(), g.ldc = d->ldc();
          g.strideA = d->stride_a(), g.strideB = d->stride_b();
          g.strideC = d->stride_c();
          g.alpha = d->alpha(), g.beta = d->beta();
          g.aType = dlcc_dtype_t(d->a_dtype());
          g.bType = dlcc_dtype_t(d->b_dtype());
          g.cType = dlcc_dtype_t(d->c_dtype());
          g.computeType = dlcc_dtype_t(d->compute_dtype());
          pc.src = planRef(*call->operands()->Get(0));
          pc.dst = planRef(*call->operands()->Get(1));
          pc.extra = planRef(*call->operands()->Get(2));
          g.alignA = alignmentOf(pc.src.offset);
          g.alignB = alignmentOf(pc.dst.offset);
          g.alignC = alignmentOf(pc.extra.offset);
          dlcc_status_t s = backend.prepareGemm(g, pc.gemmHandle, why);
          if (s == DLCC_STATUS_OK) {
            pc.op = PlannedCommand::Op::Gemm;
            pc.stream = call->stream();
            break;
          }
          if (s != DLCC_STATUS_UNSUPPORTED)
            return preparationFailed(s, where, call->kind());
          why = strCat(" (", why, ")");
        } else if (call->kind() == fb::LibraryCallKind::conv_forward ||
                   call->kind() == fb::LibraryCallKind::conv_backward_data ||
                   call->kind() == fb::LibraryCallKind::conv_backward_filter) {
          const fb::ConvDescriptor *d = call->descriptor_as_ConvDescriptor();
          ConvParams &c = pc.conv;
          c.direction =
              call->kind() == fb::LibraryCallKind::conv_forward
                  ? ConvDirection::Forward
              : call->kind() == fb::LibraryCallKind::conv_backward_data
                  ? ConvDirection::BackwardData
                  : ConvDirection::BackwardFilter;
          c.spatial = int32_t(d->input_shape()->size() - 2);
          for (flatbuffers::uoffset_t i = 0; i < d->input_shape()->size();
               ++i) {
            c.input[i] = d->input_shape()->Get(i);
            c.filter[i] = d->filter_shape()->Get(i);
            c.output[i] = d->output_shape()->Get(i);
          }
          for (int32_t i = 0; i < c.spatial; ++i) {
            c.strides[i] = d->strides()->Get(flatbuffers::uoffset_t(i));
            c.dilations[i] = d->dilations()->Get(flatbuffers::uoffset_t(i));
            c.padBegin[i] = d->pads()->Get(flatbuffers::uoffset_t(i));
            c.padEnd[i] =
                d->pads()->Get(flatbuffers::uoffset_t(c.spatial + i));
          }
          c.groups = d->groups();
          c.dtype = dlcc_dtype_t(d->dtype());
          c.computeType = dlcc_dtype_t(d->compute_dtype());
          pc.src = planRef(*call->operands()->Get(0));
          pc.dst = planRef(*call->operands()->Get(1));
          pc.extra = planRef(*call->operands()->Get(2));
          dlcc_status_t s = backend.prepareConv(c, pc.convHandle, why);
          if (s == DLCC_STATUS_OK) {
            pc.op = PlannedCommand::Op::Conv;
            pc.stream = call->stream();
            break;
          }
          if (s != DLCC_STATUS_UNSUPPORTED)
            return preparationFailed(s, where, call->kind());
          why = strCat(" (", why, ")");
        }
        return setError(DLCC_STATUS_UNSUPPORTED,
                        strCat(where, " is a LibraryCall (",
                               fb::EnumNameLibraryCallKind(call->kind()),
                               "), which this runtime's ", device,
                               " backend does not support yet", why));
      }
      case fb::CommandOp::Copy: {
        const fb::Copy *copy = command->op_as_Copy();
        pc.op = PlannedCommand::Op::Copy;
        pc.stream = copy->stream();
        pc.src = planRef(*copy->src());
        pc.dst = planRef(*copy->dst());
        break;
      }
      case fb::CommandOp::Memset: {
        const fb::Memset *memset = command->op_as_Memset();
        pc.op = PlannedCommand::Op::Memset;
        pc.stream = memset->stream();
        pc.dst = planRef(*memset->dst());
        pc.value = memset->value();
        break;
      }
      case fb::CommandOp::RecordEvent: // no-ops on the CPU (one queue)
        pc.op = PlannedCommand::Op::RecordEvent;
        pc.stream = command->op_as_RecordEvent()->stream();
        pc.event = command->op_as_RecordEvent()->event();
        break;
      case fb::CommandOp::WaitEvent:
        pc.op = PlannedCommand::Op::WaitEvent;
        pc.stream = command->op_as_WaitEvent()->stream();
        pc.event = command->op_as_WaitEvent()->event();
        break;
      default:
        return setError(DLCC_STATUS_INTERNAL,
                        strCat(where, " has an unexpected operation"));
      }
      plan.commands.push_back(pc);
    }
  }
  return DLCC_STATUS_OK;
}

bool profilingRequested() {
  const char *env = std::getenv("DLCC_PROFILE");
  return env && *env && std::strcmp(env, "0") != 0;
}

void printProfile(const dlcc_program &program, const EntryPlan &plan) {
  if (plan.profile.empty() ||
      std::none_of(plan.profile.begin(), plan.profile.end(),
                   [](const CommandProfile &p) { return p.calls > 0; }))
    return; // never run
  const fb::Program *meta = program.index.meta;
  const fb::EntryPoint *ep = meta->entry_points()->Get(plan.index);
  double total = 0;
  std::vector<size_t> order;
  for (size_t i = 0; i < plan.profile.size(); ++i) {
    total += plan.profile[i].milliseconds;
    if (plan.profile[i].calls)
      order.push_back(i);
  }
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return plan.profile[a].milliseconds > plan.profile[b].milliseconds;
  });
  std::fprintf(stderr, "dlcc profile: entry point \"%s\", %.3f ms in %zu "
               "commands\n", ep->name()->c_str(), total, plan.commands.size());
  std::fprintf(stderr, "%8s %6s %10s %6s  %s\n", "command", "calls", "ms",
               "share", "what");
  for (size_t i : order) {
    const PlannedCommand &c = plan.commands[i];
    std::string what;
    switch (c.op) {
    case PlannedCommand::Op::Launch:
      what = strCat("kernel ", meta->kernels()->Get(c.kernel)->name()->str(),
                    " (", c.dims.blocks, " blocks of ", c.dims.block[0], ")");
      break;
    case PlannedCommand::Op::Gemm:
      what = strCat("gemm m=", c.gemm.m, " n=", c.gemm.n, " k=", c.gemm.k,
                    " batch=", c.gemm.batch);
      break;
    case PlannedCommand::Op::Conv: {
      auto dims = [&](const int64_t *d) {
        std::string s = std::to_string(d[0]);
        for (int32_t i = 1; i < c.conv.spatial + 2; ++i)
          s += "x" + std::to_string(d[i]);
        return s;
      };
      what = strCat(c.conv.direction == ConvDirection::Forward ? "conv"
                    : c.conv.direction == ConvDirection::BackwardData
                        ? "conv backward data"
                        : "conv backward filter",
                    " x=", dims(c.conv.input), " w=", dims(c.conv.filter),
                    " groups=", c.conv.groups);
      break;
    }
    case PlannedCommand::Op::Copy:
      what = strCat("copy ", c.src.size, " bytes");
      break;
    case PlannedCommand::Op::Memset:
      what = strCat("memset ", c.dst.size, " bytes");
      break;
    default:
      what = "event";
      break;
    }
    const CommandProfile &p = plan.profile[i];
    std::fprintf(stderr, "%8zu %6llu %10.3f %5.1f%%  %s\n", i,
                 (unsigned long long)p.calls, p.milliseconds,
                 total > 0 ? 100.0 * p.milliseconds / total : 0.0,
                 what.c_str());
  }
}

namespace {
dlcc_status_t issue(Backend &backend, const EntryPlan &plan,
                    const Bindings &bindings, LaunchScratch &scratch) {
  uint32_t stream = 0;
  const bool profiling = !plan.profile.empty();
  for (size_t index = 0; index < plan.commands.size(); ++index) {
    const PlannedCommand &c = plan.commands[index];
    auto started = profiling ? std::chrono::steady_clock::now()
                             : std::chrono::steady_clock::time_point();
    dlcc_status_t s = DLCC_STATUS_OK;
    if (c.stream != stream) {
      if ((s = backend.setStream(c.stream)))
        return s;
      stream = c.stream;
    }
    switch (c.op) {
    case PlannedCommand::Op::Launch:
      for (uint32_t i = 0; i < c.paramCount; ++i) {
        const PlannedParam &p = plan.params[c.firstParam + i];
        if (p.buffer) {
          scratch.pointers[i] = resolve(p.ref, bindings);
          scratch.params[i] = &scratch.pointers[i];
        } else {
          // Little-endian: the value's `dtype`-wide bytes come first.
          scratch.scalars[i] = p.scalar;
          scratch.params[i] = &scratch.scalars[i];
        }
      }
      s = backend.launch(c.kernel, c.dims, scratch.params.data());
      break;
    case PlannedCommand::Op::Copy:
      s = backend.copy(resolve(c.dst, bindings), resolve(c.src, bindings),
                       c.src.size);
      break;
    case PlannedCommand::Op::Memset:
      s = backend.memset(resolve(c.dst, bindings), c.value, c.dst.size);
      break;
    case PlannedCommand::Op::Gemm:
      s = backend.gemm(c.gemmHandle, resolve(c.src, bindings),
                       resolve(c.dst, bindings), resolve(c.extra, bindings));
      break;
    case PlannedCommand::Op::Conv:
      s = backend.conv(c.convHandle, resolve(c.src, bindings),
                       resolve(c.dst, bindings), resolve(c.extra, bindings));
      break;
    case PlannedCommand::Op::RecordEvent:
      s = backend.recordEvent(c.event, c.stream);
      break;
    case PlannedCommand::Op::WaitEvent:
      s = backend.waitEvent(c.event, c.stream);
      break;
    case PlannedCommand::Op::Nop:
      break;
    }
    if (s == DLCC_STATUS_OK && profiling) {
      s = backend.synchronize();
      std::chrono::duration<double, std::milli> ms =
          std::chrono::steady_clock::now() - started;
      plan.profile[index].milliseconds += ms.count();
      ++plan.profile[index].calls;
    }
    if (s != DLCC_STATUS_OK)
      return s;
  }
  return DLCC_STATUS_OK;
}
} // namespace

dlcc_status_t execute(Backend &backend, const EntryPlan &plan,
                      const Bindings &bindings, LaunchScratch &scratch) {
  if (scratch.params.size() < plan.maxParams) {
    scratch.pointers.resize(plan.maxParams);
    scratch.scalars.resize(plan.maxParams);
    scratch.params.resize(plan.maxParams);
  }
  scratch.key.clear();
  scratch.key.insert(scratch.key.end(), bindings.arguments,
                     bindings.arguments + plan.argumentCount);
  scratch.key.insert(scratch.key.end(), bindings.results,
                     bindings.results + plan.resultCount);
  scratch.key.push_back(bindings.arena);
  RunKey key;
  key.entryPoint = plan.index;
  key.buffers = scratch.key.data();
  key.count = scratch.key.size();
  // A recording that failed ran nothing and asks again (once; the backend
  // does not record that run a second time).
  for (int attempt = 0;; ++attempt) {
    bool replayed = false, again = false;
    if (dlcc_status_t s = backend.beginRun(key, replayed))
      return s;
    if (replayed)
      break;
    dlcc_status_t s = issue(backend, plan, bindings, scratch);
    dlcc_status_t e = backend.endRun(s == DLCC_STATUS_OK, again);
    if (again && attempt == 0)
      continue;
    if (again)
      return setError(DLCC_STATUS_INTERNAL,
                      "the backend asked to issue a run a third time");
    if (s != DLCC_STATUS_OK)
      return s;
    if (e != DLCC_STATUS_OK)
      return e;
    break;
  }
  return backend.synchronize();
}

} // namespace dlcc::runtime
