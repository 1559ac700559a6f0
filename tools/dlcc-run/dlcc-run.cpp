//===- dlcc-run.cpp - Run a dlcc program from the command line ------------===//
//
//   dlcc-run model.bin --inputs x.npz [--outputs y.npz] [--entry NAME]
//            [--device auto|cpu|cuda] [--threads N] [--repeat N]
//            [--save-state state.npz]
//   dlcc-run model.bin --describe
//
// Inputs are matched to the entry point's input arguments by name, outputs
// are written by result name (docs/runtime.md, "dlcc-run"). Every failure is
// one line "dlcc-run: error: ..." on stderr and exit status 1; output files
// are written atomically, so a failed run leaves existing ones untouched.
//
//===----------------------------------------------------------------------===//

#include "Npy.h"
#include "Npz.h"
#include "Safetensors.h"

#include "dlcc-c/dlcc.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <limits>
#include <string>
#include <vector>

using namespace dlcc::run;

namespace {

const char *const kUsage =
    "usage: dlcc-run MODEL.bin --inputs IN.npz [--outputs OUT.npz] "
    "[--entry NAME]\n"
    "                [--device auto|cpu|cuda] [--threads N] [--warmup N] [--repeat N]\n"
    "                [--save-state STATE.npz]\n"
    "       dlcc-run TRAIN.bin --data DATA.npz --steps N [--accumulate K]\n"
    "                [--save CKPT.safetensors]\n"
    "       dlcc-run MODEL.bin --describe\n"
    "\n"
    "Runs one entry point of a dlcc program (train.bin) on inputs from a\n"
    ".npz file (np.savez / np.savez_compressed), keyed by the entry point's\n"
    "input names, and writes its outputs, keyed by result name, to a .npz.\n"
    "\n"
    "  --entry NAME      entry point (default: the only one, or \"forward\")\n"
    "  --device D        auto (default), cpu or cuda\n"
    "  --threads N       CPU threads (default 0: $DLCC_NUM_THREADS or all)\n"
    "  --warmup N        first run N times untimed (state advances)\n"
    "  --repeat N        run N times (state advances each time); prints the\n"
    "                    mean and minimum wall time per run to stderr\n"
    "  --save-state F    write the state slots (not constants) by name to F\n"
    "  --describe        print entry points, arguments, results, state slots\n"
    "\n"
    "Training (the entry point train_step unless --entry): --data holds one\n"
    "array per input (the model's inputs and its labels) with any number of\n"
    "rows; step k takes the next batch of rows, wrapping around, and prints\n"
    "its loss. --save writes the state (parameters by ONNX initializer name,\n"
    "optimizer state as NAME.SLOT) as safetensors after the last step.\n"
    "--accumulate K makes each step K runs of the entry point accumulate on\n"
    "the next K batches, then one run of apply (a program compiled with\n"
    "--gradient-accumulation); the loss printed is their mean.\n";

struct Options {
  std::string model, inputs, outputs, saveState, entry, data, save;
  uint64_t steps = 0, accumulate = 0;
  dlcc_device_kind_t device = DLCC_DEVICE_AUTO;
  uint32_t threads = 0;
  uint64_t repeat = 1;
  uint64_t warmup = 0;
  bool describe = false;
};

uint64_t parseCount(const std::string &option, const std::string &text,
                    uint64_t min, uint64_t max) {
  bool digits = !text.empty() &&
                text.find_first_not_of("0123456789") == std::string::npos &&
                text.size() <= 19;
  uint64_t v = digits ? std::stoull(text) : 0;
  if (!digits || v < min || v > max)
    throw Error(option + " needs an integer from " + std::to_string(min) +
                " to " + std::to_string(max) + ", got '" + text + "'");
  return v;
}

/// Returns false after printing the usage for --help.
bool parseOptions(int argc, char **argv, Options &o) {
  std::vector<std::string> args(argv + 1, argv + argc);
  for (size_t i = 0; i < args.size(); ++i) {
    std::string a = args[i], value;
    bool hasValue = false;
    if (a.rfind("--", 0) == 0 && a.find('=') != std::string::npos) {
      value = a.substr(a.find('=') + 1);
      a = a.substr(0, a.find('='));
      hasValue = true;
    }
    auto next = [&]() -> std::string {
      if (hasValue)
        return value;
      // "--entry --outputs y.npz" forgot the value ("--entry=--x" does not).
      if (i + 1 >= args.size() || args[i + 1].rfind("--", 0) == 0)
        throw Error(a + " needs a value");
      return args[++i];
    };
    if (a == "-h" || a == "--help") {
      std::cout << kUsage;
      return false;
    }
    if (a == "--describe") {
      if (hasValue)
        throw Error("--describe takes no value");
      o.describe = true;
    } else if (a == "--inputs") {
      o.inputs = next();
    } else if (a == "--outputs") {
      o.outputs = next();
    } else if (a == "--save-state") {
      o.saveState = next();
    } else if (a == "--entry") {
      o.entry = next();
    } else if (a == "--device") {
      std::string d = next();
      if (d == "auto")
        o.device = DLCC_DEVICE_AUTO;
      else if (d == "cpu")
        o.device = DLCC_DEVICE_CPU;
      else if (d == "cuda")
        o.device = DLCC_DEVICE_CUDA;
      else
        throw Error("--device must be auto, cpu or cuda, got '" + d + "'");
    } else if (a == "--threads") {
      o.threads = uint32_t(parseCount("--threads", next(), 0, 1024));
    } else if (a == "--repeat") {
      o.repeat = parseCount("--repeat", next(), 1, 1000000000);
    } else if (a == "--data") {
      o.data = next();
    } else if (a == "--steps") {
      o.steps = parseCount("--steps", next(), 1, 1000000000);
    } else if (a == "--accumulate") {
      o.accumulate = parseCount("--accumulate", next(), 1, 1000000);
    } else if (a == "--save") {
      o.save = next();
    } else if (a == "--warmup") {
      o.warmup = parseCount("--warmup", next(), 0, 1000000000);
    } else if (a.size() > 1 && a[0] == '-') {
      throw Error("unknown option '" + a + "' (see dlcc-run --help)");
    } else if (o.model.empty()) {
      o.model = a;
    } else {
      throw Error("unexpected argument '" + a + "' (one model file only)");
    }
  }
  if (o.model.empty())
    throw Error("no model file given (see dlcc-run --help)");
  if (!o.outputs.empty() && o.outputs == o.saveState)
    throw Error("--outputs and --save-state name the same file");
  if (!o.data.empty() || o.steps || !o.save.empty() || o.accumulate) {
    if (o.data.empty() || !o.steps)
      throw Error("training needs both --data FILE.npz and --steps N");
    if (!o.inputs.empty() || !o.outputs.empty() || !o.saveState.empty() ||
        o.repeat != 1 || o.warmup)
      throw Error("--data trains; it does not combine with --inputs, "
                  "--outputs, --save-state, --repeat or --warmup");
  }
  return true;
}

/// Throws the C API's message when `status` is not OK.
void check(dlcc_status_t status) {
  if (status != DLCC_STATUS_OK)
    throw Error(dlcc_status_message());
}

struct ProgramHandle {
  dlcc_program_t *p = nullptr;
  ~ProgramHandle() { dlcc_program_release(p); }
};
struct SessionHandle {
  dlcc_session_t *s = nullptr;
  ~SessionHandle() { dlcc_session_release(s); }
};

std::string dtypeName(dlcc_dtype_t dtype) {
  const char *name = "?";
  dlcc_dtype_name(dtype, &name);
  return name;
}

std::vector<int64_t> dimsOf(size_t rank, const int64_t *dims) {
  return rank ? std::vector<int64_t>(dims, dims + rank)
              : std::vector<int64_t>();
}

/// "f32 [2, 3]"
std::string typeText(dlcc_dtype_t dtype, const std::vector<int64_t> &shape) {
  std::string s = dtypeName(dtype) + " [";
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

std::string joined(const std::vector<std::string> &names) {
  if (names.empty())
    return "nothing";
  std::string s;
  for (size_t i = 0; i < names.size(); ++i)
    s += (i ? ", " : "") + names[i];
  return s;
}

struct EntryInfo {
  size_t index = 0;
  std::string name;
  std::vector<dlcc_argument_descriptor_t> arguments, results;
};

EntryInfo describeEntry(const dlcc_program_t *p, size_t e) {
  EntryInfo info;
  info.index = e;
  const char *name = nullptr;
  size_t nargs = 0, nresults = 0;
  check(dlcc_program_entry_point_name(p, e, &name));
  info.name = name;
  check(dlcc_program_entry_point_argument_count(p, e, &nargs));
  check(dlcc_program_entry_point_result_count(p, e, &nresults));
  info.arguments.resize(nargs);
  info.results.resize(nresults);
  for (size_t i = 0; i < nargs; ++i)
    check(dlcc_program_entry_point_argument(p, e, i, &info.arguments[i]));
  for (size_t i = 0; i < nresults; ++i)
    check(dlcc_program_entry_point_result(p, e, i, &info.results[i]));
  return info;
}

void printDescription(const dlcc_program_t *p, const std::string &path) {
  const char *producer = "", *baseline = "";
  uint32_t version = 0;
  uint64_t flags = 0;
  check(dlcc_program_producer(p, &producer));
  check(dlcc_program_cpu_baseline(p, &baseline));
  check(dlcc_program_format_version(p, &version));
  check(dlcc_program_feature_flags(p, &flags));
  static const char *const flagNames[] = {"has_cuda_kernels", "has_cpu_kernels",
                                          "uses_cudnn", "uses_cublas",
                                          "uses_nccl"};
  std::vector<std::string> features;
  for (int i = 0; i < 5; ++i)
    if (flags & (uint64_t(1) << i))
      features.push_back(flagNames[i]);
  std::cout << "program " << path << ": producer \"" << producer
            << "\", format version " << version << ", cpu baseline "
            << (*baseline ? baseline : "(none)") << ", features "
            << (features.empty() ? "(none)" : joined(features)) << "\n";
  size_t eps = 0;
  check(dlcc_program_entry_point_count(p, &eps));
  for (size_t e = 0; e < eps; ++e) {
    EntryInfo info = describeEntry(p, e);
    uint64_t arena = 0;
    size_t commands = 0;
    check(dlcc_program_entry_point_arena_bytes(p, e, &arena));
    check(dlcc_program_entry_point_command_count(p, e, &commands));
    std::cout << "entry point \"" << info.name
              << "\": " << info.arguments.size() << " arguments, "
              << info.results.size() << " results, " << commands
              << " commands, arena " << arena << " bytes\n";
    for (int list = 0; list < 2; ++list) {
      const auto &descs = list ? info.results : info.arguments;
      for (size_t i = 0; i < descs.size(); ++i) {
        const dlcc_argument_descriptor_t &d = descs[i];
        const char *kind = "?";
        dlcc_argument_kind_name(d.kind, &kind);
        std::cout << "  " << (list ? "result " : "argument ") << i << " \""
                  << d.name << "\": " << kind << " "
                  << typeText(d.dtype, dimsOf(d.rank, d.dims));
        if (d.state_slot >= 0)
          std::cout << " (state slot " << d.state_slot << ")";
        std::cout << "\n";
      }
    }
  }
  size_t slots = 0;
  check(dlcc_program_state_slot_count(p, &slots));
  std::cout << "state slots: " << slots << "\n";
  uint64_t storedBytes = 0, zeroBytes = 0, splatBytes = 0, constantBytes = 0;
  for (size_t i = 0; i < slots; ++i) {
    const char *name = nullptr, *kindName = "?";
    dlcc_state_slot_kind_t kind;
    dlcc_dtype_t dtype;
    size_t rank = 0;
    const int64_t *dims = nullptr;
    check(dlcc_program_state_slot_name(p, i, &name));
    check(dlcc_program_state_slot_kind(p, i, &kind));
    check(dlcc_program_state_slot_dtype(p, i, &dtype));
    check(dlcc_program_state_slot_shape(p, i, &rank, &dims));
    dlcc_state_slot_kind_name(kind, &kindName);
    // State bytes: zero-initialised slots store nothing in the artifact,
    // splat slots one element.
    dlcc_initial_value_t init = DLCC_INITIAL_VALUE_STORED;
    check(dlcc_program_state_slot_initial_value(p, i, &init));
    size_t bytes = 0;
    check(dlcc_dtype_size(dtype, &bytes));
    for (size_t d = 0; d < rank; ++d)
      bytes *= size_t(dims[d]);
    (init == DLCC_INITIAL_VALUE_ZEROS   ? zeroBytes
     : init == DLCC_INITIAL_VALUE_SPLAT ? splatBytes
                                        : storedBytes) += bytes;
    if (kind == DLCC_STATE_SLOT_CONSTANT)
      constantBytes += bytes;
    std::cout << "  " << i << " \"" << name << "\": " << kindName << " "
              << typeText(dtype, dimsOf(rank, dims))
              << (init == DLCC_INITIAL_VALUE_ZEROS   ? " zero-initialised"
                  : init == DLCC_INITIAL_VALUE_SPLAT ? " splat"
                                                     : "")
              << "\n";
  }
  std::cout << "state bytes: " << storedBytes + zeroBytes + splatBytes << " ("
            << storedBytes << " stored, " << zeroBytes
            << " zero-initialised, " << splatBytes
            << " splat; constants " << constantBytes << ")\n";
  size_t kernels = 0, images = 0;
  check(dlcc_program_kernel_count(p, &kernels));
  check(dlcc_program_kernel_image_count(p, &images));
  std::cout << "kernels: " << kernels << "\n";
  for (size_t i = 0; i < images; ++i) {
    const char *target = nullptr;
    const void *data = nullptr;
    size_t size = 0;
    check(dlcc_program_kernel_image(p, i, &target, &data, &size));
    std::cout << "  kernel image " << i << ": " << target << ", " << size
              << " bytes\n";
  }
}

size_t chooseEntry(const dlcc_program_t *p, const std::string &requested) {
  size_t eps = 0, index = 0;
  check(dlcc_program_entry_point_count(p, &eps));
  std::vector<std::string> names;
  for (size_t e = 0; e < eps; ++e) {
    const char *name = nullptr;
    check(dlcc_program_entry_point_name(p, e, &name));
    names.push_back(std::string("\"") + name + "\"");
  }
  if (!requested.empty()) {
    if (dlcc_program_find_entry_point(p, requested.c_str(), &index) !=
        DLCC_STATUS_OK)
      throw Error("the program has no entry point \"" + requested +
                  "\" (it has " + joined(names) + ")");
    return index;
  }
  if (eps == 1)
    return 0;
  if (dlcc_program_find_entry_point(p, "forward", &index) == DLCC_STATUS_OK)
    return index;
  if (eps == 0)
    throw Error("the program has no entry points");
  throw Error("the program has " + std::to_string(eps) + " entry points (" +
              joined(names) +
              ") and none is \"forward\"; choose one with "
              "--entry");
}

/// Reads and checks every input of `entry` from the .npz; returns the
/// arrays by argument index (empty for state arguments).
std::vector<NpyArray> readInputs(const EntryInfo &entry,
                                 const std::string &path) {
  std::vector<std::string> inputNames;
  for (const auto &d : entry.arguments)
    if (d.kind == DLCC_ARGUMENT_INPUT)
      inputNames.push_back(d.name);
  std::vector<NpyArray> arrays(entry.arguments.size());
  if (path.empty()) {
    if (!inputNames.empty())
      throw Error("entry point \"" + entry.name + "\" needs inputs (" +
                  joined(inputNames) + "); pass them with --inputs FILE.npz");
    return arrays;
  }
  NpzReader npz(path);
  for (size_t i = 0; i < entry.arguments.size(); ++i) {
    const dlcc_argument_descriptor_t &d = entry.arguments[i];
    if (d.kind == DLCC_ARGUMENT_INPUT && !npz.contains(d.name))
      throw Error(path + " has no array '" + d.name + "' for input " +
                  std::to_string(i) + " of entry point \"" + entry.name +
                  "\" (the file holds " + joined(npz.keys()) + ")");
  }
  for (const std::string &key : npz.keys()) {
    bool isInput = false, isState = false;
    for (const auto &d : entry.arguments) {
      isInput |= d.kind == DLCC_ARGUMENT_INPUT && key == d.name;
      isState |= d.kind == DLCC_ARGUMENT_STATE && key == d.name;
    }
    if (!isInput)
      throw Error(
          path + " holds '" + key + "', which is " +
          (isState ? "a state argument, not an input," : "not an input") +
          " of entry point \"" + entry.name +
          "\" (its inputs: " + joined(inputNames) + ")");
  }
  for (size_t i = 0; i < entry.arguments.size(); ++i) {
    const dlcc_argument_descriptor_t &d = entry.arguments[i];
    if (d.kind != DLCC_ARGUMENT_INPUT)
      continue;
    std::vector<int64_t> expected = dimsOf(d.rank, d.dims);
    std::string want = typeText(d.dtype, expected);
    arrays[i] = npz.read(d.name, [&](const NpyArray &a) {
      if (!npyMatches(a, d.dtype))
        throw Error("input '" + std::string(d.name) + "' of entry point \"" +
                    entry.name + "\" is " + want + ", but " + path +
                    " holds dtype '" + a.descr + "' (needs '" +
                    npyDescr(d.dtype) + "')");
      if (a.shape != expected)
        throw Error("input '" + std::string(d.name) + "' of entry point \"" +
                    entry.name + "\" has shape " + shapeTuple(expected) + " (" +
                    want + "), but " + path + " holds shape " +
                    shapeTuple(a.shape));
    });
  }
  return arrays;
}

/// A session of `p` on the device and thread count `o` asks for.
void createSession(const dlcc_program_t *p, const Options &o,
                   SessionHandle &session) {
  dlcc_session_options_t options;
  check(dlcc_session_options_initialize(&options));
  options.device = o.device;
  options.cpu_threads = o.threads;
  check(dlcc_session_create(p, &options, &session.s));
}

/// Every state slot but the constants, by name, as the session holds it.
std::vector<NamedTensor> readState(const dlcc_program_t *p,
                                   dlcc_session_t *session) {
  std::vector<NamedTensor> out;
  size_t slots = 0;
  check(dlcc_program_state_slot_count(p, &slots));
  for (size_t i = 0; i < slots; ++i) {
    const char *name = nullptr;
    dlcc_state_slot_kind_t kind;
    dlcc_dtype_t dtype;
    size_t rank = 0, elementBytes = 0;
    const int64_t *dims = nullptr;
    check(dlcc_program_state_slot_kind(p, i, &kind));
    if (kind == DLCC_STATE_SLOT_CONSTANT)
      continue;
    check(dlcc_program_state_slot_name(p, i, &name));
    check(dlcc_program_state_slot_dtype(p, i, &dtype));
    check(dlcc_program_state_slot_shape(p, i, &rank, &dims));
    check(dlcc_dtype_size(dtype, &elementBytes));
    size_t bytes = elementBytes;
    for (size_t d = 0; d < rank; ++d)
      bytes *= size_t(dims[d]);
    NamedTensor t{name, dtype, dimsOf(rank, dims), std::vector<uint8_t>(bytes)};
    check(dlcc_session_read_state(session, i, t.bytes.data(), t.bytes.size()));
    out.push_back(std::move(t));
  }
  return out;
}

/// One input's rows in --data: the batch is the argument's first dim, the
/// file may hold any number of rows of the same trailing shape.
struct DataStream {
  size_t argument = 0;
  NpyArray array;
  size_t rows = 0, rowBytes = 0, batch = 0;
  std::vector<uint8_t> buffer;
};

/// `--data DATA.npz --steps N`: runs the training entry point on
/// consecutive batches, printing each step's loss; stops with an error
/// naming the step at a non-finite loss; saves the state with --save.
int train(const Options &o, const dlcc_program_t *p) {
  std::string entryName = o.entry;
  if (entryName.empty())
    entryName = o.accumulate ? "accumulate" : "train_step";
  size_t apply = 0;
  if (o.accumulate) {
    size_t index = 0;
    if (dlcc_program_find_entry_point(p, entryName.c_str(), &index) !=
            DLCC_STATUS_OK ||
        dlcc_program_find_entry_point(p, "apply", &apply) != DLCC_STATUS_OK)
      throw Error("--accumulate needs the entry points \"" + entryName +
                  "\" and \"apply\" (compile with --gradient-accumulation)");
  }
  size_t e = chooseEntry(p, entryName);
  EntryInfo entry = describeEntry(p, e);
  std::optional<size_t> lossIndex;
  for (size_t r = 0; r < entry.results.size(); ++r) {
    const dlcc_argument_descriptor_t &d = entry.results[r];
    if (d.kind == DLCC_ARGUMENT_OUTPUT && std::string(d.name) == "loss" &&
        d.rank == 0 && d.dtype == DLCC_DTYPE_F32)
      lossIndex = r;
  }
  if (!lossIndex)
    throw Error("entry point \"" + entry.name +
                "\" has no f32 result 'loss' to train on (compile the model "
                "without --inference)");

  checkRegularFile(o.data);
  NpzReader npz(o.data);
  std::vector<DataStream> streams;
  std::vector<std::string> names;
  for (size_t i = 0; i < entry.arguments.size(); ++i) {
    const dlcc_argument_descriptor_t &d = entry.arguments[i];
    if (d.kind != DLCC_ARGUMENT_INPUT)
      continue;
    names.push_back(d.name);
    std::vector<int64_t> dims = dimsOf(d.rank, d.dims);
    if (dims.empty())
      throw Error("input '" + std::string(d.name) + "' of entry point \"" +
                  entry.name + "\" is 0-d; --data needs a batch dimension");
    if (!npz.contains(d.name))
      throw Error(o.data + " has no array '" + d.name + "' (the file holds " +
                  joined(npz.keys()) + ")");
    std::vector<int64_t> row(dims.begin() + 1, dims.end());
    DataStream s;
    s.argument = i;
    s.batch = size_t(dims[0]);
    s.array = npz.read(d.name, [&](const NpyArray &a) {
      std::vector<int64_t> trailing;
      if (!a.shape.empty())
        trailing.assign(a.shape.begin() + 1, a.shape.end());
      if (!npyMatches(a, d.dtype))
        throw Error("'" + std::string(d.name) + "' in " + o.data +
                    " has dtype '" + a.descr + "'; the program takes " +
                    typeText(d.dtype, dims) + " (needs '" +
                    npyDescr(d.dtype) + "')");
      if (a.shape.empty() || a.shape[0] < 1 || trailing != row)
        throw Error("'" + std::string(d.name) + "' in " + o.data +
                    " has shape " + shapeTuple(a.shape) +
                    "; the program takes batches of " + typeText(d.dtype, dims) +
                    ", so the array must be (rows, " +
                    shapeTuple(row).substr(1));
    });
    s.rows = size_t(s.array.shape[0]);
    s.rowBytes = s.array.dataSize / s.rows;
    s.buffer.resize(s.batch * s.rowBytes);
    if (!streams.empty() && s.rows != streams.front().rows)
      throw Error(o.data + ": '" + names.front() + "' has " +
                  std::to_string(streams.front().rows) + " rows but '" +
                  d.name + "' has " + std::to_string(s.rows));
    streams.push_back(std::move(s));
  }
  for (const std::string &key : npz.keys())
    if (std::find(names.begin(), names.end(), key) == names.end())
      throw Error(o.data + " holds '" + key + "', which is not an input of " +
                  "entry point \"" + entry.name + "\" (its inputs: " +
                  joined(names) + ")");

  SessionHandle session;
  createSession(p, o, session);
  uint64_t microBatches = std::max<uint64_t>(o.accumulate, 1);
  for (uint64_t step = 1; step <= o.steps; ++step) {
    std::string at = "step " + std::to_string(step) + ": ";
    float loss = 0;
    try {
      for (uint64_t k = 0; k < microBatches; ++k) {
        uint64_t batch = (step - 1) * microBatches + k;
        for (DataStream &s : streams) {
          const uint8_t *data = s.array.bytes.data() + s.array.dataOffset;
          for (size_t r = 0; r < s.batch; ++r) {
            size_t row = size_t((batch * s.batch + r) % s.rows);
            std::memcpy(s.buffer.data() + r * s.rowBytes,
                        data + row * s.rowBytes, s.rowBytes);
          }
          check(dlcc_session_set_input(session.s, e, s.argument,
                                       s.buffer.data(), s.buffer.size()));
        }
        check(dlcc_session_run(session.s, e));
        float microLoss = 0;
        check(dlcc_session_get_result(session.s, e, *lossIndex, &microLoss,
                                      sizeof(microLoss)));
        loss += microLoss / float(microBatches);
      }
      if (o.accumulate)
        check(dlcc_session_run(session.s, apply));
    } catch (const Error &err) {
      throw Error(at + err.what());
    }
    if (!std::isfinite(loss))
      throw Error(at + "the loss is " + (std::isnan(loss) ? "NaN" : "infinite") +
                  "; stopping" + (o.save.empty() ? "" : " (nothing saved)"));
    char line[64];
    std::snprintf(line, sizeof(line), "step %llu: loss %.6g\n",
                  (unsigned long long)step, double(loss));
    std::cout << line << std::flush;
  }
  if (!o.save.empty())
    writeSafetensorsAtomically(o.save, readState(p, session.s),
                               {{"steps", std::to_string(o.steps)},
                                {"producer", "dlcc-run"}});
  return 0;
}

int run(const Options &o) {
  // Only regular files are read: a FIFO (or /dev/zero, a directory) would
  // block or never end. The loader checks the artifact again itself, as
  // NpzReader does the inputs.
  checkRegularFile(o.model);
  ProgramHandle program;
  check(dlcc_program_load_file(o.model.c_str(), nullptr, &program.p));
  const dlcc_program_t *p = program.p;
  if (o.describe) {
    printDescription(p, o.model);
    return 0;
  }
  if (!o.data.empty())
    return train(o, p);
  size_t e = chooseEntry(p, o.entry);
  EntryInfo entry = describeEntry(p, e);
  std::vector<NpyArray> inputs = readInputs(entry, o.inputs);

  SessionHandle session;
  createSession(p, o, session);
  for (size_t i = 0; i < inputs.size(); ++i)
    if (entry.arguments[i].kind == DLCC_ARGUMENT_INPUT)
      check(dlcc_session_set_input(
          session.s, e, i, inputs[i].bytes.data() + inputs[i].dataOffset,
          inputs[i].dataSize));

  // Untimed runs first (one-time costs such as oneDNN's JIT on the first
  // execution of a primitive stay out of the timing).
  for (uint64_t r = 0; r < o.warmup; ++r)
    check(dlcc_session_run(session.s, e));
  double total = 0, best = std::numeric_limits<double>::infinity();
  for (uint64_t r = 0; r < o.repeat; ++r) {
    auto start = std::chrono::steady_clock::now();
    check(dlcc_session_run(session.s, e));
    std::chrono::duration<double, std::milli> ms =
        std::chrono::steady_clock::now() - start;
    total += ms.count();
    best = std::min(best, ms.count());
  }
  if (o.repeat > 1) {
    char line[256];
    std::snprintf(
        line, sizeof(line),
        "dlcc-run: %s: %llu runs, mean %.3f ms, min %.3f ms per run\n",
        entry.name.c_str(), (unsigned long long)o.repeat,
        total / double(o.repeat), best);
    std::cerr << line;
  }

  std::vector<std::pair<std::string, std::vector<uint8_t>>> outputs;
  for (size_t i = 0; i < entry.results.size(); ++i) {
    const dlcc_argument_descriptor_t &d = entry.results[i];
    if (d.kind != DLCC_ARGUMENT_OUTPUT)
      continue;
    std::vector<uint8_t> data(size_t(d.byte_size));
    check(dlcc_session_get_result(session.s, e, i, data.data(), data.size()));
    outputs.emplace_back(d.name, writeNpy(d.dtype, dimsOf(d.rank, d.dims),
                                          data.data(), data.size()));
  }
  std::vector<std::pair<std::string, std::vector<uint8_t>>> state;
  if (!o.saveState.empty())
    for (const NamedTensor &t : readState(p, session.s))
      state.emplace_back(t.name, writeNpy(t.dtype, t.shape, t.bytes.data(),
                                          t.bytes.size()));
  if (!o.outputs.empty())
    writeNpzAtomically(o.outputs, outputs);
  if (!o.saveState.empty())
    writeNpzAtomically(o.saveState, state);
  if (o.outputs.empty()) {
    // Without --outputs: one line per output, "NAME: DTYPE [DIMS]", every
    // line (the last included) ended by a newline.
    std::string summary;
    for (size_t i = 0; i < entry.results.size(); ++i) {
      const dlcc_argument_descriptor_t &d = entry.results[i];
      if (d.kind == DLCC_ARGUMENT_OUTPUT)
        summary += std::string(d.name) + ": " +
                   typeText(d.dtype, dimsOf(d.rank, d.dims)) + "\n";
    }
    std::cout << summary << std::flush;
    if (!std::cout)
      throw Error("cannot write the results to standard output");
  }
  return 0;
}

/// One line: newlines in messages become spaces.
std::string oneLine(std::string s) {
  for (char &c : s)
    if (c == '\n' || c == '\r')
      c = ' ';
  return s;
}

} // namespace

int main(int argc, char **argv) {
  try {
    Options o;
    if (!parseOptions(argc, argv, o))
      return 0;
    return run(o);
  } catch (const Error &e) {
    std::cerr << "dlcc-run: error: " << oneLine(e.what()) << "\n";
  } catch (const std::bad_alloc &) {
    std::cerr << "dlcc-run: error: out of memory\n";
  } catch (const std::exception &e) {
    std::cerr << "dlcc-run: error: " << oneLine(e.what()) << "\n";
  }
  return 1;
}
