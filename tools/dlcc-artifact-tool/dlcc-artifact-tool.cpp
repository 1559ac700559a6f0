//===- dlcc-artifact-tool.cpp - Write and inspect train.bin for tests -----===//
//
// A test helper over the writer (ArtifactBuilder) and the runtime's C API:
//
//   dlcc-artifact-tool write-sample OUT [--minimal|--minimal-conv]
//       [--corrupt=KIND]
//       Writes the sample artifact below (or a minimal one, or a minimal one
//       with one convolution library call). --corrupt patches
//       one metadata field in place and recomputes the metadata section's
//       hash, so that only the loader's metadata checks can catch it; KIND is
//       one of corruptionKinds() (`--corrupt=list` prints them).
//   dlcc-artifact-tool inspect [--from-memory] FILE
//       Loads FILE through the C API (dlcc_program_load_file, or
//       dlcc_program_load_memory) and prints a JSON summary on stdout; on
//       failure prints "error: MESSAGE" on stderr and exits 1.
//   dlcc-artifact-tool api-selftest FILE
//       Exercises the C API's argument checks on a valid artifact.
//   dlcc-artifact-tool write-cpu-sample OUT --kernels-so K.so [options]
//       Writes a small executable CPU program (CpuSample.cpp).
//   dlcc-artifact-tool session-selftest FILE
//       Exercises the session C API's checks (SessionSelftest.cpp).
//   dlcc-artifact-tool program-lifetime-selftest FILE [ROUNDS]
//       Releases programs before, after and while threads create sessions
//       of them (SessionSelftest.cpp).
//
// test/python/test_artifact.py holds the expected contents of the sample.
//
//===----------------------------------------------------------------------===//

#include "Commands.h"

#include "dlcc-c/dlcc.h"
#include "dlcc/Target/Artifact/ArtifactWriter.h"
#include "dlcc/schema/train_bin_generated.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <iostream>
#include <iterator>
#include <map>
#include <string>
#include <thread>
#include <vector>

#define XXH_INLINE_ALL
#include <xxhash.h>

using namespace dlcc::artifact;
namespace fb = dlcc::schema;
using dlcc::tool::arg;
using dlcc::tool::bytesOf;
using json = nlohmann::json;

namespace {

BufferRef arena(uint64_t offset, uint64_t size) {
  return {MemorySpace::Arena, 0, offset, size};
}
BufferRef argument(uint32_t index, uint64_t size) {
  return {MemorySpace::Argument, index, 0, size};
}
BufferRef result(uint32_t index, uint64_t size) {
  return {MemorySpace::Result, index, 0, size};
}
KernelArg buf(BufferRef r) { return {r, 0}; }


/// The sample: an MLP-like training step with every kind of state slot (but
/// constant, which write-cpu-sample has) and command.
/// test/python/test_artifact.py repeats these values.
void buildSample(ArtifactBuilder &b) {
  b.setProducer("dlcc sample");
  b.setFeatureFlags(HasCudaKernels | HasCpuKernels | UsesCublas | UsesNccl);
  b.setCpuBaseline("x86-64-v2");

  std::vector<float> weight(12);
  for (int i = 0; i < 12; ++i)
    weight[i] = float(i) * 0.5f - 1.0f;
  uint32_t w = b.addStateSlot("fc1.weight", StateSlotKind::Parameter,
                              DType::F32, {3, 4}, bytesOf(weight));
  uint32_t bias =
      b.addStateSlot("fc1.bias", StateSlotKind::Parameter, DType::F32, {3},
                     bytesOf(std::vector<float>{0.25f, -0.5f, 1.0f}));
  b.addStateSlot("bn.running_var", StateSlotKind::BatchNormStatistic,
                 DType::F32, {3}, bytesOf(std::vector<float>{1, 1, 1}));
  b.addStateSlot("fc1.weight.adam_m", StateSlotKind::Optimizer, DType::F32,
                 {3, 4}, std::vector<uint8_t>(48, 0));
  uint32_t step = b.addStateSlot("step", StateSlotKind::Optimizer, DType::I64,
                                 {}, bytesOf(std::vector<int64_t>{7}));
  b.addStateSlot("dropout.rng", StateSlotKind::Rng, DType::U64, {2},
                 bytesOf(std::vector<uint64_t>{0x0123456789abcdefull, 42}));
  b.addStateSlot("empty.table", StateSlotKind::Parameter, DType::F16, {0, 4},
                 {});

  std::vector<uint8_t> cubin = bytesOf(std::string("FAKE-CUBIN-SM80:"));
  for (int i = 0; i < 16; ++i)
    cubin.push_back(uint8_t(i));
  uint32_t sm80 = b.addKernelImage("sm_80", cubin);
  uint32_t ptx = b.addKernelImage(
      "ptx", bytesOf(std::string(".version 8.0\n.target sm_80\n")));
  uint32_t cpu =
      b.addKernelImage("x86_64-cpu", bytesOf(std::string("\x7f"
                                                         "ELF-fake-so")));

  std::vector<KernelParam> linearParams = {
      {"x", ParameterKind::Buffer, DType::F32},
      {"w", ParameterKind::Buffer, DType::F32},
      {"b", ParameterKind::Buffer, DType::F32},
      {"y", ParameterKind::Buffer, DType::F32},
      {"n", ParameterKind::Scalar, DType::I64}};
  uint32_t linear = b.addKernel({"linear_relu",
                                 linearParams,
                                 {{sm80, "linear_relu", 32, 0, 256},
                                  {ptx, "linear_relu", 0, 0, 1024},
                                  {cpu, "linear_relu", 0, 0, 1}},
                                 {1, 1, 1}});
  uint32_t sgd = b.addKernel(
      {"sgd_update",
       {{"w", ParameterKind::Buffer, DType::F32},
        {"g", ParameterKind::Buffer, DType::F32},
        {"lr", ParameterKind::Buffer, DType::F32}},
       {{sm80, "sgd_update", 16, 128, 128}, {cpu, "sgd_update", 0, 0, 1}},
       {1, 1, 1}});

  EntryPointDesc train;
  train.name = "train_step";
  train.arguments = {
      arg("x", ArgumentKind::Input, -1, DType::F32, {2, 4}),
      arg("fc1.weight", ArgumentKind::State, int32_t(w), DType::F32, {3, 4}),
      arg("fc1.bias", ArgumentKind::State, int32_t(bias), DType::F32, {3}),
      arg("step", ArgumentKind::State, int32_t(step), DType::I64, {}),
      arg("lr", ArgumentKind::Input, -1, DType::F32, {})};
  train.results = {
      arg("loss", ArgumentKind::Output, -1, DType::F32, {}),
      arg("fc1.weight", ArgumentKind::TiedState, int32_t(w), DType::F32,
          {3, 4}),
      arg("fc1.bias", ArgumentKind::TiedState, int32_t(bias), DType::F32, {3}),
      arg("step", ArgumentKind::TiedState, int32_t(step), DType::I64, {})};
  LaunchKernel forward;
  forward.kernel = linear;
  forward.args = {buf(argument(0, 32)),
                  buf(argument(1, 48)),
                  buf(argument(2, 12)),
                  buf(arena(64, 24)),
                  {{}, 6}};
  forward.block = {64, 1, 1};
  GemmDesc gemm;
  gemm.m = 3, gemm.n = 4, gemm.k = 2, gemm.lda = 2, gemm.ldb = 4, gemm.ldc = 4;
  gemm.transA = true;
  LibraryCall gradW{LibraryCallKind::Gemm,
                    gemm,
                    {arena(64, 24), argument(0, 32), arena(128, 48)},
                    false,
                    {},
                    1};
  LibraryCall allReduce{LibraryCallKind::AllReduce,
                        CollectiveDesc{ReduceOp::Mean, DType::F32, 12, 0},
                        {arena(128, 48), arena(128, 48)},
                        true,
                        arena(192, 64),
                        1};
  LaunchKernel update;
  update.kernel = sgd;
  update.args = {buf(result(1, 48)), buf(arena(128, 48)), buf(argument(4, 4))};
  update.grid = {1, 1, 1};
  update.block = {12, 1, 1};
  train.commands = {Memset{arena(0, 64), 0, 0},
                    forward,
                    RecordEvent{0, 0},
                    WaitEvent{0, 1},
                    gradW,
                    allReduce,
                    Copy{arena(0, 4), result(0, 4), 0},
                    update};
  train.arenaBytes = 256;
  train.streamCount = 2;
  train.eventCount = 1;
  b.addEntryPoint(train);

  EntryPointDesc fwd;
  fwd.name = "forward";
  fwd.arguments = {
      arg("x", ArgumentKind::Input, -1, DType::F32, {2, 4}),
      arg("fc1.weight", ArgumentKind::State, int32_t(w), DType::F32, {3, 4}),
      arg("fc1.bias", ArgumentKind::State, int32_t(bias), DType::F32, {3}),
      arg("ids", ArgumentKind::Input, -1, DType::I64, {2})};
  fwd.arguments.back().hasIndexBounds = true;
  fwd.arguments.back().indexBounds = {0, 3, true, -100, "Gather (sample)"};
  fwd.results = {arg("y", ArgumentKind::Output, -1, DType::F32, {2, 3})};
  fwd.commands = {Copy{argument(0, 24), result(0, 24), 0}};
  b.addEntryPoint(fwd);

  std::vector<uint8_t> graph = bytesOf(std::string("ONNX-GRAPH:"));
  for (int i = 0; i < 16; ++i)
    graph.push_back(uint8_t(i));
  b.setOnnxGraph(graph);
}

void buildMinimal(ArtifactBuilder &b) {
  b.setProducer("minimal");
  uint32_t w = b.addStateSlot("w", StateSlotKind::Parameter, DType::F32, {2},
                              bytesOf(std::vector<float>{1, 2}));
  EntryPointDesc ep;
  ep.name = "forward";
  ep.arguments = {arg("w", ArgumentKind::State, int32_t(w), DType::F32, {2})};
  ep.results = {arg("out", ArgumentKind::Output, -1, DType::F32, {2})};
  ep.commands = {Copy{argument(0, 8), result(0, 8), 0}};
  b.addEntryPoint(ep);
}

/// One conv_forward library call (a fuzz seed for the convolution checks):
/// y[1, 2, 5, 5] = conv(x[1, 2, 4, 4], w[2, 1, 2, 2]), 2 groups, pads 1.
void buildMinimalConv(ArtifactBuilder &b) {
  b.setProducer("minimal-conv");
  EntryPointDesc ep;
  ep.name = "conv";
  ep.arguments = {arg("x", ArgumentKind::Input, -1, DType::F32, {1, 2, 4, 4}),
                  arg("w", ArgumentKind::Input, -1, DType::F32, {2, 1, 2, 2})};
  ep.results = {arg("y", ArgumentKind::Output, -1, DType::F32, {1, 2, 5, 5})};
  ConvDesc d;
  d.inputShape = {1, 2, 4, 4};
  d.filterShape = {2, 1, 2, 2};
  d.outputShape = {1, 2, 5, 5};
  d.strides = {1, 1};
  d.pads = {1, 1, 1, 1};
  d.dilations = {1, 1};
  d.groups = 2;
  ep.commands = {LibraryCall{LibraryCallKind::ConvForward,
                             d,
                             {argument(0, 128), argument(1, 32),
                              result(0, 200)},
                             false,
                             {},
                             0}};
  b.addEntryPoint(ep);
}

//===----------------------------------------------------------------------===//
// Corruption of the metadata (for the loader's negative tests)
//===----------------------------------------------------------------------===//

using Mutation = std::function<bool(fb::Program &)>;

fb::StateSlot &slot(fb::Program &p, unsigned i) {
  return *p.mutable_state_slots()->GetMutableObject(i);
}
fb::EntryPoint &entry(fb::Program &p, unsigned i) {
  return *p.mutable_entry_points()->GetMutableObject(i);
}
fb::Command &command(fb::Program &p, unsigned ep, unsigned i) {
  return *entry(p, ep).mutable_commands()->GetMutableObject(i);
}

const std::map<std::string, Mutation> &corruptions() {
  static const std::map<std::string, Mutation> table = {
      {"slot-size-mismatch",
       [](fb::Program &p) { return slot(p, 0).mutate_data_size(44); }},
      {"slot-out-of-range",
       [](fb::Program &p) { return slot(p, 1).mutate_data_offset(1 << 20); }},
      {"slot-offset-overflow",
       [](fb::Program &p) {
         return slot(p, 0).mutate_data_offset(0xffffffffffffffc0ull);
       }},
      {"slot-misaligned",
       [](fb::Program &p) {
         return slot(p, 1).mutate_data_offset(slot(p, 1).data_offset() + 4);
       }},
      {"splat-out-of-range",
       [](fb::Program &p) {
         return slot(p, 0).mutate_initial_value(fb::InitialValue::splat) &&
                slot(p, 0).mutate_data_offset(uint64_t(1) << 40);
       }},
      {"negative-dim",
       [](fb::Program &p) {
         slot(p, 0).mutable_shape()->Mutate(0, -3);
         return true;
       }},
      {"shape-overflow",
       [](fb::Program &p) {
         slot(p, 0).mutable_shape()->Mutate(0, int64_t(1) << 62);
         slot(p, 0).mutable_shape()->Mutate(1, int64_t(1) << 62);
         return true;
       }},
      {"unknown-dtype",
       [](fb::Program &p) {
         return slot(p, 0).mutate_dtype(static_cast<fb::DType>(200));
       }},
      {"unknown-slot-kind",
       [](fb::Program &p) {
         return slot(p, 0).mutate_kind(static_cast<fb::StateSlotKind>(9));
       }},
      {"bad-state-slot-index",
       [](fb::Program &p) {
         return entry(p, 0)
             .mutable_arguments()
             ->GetMutableObject(1)
             ->mutate_state_slot(1000);
       }},
      {"index-bounds-empty",
       [](fb::Program &p) {
         auto *b = entry(p, 1)
                       .mutable_arguments()
                       ->GetMutableObject(3)
                       ->mutable_index_bounds();
         return b && b->mutate_max(b->min());
       }},
      {"index-bounds-on-float",
       [](fb::Program &p) {
         return entry(p, 1)
             .mutable_arguments()
             ->GetMutableObject(3)
             ->mutate_dtype(fb::DType::f32);
       }},
      {"tied-state-shape-mismatch",
       [](fb::Program &p) {
         return entry(p, 0)
             .mutable_results()
             ->GetMutableObject(1)
             ->mutate_state_slot(1);
       }},
      {"kernel-image-out-of-range",
       [](fb::Program &p) {
         return p.mutable_kernel_images()->GetMutableObject(0)->mutate_size(
             uint64_t(1) << 40);
       }},
      {"kernel-image-wrong-section",
       [](fb::Program &p) {
         return p.mutable_kernel_images()->GetMutableObject(0)->mutate_section(
             0);
       }},
      {"bad-kernel-index",
       [](fb::Program &p) {
         auto *launch = const_cast<fb::LaunchKernel *>(
             command(p, 0, 1).op_as_LaunchKernel());
         return launch && launch->mutate_kernel(99);
       }},
      {"arena-out-of-range",
       [](fb::Program &p) {
         auto *memset =
             const_cast<fb::Memset *>(command(p, 0, 0).op_as_Memset());
         if (!memset)
           return false;
         memset->mutable_dst()->mutate_offset(256);
         return true;
       }},
      {"bad-event",
       [](fb::Program &p) {
         auto *record = const_cast<fb::RecordEvent *>(
             command(p, 0, 2).op_as_RecordEvent());
         return record && record->mutate_event(5);
       }},
      {"bad-stream",
       [](fb::Program &p) {
         auto *record = const_cast<fb::RecordEvent *>(
             command(p, 0, 2).op_as_RecordEvent());
         return record && record->mutate_stream(7);
       }},
      {"version-mismatch",
       [](fb::Program &p) {
         return p.mutate_format_version(kArtifactFormatVersion + 1);
       }},
      {"feature-flags-mismatch",
       [](fb::Program &p) {
         return p.mutate_feature_flags(static_cast<fb::FeatureFlags>(1));
       }},
      {"onnx-graph-out-of-range",
       [](fb::Program &p) {
         if (!p.mutable_onnx_graph())
           return false;
         p.mutable_onnx_graph()->mutate_size(uint64_t(1) << 30);
         return true;
       }},
  };
  return table;
}

uint64_t readLE64(const uint8_t *p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i)
    v = v << 8 | p[i];
  return v;
}
void writeLE64(uint8_t *p, uint64_t v) {
  for (int i = 0; i < 8; ++i)
    p[i] = uint8_t(v >> (8 * i));
}

/// Applies `kind` to the metadata (section 0, as ArtifactBuilder writes it)
/// and recomputes that section's hash.
bool corrupt(std::vector<uint8_t> &file, const std::string &kind) {
  auto it = corruptions().find(kind);
  if (it == corruptions().end()) {
    std::cerr << "error: unknown corruption '" << kind << "'\n";
    return false;
  }
  uint8_t *entry = file.data() + 32; // first section table entry
  uint64_t offset = readLE64(entry + 8), size = readLE64(entry + 16);
  if (!it->second(*fb::GetMutableProgram(file.data() + offset))) {
    std::cerr << "error: cannot apply corruption '" << kind
              << "' (field not stored)\n";
    return false;
  }
  writeLE64(entry + 24, XXH64(file.data() + offset, size_t(size), 0));
  return true;
}

bool writeFile(const std::string &path, const std::vector<uint8_t> &bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char *>(bytes.data()),
            std::streamsize(bytes.size()));
  return bool(out.flush());
}

int writeSample(const std::vector<std::string> &args) {
  std::string out, corruption;
  bool minimal = false, minimalConv = false;
  for (const std::string &a : args) {
    if (a == "--minimal")
      minimal = true;
    else if (a == "--minimal-conv")
      minimalConv = true;
    else if (a.rfind("--corrupt=", 0) == 0)
      corruption = a.substr(10);
    else if (!a.empty() && a[0] == '-') {
      std::cerr << "error: unknown option " << a << "\n";
      return 2;
    } else
      out = a;
  }
  if (corruption == "list") {
    for (const auto &entry : corruptions())
      std::cout << entry.first << "\n";
    return 0;
  }
  if (out.empty()) {
    std::cerr << "error: write-sample needs an output path\n";
    return 2;
  }
  ArtifactBuilder builder;
  if (minimal)
    buildMinimal(builder);
  else if (minimalConv)
    buildMinimalConv(builder);
  else
    buildSample(builder);
  std::string error;
  if (corruption.empty()) {
    // The real writer path: atomic, streamed.
    if (!builder.write(out, &error)) {
      std::cerr << "error: " << error << "\n";
      return 1;
    }
    return 0;
  }
  std::vector<uint8_t> bytes = builder.serialize(&error);
  if (bytes.empty()) {
    std::cerr << "error: " << error << "\n";
    return 1;
  }
  if (!corrupt(bytes, corruption))
    return 2;
  if (!writeFile(out, bytes)) {
    std::cerr << "error: cannot write " << out << "\n";
    return 1;
  }
  return 0;
}

//===----------------------------------------------------------------------===//
// inspect
//===----------------------------------------------------------------------===//

/// Throws with the C API's message when `status` is not OK.
void check(dlcc_status_t status, const char *what) {
  if (status != DLCC_STATUS_OK)
    throw std::runtime_error(std::string(what) + " failed (" +
                             dlcc_status_string(status) +
                             "): " + dlcc_status_message());
}

std::string hexOf(const void *data, size_t size) {
  static const char digits[] = "0123456789abcdef";
  std::string s;
  const auto *p = static_cast<const uint8_t *>(data);
  for (size_t i = 0; i < size; ++i) {
    s += digits[p[i] >> 4];
    s += digits[p[i] & 15];
  }
  return s;
}

json describe(const dlcc_argument_descriptor_t &d) {
  const char *kind = nullptr, *dtype = nullptr;
  check(dlcc_argument_kind_name(d.kind, &kind), "dlcc_argument_kind_name");
  check(dlcc_dtype_name(d.dtype, &dtype), "dlcc_dtype_name");
  json shape = json::array();
  for (size_t i = 0; i < d.rank; ++i)
    shape.push_back(d.dims[i]);
  return {{"name", d.name}, {"kind", kind},   {"state_slot", d.state_slot},
          {"dtype", dtype}, {"shape", shape}, {"byte_size", d.byte_size}};
}

json summarize(const dlcc_program_t *p) {
  json j;
  uint32_t version = 0;
  uint64_t flags = 0;
  const char *producer = nullptr, *baseline = nullptr;
  check(dlcc_program_format_version(p, &version), "format_version");
  check(dlcc_program_producer(p, &producer), "producer");
  check(dlcc_program_feature_flags(p, &flags), "feature_flags");
  check(dlcc_program_cpu_baseline(p, &baseline), "cpu_baseline");
  j["format_version"] = version;
  j["producer"] = producer;
  j["feature_flags"] = flags;
  j["cpu_baseline"] = baseline;

  size_t slots = 0;
  check(dlcc_program_state_slot_count(p, &slots), "state_slot_count");
  j["state_slots"] = json::array();
  for (size_t i = 0; i < slots; ++i) {
    const char *name = nullptr, *kindName = nullptr, *dtypeName = nullptr;
    dlcc_state_slot_kind_t kind;
    dlcc_dtype_t dtype;
    size_t rank = 0, found = 0;
    const int64_t *dims = nullptr;
    const void *data = nullptr;
    size_t size = 0;
    check(dlcc_program_state_slot_name(p, i, &name), "state_slot_name");
    check(dlcc_program_state_slot_kind(p, i, &kind), "state_slot_kind");
    check(dlcc_program_state_slot_dtype(p, i, &dtype), "state_slot_dtype");
    check(dlcc_program_state_slot_shape(p, i, &rank, &dims),
          "state_slot_shape");
    check(dlcc_program_state_slot_initial_data(p, i, &data, &size),
          "state_slot_initial_data");
    check(dlcc_program_find_state_slot(p, name, &found), "find_state_slot");
    if (found != i)
      throw std::runtime_error("find_state_slot returned the wrong index");
    check(dlcc_state_slot_kind_name(kind, &kindName), "state_slot_kind_name");
    check(dlcc_dtype_name(dtype, &dtypeName), "dtype_name");
    json shape = json::array();
    for (size_t d = 0; d < rank; ++d)
      shape.push_back(dims[d]);
    j["state_slots"].push_back(
        {{"name", name},
         {"kind", kindName},
         {"dtype", dtypeName},
         {"shape", shape},
         {"data_size", size},
         {"data_aligned", reinterpret_cast<uintptr_t>(data) % 64 == 0},
         {"data_hex", hexOf(data, size)}});
  }

  size_t eps = 0;
  check(dlcc_program_entry_point_count(p, &eps), "entry_point_count");
  j["entry_points"] = json::array();
  for (size_t e = 0; e < eps; ++e) {
    const char *name = nullptr;
    size_t nargs = 0, nresults = 0, ncommands = 0, found = 0;
    uint64_t arena = 0;
    check(dlcc_program_entry_point_name(p, e, &name), "entry_point_name");
    check(dlcc_program_find_entry_point(p, name, &found), "find_entry_point");
    if (found != e)
      throw std::runtime_error("find_entry_point returned the wrong index");
    check(dlcc_program_entry_point_argument_count(p, e, &nargs),
          "argument_count");
    check(dlcc_program_entry_point_result_count(p, e, &nresults),
          "result_count");
    check(dlcc_program_entry_point_command_count(p, e, &ncommands),
          "command_count");
    check(dlcc_program_entry_point_arena_bytes(p, e, &arena), "arena_bytes");
    json entry = {{"name", name},
                  {"arena_bytes", arena},
                  {"command_count", ncommands},
                  {"arguments", json::array()},
                  {"results", json::array()}};
    for (size_t i = 0; i < nargs; ++i) {
      dlcc_argument_descriptor_t d;
      check(dlcc_program_entry_point_argument(p, e, i, &d), "argument");
      entry["arguments"].push_back(describe(d));
    }
    for (size_t i = 0; i < nresults; ++i) {
      dlcc_argument_descriptor_t d;
      check(dlcc_program_entry_point_result(p, e, i, &d), "result");
      entry["results"].push_back(describe(d));
    }
    j["entry_points"].push_back(entry);
  }

  size_t kernels = 0, images = 0;
  check(dlcc_program_kernel_count(p, &kernels), "kernel_count");
  j["kernels"] = json::array();
  for (size_t k = 0; k < kernels; ++k) {
    const char *name = nullptr;
    check(dlcc_program_kernel_name(p, k, &name), "kernel_name");
    j["kernels"].push_back(name);
    size_t variants = 0;
    check(dlcc_program_kernel_variant_count(p, k, &variants),
          "kernel_variant_count");
    json list = json::array();
    for (size_t v = 0; v < variants; ++v) {
      dlcc_kernel_variant_t var;
      check(dlcc_program_kernel_variant(p, k, v, &var), "kernel_variant");
      list.push_back({{"image", var.image},
                      {"symbol", var.symbol},
                      {"registers", var.registers},
                      {"shared_mem_bytes", var.shared_mem_bytes},
                      {"max_threads_per_block", var.max_threads_per_block}});
    }
    j["kernel_variants"][name] = list;
  }
  check(dlcc_program_kernel_image_count(p, &images), "kernel_image_count");
  j["kernel_images"] = json::array();
  for (size_t i = 0; i < images; ++i) {
    const char *target = nullptr;
    const void *data = nullptr;
    size_t size = 0;
    check(dlcc_program_kernel_image(p, i, &target, &data, &size),
          "kernel_image");
    j["kernel_images"].push_back(
        {{"target", target}, {"size", size}, {"data_hex", hexOf(data, size)}});
  }
  const void *graph = nullptr;
  size_t graphSize = 0;
  check(dlcc_program_onnx_graph(p, &graph, &graphSize), "onnx_graph");
  j["onnx_graph_hex"] = graph ? json(hexOf(graph, graphSize)) : json(nullptr);
  return j;
}

bool readFile(const std::string &path, std::vector<uint8_t> &out) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return false;
  out.assign(std::istreambuf_iterator<char>(in), {});
  return !in.bad();
}

int inspect(const std::vector<std::string> &args) {
  bool fromMemory = false;
  std::string path;
  for (const std::string &a : args) {
    if (a == "--from-memory")
      fromMemory = true;
    else
      path = a;
  }
  if (path.empty()) {
    std::cerr << "error: inspect needs a file\n";
    return 2;
  }
  dlcc_program_options_t options;
  dlcc_program_options_initialize(&options);
  dlcc_program_t *program = nullptr;
  dlcc_status_t status;
  if (fromMemory) {
    std::vector<uint8_t> bytes;
    if (!readFile(path, bytes)) {
      std::cerr << "error: cannot read " << path << "\n";
      return 1;
    }
    status = dlcc_program_load_memory(bytes.data(), bytes.size(), &options,
                                      &program);
  } else {
    status = dlcc_program_load_file(path.c_str(), &options, &program);
  }
  if (status != DLCC_STATUS_OK) {
    std::cerr << "error: " << dlcc_status_message() << " ["
              << dlcc_status_string(status) << "]\n";
    return 1;
  }
  int rc = 0;
  try {
    std::cout << summarize(program).dump(2) << "\n";
  } catch (const std::exception &e) {
    std::cerr << "error: " << e.what() << "\n";
    rc = 1;
  }
  dlcc_program_release(program);
  return rc;
}

//===----------------------------------------------------------------------===//
// api-selftest
//===----------------------------------------------------------------------===//

int apiSelftest(const std::string &path) {
  int failures = 0;
  auto expect = [&](bool ok, const char *what) {
    if (!ok) {
      std::cerr << "FAIL: " << what << " (message: " << dlcc_status_message()
                << ")\n";
      ++failures;
    }
  };
  dlcc_program_t *p = nullptr;
  expect(dlcc_program_load_file(nullptr, nullptr, &p) ==
             DLCC_STATUS_INVALID_ARGUMENT,
         "load_file(NULL path)");
  expect(dlcc_program_load_file(path.c_str(), nullptr, nullptr) ==
             DLCC_STATUS_INVALID_ARGUMENT,
         "load_file(NULL out)");
  expect(dlcc_program_load_file("/nonexistent/train.bin", nullptr, &p) ==
             DLCC_STATUS_IO_ERROR,
         "load_file(missing file) is an I/O error");
  expect(std::strstr(dlcc_status_message(), "/nonexistent/train.bin") !=
             nullptr,
         "the I/O error names the file");
  expect(dlcc_program_load_file("/", nullptr, &p) == DLCC_STATUS_IO_ERROR,
         "load_file(directory)");
  expect(dlcc_program_load_memory(nullptr, 0, nullptr, &p) ==
             DLCC_STATUS_INVALID_ARTIFACT,
         "load_memory(empty) is an invalid artifact");
  expect(dlcc_program_options_initialize(nullptr) ==
             DLCC_STATUS_INVALID_ARGUMENT,
         "options_initialize(NULL)");
  dlcc_program_options_t options;
  dlcc_program_options_initialize(&options);
  options.max_artifact_bytes = 16;
  expect(dlcc_program_load_file(path.c_str(), &options, &p) ==
             DLCC_STATUS_INVALID_ARGUMENT,
         "max_artifact_bytes is enforced");
  dlcc_program_options_initialize(&options);
  options.flags = 1;
  expect(dlcc_program_load_file(path.c_str(), &options, &p) ==
             DLCC_STATUS_INVALID_ARGUMENT,
         "unknown option flags are rejected");
  expect(dlcc_program_release(nullptr) == DLCC_STATUS_OK, "release(NULL)");

  dlcc_program_options_initialize(&options);
  if (dlcc_program_load_file(path.c_str(), &options, &p) != DLCC_STATUS_OK) {
    std::cerr << "FAIL: cannot load " << path << ": " << dlcc_status_message()
              << "\n";
    return 1;
  }
  size_t n = 0, index = 0;
  const char *name = nullptr;
  const void *data = nullptr;
  size_t size = 0;
  dlcc_argument_descriptor_t d;
  expect(dlcc_program_state_slot_count(p, nullptr) ==
             DLCC_STATUS_INVALID_ARGUMENT,
         "state_slot_count(NULL out)");
  expect(dlcc_program_state_slot_count(nullptr, &n) ==
             DLCC_STATUS_INVALID_ARGUMENT,
         "state_slot_count(NULL program)");
  dlcc_program_state_slot_count(p, &n);
  expect(dlcc_program_state_slot_name(p, n, &name) == DLCC_STATUS_OUT_OF_RANGE,
         "state_slot_name(count) is out of range");
  expect(dlcc_program_state_slot_initial_data(p, size_t(-1), &data, &size) ==
             DLCC_STATUS_OUT_OF_RANGE,
         "state_slot_initial_data(SIZE_MAX)");
  expect(dlcc_program_find_state_slot(p, "no.such.slot", &index) ==
             DLCC_STATUS_NOT_FOUND,
         "find_state_slot(unknown)");
  expect(std::strstr(dlcc_status_message(), "no.such.slot") != nullptr,
         "the not-found message names the slot");
  expect(dlcc_program_find_entry_point(p, "nope", &index) ==
             DLCC_STATUS_NOT_FOUND,
         "find_entry_point(unknown)");
  dlcc_program_entry_point_count(p, &n);
  expect(dlcc_program_entry_point_argument(p, n, 0, &d) ==
             DLCC_STATUS_OUT_OF_RANGE,
         "entry_point_argument(bad entry point)");
  if (n > 0) {
    size_t args = 0;
    dlcc_program_entry_point_argument_count(p, 0, &args);
    expect(dlcc_program_entry_point_argument(p, 0, args, &d) ==
               DLCC_STATUS_OUT_OF_RANGE,
           "entry_point_argument(bad index)");
    expect(dlcc_program_entry_point_result(p, 0, 0, nullptr) ==
               DLCC_STATUS_INVALID_ARGUMENT,
           "entry_point_result(NULL out)");
  }
  expect(dlcc_program_kernel_name(p, 1000, &name) == DLCC_STATUS_OUT_OF_RANGE,
         "kernel_name(1000)");
  {
    size_t variants = 0;
    dlcc_kernel_variant_t variant;
    expect(dlcc_program_kernel_variant_count(p, 1000, &variants) ==
               DLCC_STATUS_OUT_OF_RANGE,
           "kernel_variant_count(1000)");
    expect(dlcc_program_kernel_variant_count(p, 0, nullptr) ==
               DLCC_STATUS_INVALID_ARGUMENT,
           "kernel_variant_count(NULL)");
    expect(dlcc_program_kernel_variant(p, 0, 1000, &variant) ==
               DLCC_STATUS_OUT_OF_RANGE,
           "kernel_variant(0, 1000)");
    expect(dlcc_program_kernel_variant(nullptr, 0, 0, &variant) ==
               DLCC_STATUS_INVALID_ARGUMENT,
           "kernel_variant(NULL program)");
  }
  const char *dtypeName = nullptr;
  expect(dlcc_dtype_name(static_cast<dlcc_dtype_t>(0), &dtypeName) ==
             DLCC_STATUS_INVALID_ARGUMENT,
         "dtype_name(0)");
  size_t bytes = 0;
  expect(dlcc_dtype_size(DLCC_DTYPE_BF16, &bytes) == DLCC_STATUS_OK &&
             bytes == 2,
         "dtype_size(bf16) == 2");
  expect(std::strcmp(dlcc_status_string(DLCC_STATUS_INVALID_ARTIFACT),
                     "DLCC_STATUS_INVALID_ARTIFACT") == 0,
         "status_string");

  // The message is per thread: a failure on another thread leaves ours.
  dlcc_program_find_state_slot(p, "mine", &index);
  std::string before = dlcc_status_message();
  std::thread([&] {
    dlcc_program_find_state_slot(p, "theirs", &index);
  }).join();
  expect(before == dlcc_status_message(), "the message is thread-local");

  // Concurrent queries on one program.
  std::vector<std::thread> threads;
  std::vector<int> ok(4, 0);
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      try {
        for (int i = 0; i < 200; ++i)
          summarize(p);
        ok[size_t(t)] = 1;
      } catch (...) {
      }
    });
  for (std::thread &t : threads)
    t.join();
  for (int v : ok)
    expect(v == 1, "concurrent queries");

  dlcc_program_release(p);
  if (failures == 0)
    std::cout << "api-selftest: ok\n";
  return failures ? 1 : 0;
}

int usage() {
  std::cerr << "usage: dlcc-artifact-tool write-sample OUT "
               "[--minimal|--minimal-conv] [--corrupt=KIND|list]\n"
               "       dlcc-artifact-tool inspect [--from-memory] FILE\n"
               "       dlcc-artifact-tool api-selftest FILE\n"
               "       dlcc-artifact-tool write-cpu-sample OUT --kernels-so "
               "K.so [options]\n"
               "       dlcc-artifact-tool session-selftest FILE\n"
               "       dlcc-artifact-tool program-lifetime-selftest FILE "
               "[ROUNDS]\n";
  return 2;
}

} // namespace

int main(int argc, char **argv) {
  if (argc < 2)
    return usage();
  std::string command = argv[1];
  std::vector<std::string> args(argv + 2, argv + argc);
  try {
    if (command == "write-sample")
      return writeSample(args);
    if (command == "inspect")
      return inspect(args);
    if (command == "api-selftest" && args.size() == 1)
      return apiSelftest(args[0]);
    if (command == "write-cpu-sample")
      return dlcc::tool::writeCpuSample(args);
    if (command == "session-selftest")
      return dlcc::tool::sessionSelftest(args);
    if (command == "program-lifetime-selftest")
      return dlcc::tool::programLifetimeSelftest(args);
  } catch (const std::exception &e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
  return usage();
}
