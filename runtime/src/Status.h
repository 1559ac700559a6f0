//===- Status.h - Status codes and the thread-local message -----*- C++ -*-===//
//
// Every C API function body runs inside apiCall(), which turns C++
// exceptions into status codes so that none escapes the C API, and setError()
// stores the thread-local message that dlcc_status_message() returns.
//
//===----------------------------------------------------------------------===//
#ifndef DLCC_RUNTIME_STATUS_H
#define DLCC_RUNTIME_STATUS_H

#include "dlcc-c/dlcc.h"

#include <exception>
#include <new>
#include <string>

namespace dlcc::runtime {

/// Stores `message` as this thread's last error and returns `status`.
dlcc_status_t setError(dlcc_status_t status, std::string message);
/// Same for a literal; never throws (the message is kept if copying fails).
dlcc_status_t setError(dlcc_status_t status, const char *message) noexcept;

/// Runs `body` (returning dlcc_status_t); exceptions become statuses.
template <typename Body>
dlcc_status_t apiCall(const char *function, Body &&body) noexcept {
  try {
    return body();
  } catch (const std::bad_alloc &) {
    return setError(DLCC_STATUS_OUT_OF_MEMORY,
                    std::string(function) + ": out of memory");
  } catch (const std::exception &e) {
    return setError(DLCC_STATUS_INTERNAL,
                    std::string(function) + ": internal error: " + e.what());
  } catch (...) {
    return setError(DLCC_STATUS_INTERNAL,
                    std::string(function) + ": internal error");
  }
}

} // namespace dlcc::runtime

#endif // DLCC_RUNTIME_STATUS_H
