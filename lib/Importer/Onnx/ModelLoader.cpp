//===- ModelLoader.cpp - ONNX model loading and validation ----------------===//
//
// Reads an ONNX file, parses it with protobuf, validates everything the
// importer relies on and sorts the nodes topologically. Each failure produces
// one human-readable message naming the offending node / value / tensor /
// file.
//
// Compiled with exceptions and RTTI; nothing here lets an exception escape.
//
//===----------------------------------------------------------------------===//

#include "dlcc/Importer/Onnx/ModelLoader.h"

#include <cerrno>
#include <climits>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <new>
#include <queue>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

namespace dlcc::onnx_import {

// Defined in TensorData.cpp.
namespace detail {
std::string quote(const std::string &s);
std::string dataTypeName(int32_t dataType);
bool validateTensor(const onnx::TensorProto &t, const LoadedModel &m,
                    const std::string &label, std::string &error);
} // namespace detail

namespace {

using detail::quote;

/// Protobuf cannot parse messages of 2 GiB or more.
constexpr int64_t kMaxProtobufBytes = INT_MAX;

std::string unquoted(const std::string &s) {
  std::string q = quote(s);
  return q.substr(1, q.size() - 2);
}

std::string describeNode(const onnx::NodeProto &node, int index) {
  std::string op = node.op_type().empty() ? std::string("<no op_type>")
                                          : unquoted(node.op_type());
  if (!node.name().empty())
    return "node " + quote(node.name()) + " (" + op + ")";
  std::string s = "node #" + std::to_string(index) + " (" + op;
  for (const std::string &o : node.output())
    if (!o.empty()) {
      s += ", output " + quote(o);
      break;
    }
  return s + ")";
}

std::string normaliseDomain(const std::string &d) {
  return d == "ai.onnx" ? std::string() : d;
}

std::string describeDomain(const std::string &d) {
  return d.empty() ? std::string("the default ONNX domain ('')")
                   : "domain " + quote(d);
}

//===----------------------------------------------------------------------===//
// Reading the file
//===----------------------------------------------------------------------===//

class FdCloser {
public:
  explicit FdCloser(int fd) : fd(fd) {}
  ~FdCloser() {
    if (fd >= 0)
      ::close(fd);
  }
  FdCloser(const FdCloser &) = delete;
  FdCloser &operator=(const FdCloser &) = delete;
  int fd;
};

std::string tooLargeMessage(const std::string &qpath, int64_t size) {
  return "model file " + qpath + " is " + std::to_string(size) +
         " bytes, over protobuf's 2 GB limit; a model this large must store "
         "its weights as external data";
}

bool readModelFile(const std::string &path, std::string &buf,
                   std::string &error) {
  const std::string qpath = quote(path);
  auto cannotOpen = [&](int err) {
    error = "cannot open model file " + qpath + ": " + std::strerror(err);
    return false;
  };
  if (path.empty() || path.find('\0') != std::string::npos)
    return cannotOpen(ENOENT);

  struct stat st;
  if (::stat(path.c_str(), &st) != 0)
    return cannotOpen(errno);
  if (S_ISDIR(st.st_mode))
    return cannotOpen(EISDIR);
  if (!S_ISREG(st.st_mode)) {
    error = "cannot open model file " + qpath + ": not a regular file";
    return false;
  }
  if (static_cast<int64_t>(st.st_size) > kMaxProtobufBytes) {
    error = tooLargeMessage(qpath, static_cast<int64_t>(st.st_size));
    return false;
  }

  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0)
    return cannotOpen(errno);
  FdCloser closer(fd);
  struct stat fst;
  if (::fstat(fd, &fst) != 0)
    return cannotOpen(errno);
  if (S_ISDIR(fst.st_mode))
    return cannotOpen(EISDIR);
  if (!S_ISREG(fst.st_mode)) {
    error = "cannot open model file " + qpath + ": not a regular file";
    return false;
  }
  if (static_cast<int64_t>(fst.st_size) > kMaxProtobufBytes) {
    error = tooLargeMessage(qpath, static_cast<int64_t>(fst.st_size));
    return false;
  }

  buf.clear();
  buf.reserve(static_cast<size_t>(fst.st_size));
  char chunk[1 << 16];
  while (true) {
    ssize_t r = ::read(fd, chunk, sizeof(chunk));
    if (r < 0) {
      if (errno == EINTR)
        continue;
      int e = errno;
      error = "cannot read model file " + qpath + ": " + std::strerror(e);
      return false;
    }
    if (r == 0)
      break;
    if (static_cast<int64_t>(buf.size()) + r > kMaxProtobufBytes) {
      error = tooLargeMessage(qpath, static_cast<int64_t>(buf.size()) + r);
      return false;
    }
    buf.append(chunk, static_cast<size_t>(r));
  }
  if (buf.empty()) {
    error = "model file " + qpath + " is empty";
    return false;
  }
  return true;
}

bool canonicalDirectory(const std::string &path, std::string &dir,
                        std::string &error) {
  char *resolved = ::realpath(path.c_str(), nullptr);
  if (!resolved) {
    int e = errno;
    error = "cannot open model file " + quote(path) + ": " + std::strerror(e);
    return false;
  }
  std::string canon(resolved);
  std::free(resolved);
  size_t slash = canon.rfind('/');
  if (slash == std::string::npos) {
    error = "cannot determine the directory of model file " + quote(path);
    return false;
  }
  dir = slash == 0 ? std::string("/") : canon.substr(0, slash);
  return true;
}

//===----------------------------------------------------------------------===//
// Validation
//===----------------------------------------------------------------------===//

/// Checks a graph input / output / value_info type: tensors only, supported
/// element type, non-negative static dims.
bool checkValueInfo(const onnx::ValueInfoProto &vi, const std::string &what,
                    bool typeRequired, std::string &error) {
  const std::string desc = what + " " + quote(vi.name());
  if (!vi.has_type() ||
      vi.type().value_case() == onnx::TypeProto::VALUE_NOT_SET) {
    if (typeRequired) {
      error = desc + " has no type";
      return false;
    }
    return true;
  }
  const onnx::TypeProto &type = vi.type();
  const char *kind = nullptr;
  switch (type.value_case()) {
  case onnx::TypeProto::kTensorType:
    break;
  case onnx::TypeProto::kSequenceType:
    kind = "a sequence type";
    break;
  case onnx::TypeProto::kMapType:
    kind = "a map type";
    break;
  case onnx::TypeProto::kOptionalType:
    kind = "an optional type";
    break;
  case onnx::TypeProto::kSparseTensorType:
    kind = "a sparse tensor type";
    break;
  default:
    kind = "a non-tensor type";
    break;
  }
  if (kind) {
    error = desc + " has " + kind + "; only tensors are supported";
    return false;
  }
  const onnx::TypeProto_Tensor &tt = type.tensor_type();
  if (!tt.has_elem_type() || tt.elem_type() == 0) {
    if (typeRequired) {
      error = desc + " has no element type";
      return false;
    }
  } else if (elementByteSize(tt.elem_type()) == 0) {
    error = desc + " has unsupported element type " +
            detail::dataTypeName(tt.elem_type());
    return false;
  }
  if (tt.has_shape()) {
    const onnx::TensorShapeProto &shape = tt.shape();
    for (int i = 0; i < shape.dim_size(); ++i) {
      const auto &d = shape.dim(i);
      if (d.has_dim_value() && d.dim_value() < 0) {
        error = desc + " has negative dimension " +
                std::to_string(d.dim_value()) + " at axis " +
                std::to_string(i);
        return false;
      }
    }
  }
  return true;
}

bool checkOpsets(LoadedModel &out, const std::string &qpath,
                 std::string &error) {
  const onnx::ModelProto &model = out.model;
  for (const auto &op : model.opset_import()) {
    std::string domain = normaliseDomain(op.domain());
    if (!op.has_version() || op.version() <= 0) {
      error = "model " + qpath + " imports " + describeDomain(domain) +
              " with invalid opset version " +
              std::to_string(op.has_version() ? op.version() : 0);
      return false;
    }
    if (!out.opsets.emplace(domain, op.version()).second) {
      error = "model " + qpath + " lists " + describeDomain(domain) +
              " more than once in opset_import";
      return false;
    }
  }
  if (model.opset_import_size() == 0) {
    if (model.ir_version() < 3) {
      out.opsets[""] = 1; // like onnx: pre-IR-3 models implicitly use opset 1
    } else {
      error = "model " + qpath +
              " has no opset_import (the file is truncated or not a valid "
              "ONNX model)";
      return false;
    }
  }
  return true;
}

bool checkNode(const onnx::NodeProto &node, int index, LoadedModel &out,
               std::string &error) {
  const std::string desc = describeNode(node, index);
  if (node.op_type().empty()) {
    error = desc + " has no op_type";
    return false;
  }
  const std::string domain = normaliseDomain(node.domain());
  if (!domain.empty() && domain != "ai.onnx.preview.training") {
    error = desc + " uses domain " + quote(domain) +
            ", which dlcc does not support";
    return false;
  }
  if (!out.opsets.count(domain)) {
    error = desc + " uses " + describeDomain(domain) +
            ", but the model's opset_import does not import it";
    return false;
  }

  std::unordered_set<std::string> attrNames;
  for (const onnx::AttributeProto &a : node.attribute()) {
    const std::string qa = quote(a.name());
    if (a.name().empty()) {
      error = desc + " has an attribute with no name";
      return false;
    }
    if (!attrNames.insert(a.name()).second) {
      error = desc + " has attribute " + qa + " more than once";
      return false;
    }
    if (!a.ref_attr_name().empty()) {
      error = desc + " attribute " + qa + " refers to function attribute " +
              quote(a.ref_attr_name()) + " outside of a function";
      return false;
    }
    if (a.type() == onnx::AttributeProto_AttributeType_GRAPH ||
        a.type() == onnx::AttributeProto_AttributeType_GRAPHS || a.has_g() ||
        a.graphs_size() > 0) {
      error = desc + " has a subgraph attribute " + qa +
              "; control flow is not supported";
      return false;
    }
    if (a.type() == onnx::AttributeProto_AttributeType_SPARSE_TENSOR ||
        a.type() == onnx::AttributeProto_AttributeType_SPARSE_TENSORS ||
        a.has_sparse_tensor() || a.sparse_tensors_size() > 0) {
      error = desc + " attribute " + qa +
              " is a sparse tensor; sparse tensors are not supported";
      return false;
    }
    const std::string label = "attribute " + qa + " of " + desc;
    if (a.type() == onnx::AttributeProto_AttributeType_TENSOR || a.has_t()) {
      if (!a.has_t()) {
        error = label + " is of type TENSOR but holds no tensor";
        return false;
      }
      if (!detail::validateTensor(a.t(), out, label, error))
        return false;
    }
    for (int k = 0; k < a.tensors_size(); ++k)
      if (!detail::validateTensor(a.tensors(k), out,
                                  "tensor #" + std::to_string(k) + " of " +
                                      label,
                                  error))
        return false;
  }
  return true;
}

enum class DefKind { Input, Initializer, Node };
struct Def {
  DefKind kind;
  int index; // node index for DefKind::Node
};

std::string describeDef(const Def &d, const std::string &name,
                        const onnx::GraphProto &g) {
  switch (d.kind) {
  case DefKind::Input:
    return "graph input " + quote(name);
  case DefKind::Initializer:
    return "initializer " + quote(name);
  case DefKind::Node:
    return describeNode(g.node(d.index), d.index);
  }
  return quote(name);
}

/// Kahn's algorithm; among ready nodes the lowest original index goes first.
bool sortNodes(LoadedModel &out,
               const std::unordered_map<std::string, Def> &defs,
               std::string &error) {
  const onnx::GraphProto &g = out.model.graph();
  const int n = g.node_size();
  std::vector<std::vector<int>> users(static_cast<size_t>(n));
  std::vector<int64_t> pending(static_cast<size_t>(n), 0);
  for (int i = 0; i < n; ++i) {
    for (const std::string &in : g.node(i).input()) {
      if (in.empty())
        continue;
      auto it = defs.find(in);
      if (it == defs.end() || it->second.kind != DefKind::Node)
        continue;
      users[static_cast<size_t>(it->second.index)].push_back(i);
      ++pending[static_cast<size_t>(i)];
    }
  }
  std::priority_queue<int, std::vector<int>, std::greater<int>> ready;
  for (int i = 0; i < n; ++i)
    if (pending[static_cast<size_t>(i)] == 0)
      ready.push(i);
  out.sortedNodes.clear();
  out.sortedNodes.reserve(static_cast<size_t>(n));
  std::vector<char> done(static_cast<size_t>(n), 0);
  while (!ready.empty()) {
    int i = ready.top();
    ready.pop();
    done[static_cast<size_t>(i)] = 1;
    out.sortedNodes.push_back(&g.node(i));
    for (int u : users[static_cast<size_t>(i)])
      if (--pending[static_cast<size_t>(u)] == 0)
        ready.push(u);
  }
  if (static_cast<int>(out.sortedNodes.size()) == n)
    return true;

  // Every node left has at least one input produced by another node left.
  // Walk backwards along such inputs until a node repeats: it is on a cycle.
  auto pendingProducer = [&](int i) {
    for (const std::string &in : g.node(i).input()) {
      if (in.empty())
        continue;
      auto it = defs.find(in);
      if (it != defs.end() && it->second.kind == DefKind::Node &&
          !done[static_cast<size_t>(it->second.index)])
        return it->second.index;
    }
    return -1;
  };
  int start = -1;
  for (int i = 0; i < n && start < 0; ++i)
    if (!done[static_cast<size_t>(i)])
      start = i;
  std::vector<int> seenAt(static_cast<size_t>(n), -1);
  std::vector<int> path;
  int cur = start;
  while (cur >= 0 && seenAt[static_cast<size_t>(cur)] < 0) {
    seenAt[static_cast<size_t>(cur)] = static_cast<int>(path.size());
    path.push_back(cur);
    cur = pendingProducer(cur);
  }
  if (cur < 0) { // cannot happen; report the first unsorted node
    error = "graph contains a cycle involving " +
            describeNode(g.node(start), start);
    return false;
  }
  // path[seenAt[cur]..] is the cycle, walked consumer -> producer; print it
  // in data-flow order (producer -> consumer).
  std::vector<int> cycle(path.begin() + seenAt[static_cast<size_t>(cur)],
                         path.end());
  std::string s;
  constexpr size_t kMaxShown = 8;
  size_t shown = 0;
  for (auto it = cycle.rbegin(); it != cycle.rend(); ++it) {
    if (shown == kMaxShown) {
      s += " -> ... (" + std::to_string(cycle.size() - kMaxShown) +
           " more nodes)";
      break;
    }
    s += (shown ? " -> " : "") + describeNode(g.node(*it), *it);
    ++shown;
  }
  s += " -> " + describeNode(g.node(cycle.back()), cycle.back());
  error = "graph contains a cycle: " + s;
  return false;
}

bool checkGraph(LoadedModel &out, std::string &error) {
  const onnx::GraphProto &g = out.model.graph();

  if (g.sparse_initializer_size() > 0) {
    const auto &sp = g.sparse_initializer(0);
    std::string name = sp.values().name();
    error = "graph has a sparse initializer" +
            (name.empty() ? std::string() : " " + quote(name)) +
            "; sparse tensors are not supported";
    return false;
  }

  std::unordered_set<std::string> initNames;
  for (int i = 0; i < g.initializer_size(); ++i)
    initNames.insert(g.initializer(i).name());

  // Types of graph inputs / outputs / value_info.
  for (int i = 0; i < g.input_size(); ++i) {
    const auto &vi = g.input(i);
    if (vi.name().empty()) {
      error = "graph input #" + std::to_string(i) + " has no name";
      return false;
    }
    if (!checkValueInfo(vi, "graph input", !initNames.count(vi.name()), error))
      return false;
  }
  if (g.output_size() == 0) {
    error = "graph has no outputs";
    return false;
  }
  for (int i = 0; i < g.output_size(); ++i) {
    const auto &vi = g.output(i);
    if (vi.name().empty()) {
      error = "graph output #" + std::to_string(i) + " has no name";
      return false;
    }
    if (!checkValueInfo(vi, "graph output", false, error))
      return false;
  }
  for (const auto &vi : g.value_info())
    if (!checkValueInfo(vi, "value_info entry", false, error))
      return false;

  // Nodes: op type, domain, attributes (subgraphs, tensors).
  for (int i = 0; i < g.node_size(); ++i)
    if (!checkNode(g.node(i), i, out, error))
      return false;

  // Initializers: names and payloads.
  for (int i = 0; i < g.initializer_size(); ++i) {
    const onnx::TensorProto &t = g.initializer(i);
    if (t.name().empty()) {
      error = "initializer #" + std::to_string(i) + " has no name";
      return false;
    }
    if (!detail::validateTensor(t, out, "tensor " + quote(t.name()), error))
      return false;
  }

  // Producers: exactly one definition per value.
  std::unordered_map<std::string, Def> defs;
  defs.reserve(static_cast<size_t>(g.initializer_size() + g.input_size() +
                                   g.node_size()));
  for (int i = 0; i < g.initializer_size(); ++i) {
    const std::string &name = g.initializer(i).name();
    if (!defs.emplace(name, Def{DefKind::Initializer, i}).second) {
      error = "initializer " + quote(name) + " is defined more than once";
      return false;
    }
  }
  for (int i = 0; i < g.input_size(); ++i) {
    const std::string &name = g.input(i).name();
    auto it = defs.find(name);
    if (it == defs.end()) {
      defs.emplace(name, Def{DefKind::Input, i});
      continue;
    }
    if (it->second.kind == DefKind::Initializer)
      continue; // an initializer listed as an input: the initializer wins
    error = "graph input " + quote(name) + " is listed more than once";
    return false;
  }
  for (int i = 0; i < g.node_size(); ++i) {
    const onnx::NodeProto &node = g.node(i);
    for (const std::string &o : node.output()) {
      if (o.empty())
        continue; // omitted optional output
      auto it = defs.find(o);
      if (it == defs.end()) {
        defs.emplace(o, Def{DefKind::Node, i});
        continue;
      }
      const Def &d = it->second;
      if (d.kind == DefKind::Node && d.index == i)
        error = describeNode(node, i) + " lists output " + quote(o) +
                " more than once";
      else if (d.kind == DefKind::Node)
        error = "value " + quote(o) + " is produced by both " +
                describeDef(d, o, g) + " and " + describeNode(node, i);
      else
        error = describeNode(node, i) + " output " + quote(o) +
                " redefines " + describeDef(d, o, g);
      return false;
    }
  }

  // Uses: every node input and graph output is defined.
  for (int i = 0; i < g.node_size(); ++i) {
    const onnx::NodeProto &node = g.node(i);
    for (const std::string &in : node.input()) {
      if (in.empty() || defs.count(in))
        continue;
      error = describeNode(node, i) + " input " + quote(in) +
              " is not defined (it is not a graph input, an initializer or a "
              "node output)";
      return false;
    }
  }
  for (const auto &vi : g.output()) {
    if (defs.count(vi.name()))
      continue;
    error = "graph output " + quote(vi.name()) +
            " is not defined (it is not produced by any node and is not a "
            "graph input or initializer)";
    return false;
  }

  return sortNodes(out, defs, error);
}

bool loadModelImpl(const std::string &path, LoadedModel &out,
                   std::string &error) {
  out.model.Clear();
  out.path = path;
  out.directory.clear();
  out.sortedNodes.clear();
  out.opsets.clear();
  const std::string qpath = quote(path);

  {
    std::string buf;
    if (!readModelFile(path, buf, error))
      return false;
    if (!canonicalDirectory(path, out.directory, error))
      return false;
    if (!out.model.ParseFromArray(buf.data(), static_cast<int>(buf.size()))) {
      error = qpath + " is not a valid ONNX model (protobuf parse failed; the "
                      "file is truncated or corrupt)";
      return false;
    }
  }

  const onnx::ModelProto &model = out.model;
  if (!model.has_ir_version() || model.ir_version() <= 0) {
    error = "model " + qpath +
            " has no valid ir_version (the file is truncated or not a valid "
            "ONNX model)";
    return false;
  }
  if (!model.has_graph()) {
    error = "model " + qpath +
            " has no graph (the file is truncated or not a valid ONNX model)";
    return false;
  }
  if (!checkOpsets(out, qpath, error))
    return false;
  if (model.functions_size() > 0) {
    const auto &f = model.functions(0);
    std::string fname = f.domain().empty() ? f.name()
                                           : f.domain() + "::" + f.name();
    error = "model " + qpath + " defines " +
            std::to_string(model.functions_size()) +
            " model-local function(s) (e.g. " + quote(fname) +
            "); model-local functions are not supported";
    return false;
  }
  return checkGraph(out, error);
}

} // namespace

bool loadModel(const std::string &path, LoadedModel &out, std::string &error) {
  try {
    if (loadModelImpl(path, out, error))
      return true;
  } catch (const std::bad_alloc &) {
    error = "out of memory while loading model " + quote(path);
  } catch (const std::exception &e) {
    error = "internal error while loading model " + quote(path) + ": " +
            e.what();
  } catch (...) {
    error = "internal error while loading model " + quote(path);
  }
  out.sortedNodes.clear();
  if (error.empty())
    error = "cannot load model " + quote(path);
  return false;
}

} // namespace dlcc::onnx_import
