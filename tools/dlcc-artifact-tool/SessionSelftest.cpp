//===- SessionSelftest.cpp - The session C API's argument checks ----------===//
//
//   dlcc-artifact-tool session-selftest FILE
//   dlcc-artifact-tool program-lifetime-selftest FILE [ROUNDS]
//
// FILE is a program written by write-cpu-sample (default options).
//
// session-selftest: every misuse must return its status code (never crash),
// with a message; prints "session-selftest: ok" and exits 0 when all checks
// pass, else one FAIL line per failed check and exit 1.
//
// program-lifetime-selftest: the program's reference counting (a session
// holds a reference; the program goes with the last of handle and
// sessions): releasing the handle before, after and while other threads
// create, run and release sessions of the program; prints
// "program-lifetime-selftest: ok" likewise.
//
//===----------------------------------------------------------------------===//

#include "Commands.h"

#include "dlcc-c/dlcc.h"

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <thread>
#include <vector>

namespace dlcc::tool {

namespace {

struct Checker {
  int failures = 0;
  void expect(bool ok, const char *what) {
    if (!ok) {
      std::cerr << "FAIL: " << what << " (message: " << dlcc_status_message()
                << ")\n";
      ++failures;
    }
  }
  /// `status` is `expected` and the message mentions `phrase`.
  void expectStatus(dlcc_status_t status, dlcc_status_t expected,
                    const char *what, const char *phrase = nullptr) {
    if (status != expected) {
      std::cerr << "FAIL: " << what << ": got " << dlcc_status_string(status)
                << ", expected " << dlcc_status_string(expected)
                << " (message: " << dlcc_status_message() << ")\n";
      ++failures;
    } else if (phrase && !std::strstr(dlcc_status_message(), phrase)) {
      std::cerr << "FAIL: " << what << ": message lacks '" << phrase
                << "': " << dlcc_status_message() << "\n";
      ++failures;
    }
  }
};

constexpr dlcc_status_t OK = DLCC_STATUS_OK;
constexpr dlcc_status_t INVALID = DLCC_STATUS_INVALID_ARGUMENT;
constexpr dlcc_status_t RANGE = DLCC_STATUS_OUT_OF_RANGE;

} // namespace

int sessionSelftest(const std::vector<std::string> &args) {
  if (args.size() != 1) {
    std::cerr << "usage: dlcc-artifact-tool session-selftest FILE\n";
    return 2;
  }
  Checker c;
  dlcc_program_t *p = nullptr;
  if (dlcc_program_load_file(args[0].c_str(), nullptr, &p) != OK) {
    std::cerr << "FAIL: cannot load " << args[0] << ": "
              << dlcc_status_message() << "\n";
    return 1;
  }
  size_t fwd = 0, train = 0, xArg = 0, wSlot = 0, cSlot = 0;
  dlcc_program_find_entry_point(p, "forward", &fwd);
  dlcc_program_find_entry_point(p, "train_step", &train);
  dlcc_program_find_state_slot(p, "w", &wSlot);
  dlcc_program_find_state_slot(p, "c", &cSlot);
  dlcc_argument_descriptor_t x, y;
  dlcc_program_entry_point_argument(p, fwd, xArg, &x);
  dlcc_program_entry_point_result(p, fwd, 0, &y);
  std::vector<unsigned char> xData(size_t(x.byte_size), 0),
      yData(size_t(y.byte_size), 0);

  // Options.
  dlcc_session_options_t o;
  dlcc_session_t *s = nullptr;
  c.expectStatus(dlcc_session_options_initialize(nullptr), INVALID,
                 "options_initialize(NULL)");
  c.expectStatus(dlcc_session_options_initialize(&o), OK, "options_initialize");
  c.expect(o.device == DLCC_DEVICE_AUTO && o.cpu_threads == 0 &&
               o.cuda_device == 0 && o.flags == 0,
           "option defaults");
  c.expectStatus(dlcc_session_create(nullptr, &o, &s), INVALID,
                 "create(NULL program)");
  c.expectStatus(dlcc_session_create(p, &o, nullptr), INVALID,
                 "create(NULL out)");
  o.device = static_cast<dlcc_device_kind_t>(7);
  c.expectStatus(dlcc_session_create(p, &o, &s), INVALID, "create(device 7)",
                 "device is 7");
  dlcc_session_options_initialize(&o);
  o.flags = 4;
  c.expectStatus(dlcc_session_create(p, &o, &s), INVALID, "create(flags)");
  dlcc_session_options_initialize(&o);
  o.cuda_device = -1;
  c.expectStatus(dlcc_session_create(p, &o, &s), INVALID,
                 "create(cuda_device -1)");
  dlcc_session_options_initialize(&o);
  o.cpu_threads = 5000;
  c.expectStatus(dlcc_session_create(p, &o, &s), INVALID,
                 "create(5000 threads)", "cpu_threads is 5000");
  dlcc_session_options_initialize(&o);
  o.device = DLCC_DEVICE_CUDA;
  c.expectStatus(dlcc_session_create(p, &o, &s), DLCC_STATUS_UNSUPPORTED,
                 "create(CUDA)", "CUDA backend not available");
  c.expect(s == nullptr, "a failed create leaves *out_session alone");

  // A session on the CPU (AUTO).
  dlcc_session_options_initialize(&o);
  o.cpu_threads = 3;
  c.expectStatus(dlcc_session_create(p, &o, &s), OK, "create(AUTO)");
  if (!s) {
    std::cerr << "FAIL: no session; stopping\n";
    return 1;
  }
  dlcc_device_kind_t device = DLCC_DEVICE_AUTO;
  uint32_t threads = 0;
  c.expectStatus(dlcc_session_device(s, &device), OK, "session_device");
  c.expect(device == DLCC_DEVICE_CPU, "AUTO picks the CPU");
  c.expectStatus(dlcc_session_device(nullptr, &device), INVALID,
                 "session_device(NULL)");
  c.expectStatus(dlcc_session_device(s, nullptr), INVALID,
                 "session_device(NULL out)");
  c.expectStatus(dlcc_session_cpu_threads(s, &threads), OK, "cpu_threads");
  c.expect(threads == 3, "cpu_threads == 3");
  const char *name = nullptr;
  c.expect(dlcc_device_kind_name(DLCC_DEVICE_CUDA, &name) == OK &&
               std::strcmp(name, "cuda") == 0,
           "device_kind_name(CUDA)");
  c.expectStatus(
      dlcc_device_kind_name(static_cast<dlcc_device_kind_t>(9), &name), INVALID,
      "device_kind_name(9)");

  // set_input
  c.expectStatus(
      dlcc_session_set_input(nullptr, fwd, 0, xData.data(), xData.size()),
      INVALID, "set_input(NULL session)");
  c.expectStatus(dlcc_session_set_input(s, 99, 0, xData.data(), xData.size()),
                 RANGE, "set_input(entry point 99)");
  c.expectStatus(dlcc_session_set_input(s, fwd, 3, xData.data(), xData.size()),
                 RANGE, "set_input(argument 3)");
  c.expectStatus(dlcc_session_set_input(s, fwd, 1, xData.data(), xData.size()),
                 INVALID, "set_input(state argument)", "write_state");
  c.expectStatus(
      dlcc_session_set_input(s, fwd, 0, xData.data(), xData.size() - 4),
      INVALID, "set_input(wrong size)", "bytes");
  c.expectStatus(dlcc_session_set_input(s, fwd, 0, nullptr, xData.size()),
                 INVALID, "set_input(NULL data)");

  // run / get_result before inputs
  c.expectStatus(dlcc_session_run(nullptr, fwd), INVALID, "run(NULL)");
  c.expectStatus(dlcc_session_run(s, 99), RANGE, "run(entry point 99)");
  c.expectStatus(dlcc_session_run(s, fwd), INVALID, "run before set_input",
                 "\"x\") was never set");
  c.expectStatus(dlcc_session_get_result(s, fwd, 0, yData.data(), yData.size()),
                 INVALID, "get_result before a run", "has not run");

  // A real run, then result misuse.
  c.expectStatus(dlcc_session_set_input(s, fwd, 0, xData.data(), xData.size()),
                 OK, "set_input");
  c.expectStatus(dlcc_session_run(s, fwd), OK, "run");
  c.expectStatus(dlcc_session_get_result(s, fwd, 0, yData.data(), yData.size()),
                 OK, "get_result");
  c.expectStatus(dlcc_session_get_result(s, fwd, 3, yData.data(), yData.size()),
                 RANGE, "get_result(result 3)");
  c.expectStatus(
      dlcc_session_get_result(s, fwd, 0, yData.data(), yData.size() + 1),
      INVALID, "get_result(wrong size)");
  c.expectStatus(dlcc_session_get_result(s, fwd, 0, nullptr, yData.size()),
                 INVALID, "get_result(NULL dst)");
  c.expectStatus(
      dlcc_session_get_result(nullptr, fwd, 0, yData.data(), yData.size()),
      INVALID, "get_result(NULL session)");
  c.expectStatus(
      dlcc_session_get_result(s, train, 0, yData.data(), yData.size()), INVALID,
      "get_result of an entry point that did not run");

  // State.
  std::vector<unsigned char> w(size_t(x.byte_size));
  c.expectStatus(dlcc_session_read_state(s, 99, w.data(), w.size()), RANGE,
                 "read_state(slot 99)");
  c.expectStatus(dlcc_session_read_state(s, wSlot, w.data(), w.size() - 1),
                 INVALID, "read_state(wrong size)");
  c.expectStatus(dlcc_session_read_state(s, wSlot, nullptr, w.size()), INVALID,
                 "read_state(NULL dst)");
  c.expectStatus(dlcc_session_read_state(s, wSlot, w.data(), w.size()), OK,
                 "read_state");
  c.expectStatus(dlcc_session_write_state(s, wSlot, w.data(), w.size() + 8),
                 INVALID, "write_state(wrong size)");
  c.expectStatus(dlcc_session_write_state(s, cSlot, w.data(), w.size()),
                 INVALID, "write_state(constant)", "constant");
  c.expectStatus(dlcc_session_write_state(nullptr, wSlot, w.data(), w.size()),
                 INVALID, "write_state(NULL session)");
  c.expectStatus(dlcc_session_write_state(s, wSlot, w.data(), w.size()), OK,
                 "write_state");
  c.expectStatus(dlcc_session_reset_state(nullptr), INVALID,
                 "reset_state(NULL)");
  c.expectStatus(dlcc_session_reset_state(s), OK, "reset_state");

  // A successful call leaves the last message alone.
  dlcc_session_run(s, 99);
  std::string before = dlcc_status_message();
  dlcc_session_run(s, fwd);
  c.expect(before == dlcc_status_message(), "success keeps the message");

  // Sessions on other threads, concurrently, with their own thread pools:
  // every one gets the same bits as this one.
  std::vector<std::thread> workers;
  std::vector<int> agree(4, 0);
  for (int t = 0; t < 4; ++t)
    workers.emplace_back([&, t] {
      dlcc_session_options_t to;
      dlcc_session_options_initialize(&to);
      to.cpu_threads = uint32_t(t + 1);
      dlcc_session_t *ts = nullptr;
      if (dlcc_session_create(p, &to, &ts) != OK)
        return;
      std::vector<unsigned char> out(yData.size());
      bool same = true;
      for (int i = 0; i < 20 && same; ++i)
        same =
            dlcc_session_set_input(ts, fwd, 0, xData.data(), xData.size()) ==
                OK &&
            dlcc_session_run(ts, fwd) == OK &&
            dlcc_session_get_result(ts, fwd, 0, out.data(), out.size()) == OK &&
            out == yData;
      agree[size_t(t)] = same;
      dlcc_session_release(ts);
    });
  for (std::thread &t : workers)
    t.join();
  for (int v : agree)
    c.expect(v == 1, "concurrent sessions agree");

  c.expectStatus(dlcc_session_release(nullptr), OK, "session_release(NULL)");
  c.expectStatus(dlcc_session_release(s), OK, "session_release");
  c.expectStatus(dlcc_program_release(p), OK,
                 "program_release after its sessions");
  if (c.failures == 0)
    std::cout << "session-selftest: ok\n";
  return c.failures ? 1 : 0;
}

namespace {

/// What program-lifetime-selftest runs "forward" with: x and the y it gives.
struct Forward {
  size_t entry = 0;
  std::vector<unsigned char> x, y;
};

/// Sets x, runs forward and compares y; false on any failure.
bool runForward(dlcc_session_t *s, const Forward &f) {
  std::vector<unsigned char> out(f.y.size());
  return dlcc_session_set_input(s, f.entry, 0, f.x.data(), f.x.size()) == OK &&
         dlcc_session_run(s, f.entry) == OK &&
         dlcc_session_get_result(s, f.entry, 0, out.data(), out.size()) ==
             OK &&
         out == f.y;
}

dlcc_session_t *createSession(const dlcc_program_t *p, uint32_t threads) {
  dlcc_session_options_t o;
  dlcc_session_options_initialize(&o);
  o.device = DLCC_DEVICE_CPU;
  o.cpu_threads = threads;
  dlcc_session_t *s = nullptr;
  return dlcc_session_create(p, &o, &s) == OK ? s : nullptr;
}

} // namespace

int programLifetimeSelftest(const std::vector<std::string> &args) {
  if (args.empty() || args.size() > 2) {
    std::cerr << "usage: dlcc-artifact-tool program-lifetime-selftest FILE "
                 "[ROUNDS]\n";
    return 2;
  }
  const char *path = args[0].c_str();
  int rounds = args.size() == 2 ? std::atoi(args[1].c_str()) : 10;
  Checker c;
  auto load = [&]() -> dlcc_program_t * {
    dlcc_program_t *p = nullptr;
    if (dlcc_program_load_file(path, nullptr, &p) != OK) {
      std::cerr << "FAIL: cannot load " << path << ": "
                << dlcc_status_message() << "\n";
      return nullptr;
    }
    return p;
  };

  // The expected output, from a session released before its program.
  Forward f;
  {
    dlcc_program_t *p = load();
    if (!p)
      return 1;
    dlcc_argument_descriptor_t x, y;
    dlcc_program_find_entry_point(p, "forward", &f.entry);
    dlcc_program_entry_point_argument(p, f.entry, 0, &x);
    dlcc_program_entry_point_result(p, f.entry, 0, &y);
    f.x.resize(size_t(x.byte_size));
    for (size_t i = 0; i < f.x.size(); ++i)
      f.x[i] = (unsigned char)(i * 7 % 61); // small finite floats
    f.y.resize(size_t(y.byte_size));
    dlcc_session_t *s = createSession(p, 1);
    c.expect(s != nullptr, "create a session");
    if (!s)
      return 1;
    c.expect(dlcc_session_set_input(s, f.entry, 0, f.x.data(), f.x.size()) ==
                     OK &&
                 dlcc_session_run(s, f.entry) == OK &&
                 dlcc_session_get_result(s, f.entry, 0, f.y.data(),
                                         f.y.size()) == OK,
             "run forward");
    c.expectStatus(dlcc_session_release(s), OK, "session_release");
    c.expectStatus(dlcc_program_release(p), OK,
                   "program_release after its sessions");
  }

  // The handle released first: the sessions keep the program (its tables,
  // the constant slot bound to its initial data) until the last one goes.
  {
    dlcc_program_t *p = load();
    if (!p)
      return 1;
    dlcc_session_t *a = createSession(p, 1), *b = createSession(p, 2);
    c.expect(a && b, "create two sessions");
    if (!a || !b)
      return 1;
    c.expectStatus(dlcc_program_release(p), OK,
                   "program_release with live sessions");
    c.expectStatus(dlcc_program_release(p), INVALID,
                   "a second program_release of the handle",
                   "already released");
    c.expect(runForward(a, f), "a session runs after the handle's release");
    // A session holds a reference: more sessions may be created from the
    // program while one is alive.
    dlcc_session_t *more = createSession(p, 3);
    c.expect(more && runForward(more, f),
             "a session created after the handle's release runs");
    dlcc_session_release(more);
    c.expectStatus(dlcc_session_release(a), OK, "release a session");
    c.expect(runForward(b, f), "the last session still runs");
    c.expectStatus(dlcc_session_release(b), OK,
                   "release the last session (destroys the program)");
  }

  // The race: threads create, run and release sessions while the main
  // thread releases the handle (and an anchor session). Each worker always
  // holds a session while it creates the next, so it may use the program
  // pointer; whichever release comes last destroys the program, on
  // whichever thread.
  constexpr int kWorkers = 4, kSessionsPerWorker = 12;
  for (int round = 0; round < rounds; ++round) {
    dlcc_program_t *p = load();
    if (!p)
      return 1;
    dlcc_session_t *anchor = createSession(p, 1);
    c.expect(anchor != nullptr, "create the anchor session");
    std::atomic<int> ready{0};
    std::atomic<bool> go{false};
    std::vector<int> ok(kWorkers, 0);
    std::vector<std::thread> workers;
    for (int t = 0; t < kWorkers; ++t)
      workers.emplace_back([&, t] {
        uint32_t threads = uint32_t(1 + (t + round) % 3);
        dlcc_session_t *held = createSession(p, threads);
        ready.fetch_add(1);
        if (!held)
          return;
        while (!go.load())
          std::this_thread::yield();
        bool good = true;
        for (int i = 0; i < kSessionsPerWorker; ++i) {
          dlcc_session_t *next = createSession(p, threads);
          good &= next != nullptr;
          if (next && i % 4 == t % 4)
            good &= runForward(next, f);
          dlcc_session_release(held);
          held = next;
          if (!held)
            break;
        }
        good &= held && runForward(held, f);
        dlcc_session_release(held); // perhaps the program's last reference
        ok[size_t(t)] = good;
      });
    while (ready.load() < kWorkers)
      std::this_thread::yield();
    go.store(true);
    c.expectStatus(dlcc_program_release(p), OK,
                   "program_release while sessions are being created");
    c.expectStatus(dlcc_session_release(anchor), OK,
                   "release the anchor session");
    for (std::thread &t : workers)
      t.join();
    for (int v : ok)
      c.expect(v == 1, "sessions created while the handle is released run");
  }

  if (c.failures == 0)
    std::cout << "program-lifetime-selftest: ok\n";
  return c.failures ? 1 : 0;
}

} // namespace dlcc::tool
