//===- Status.cpp - Status codes and the thread-local message -------------===//

#include "Status.h"

namespace dlcc::runtime {

namespace {
thread_local std::string lastMessage;
} // namespace

dlcc_status_t setError(dlcc_status_t status, std::string message) {
  try {
    lastMessage = std::move(message);
  } catch (...) {
    // Keep the status; the message stays as it was.
  }
  return status;
}

dlcc_status_t setError(dlcc_status_t status, const char *message) noexcept {
  try {
    lastMessage = message;
  } catch (...) {
  }
  return status;
}

} // namespace dlcc::runtime

extern "C" {

const char *dlcc_status_string(dlcc_status_t status) {
  switch (status) {
  case DLCC_STATUS_OK:
    return "DLCC_STATUS_OK";
  case DLCC_STATUS_INVALID_ARGUMENT:
    return "DLCC_STATUS_INVALID_ARGUMENT";
  case DLCC_STATUS_OUT_OF_RANGE:
    return "DLCC_STATUS_OUT_OF_RANGE";
  case DLCC_STATUS_NOT_FOUND:
    return "DLCC_STATUS_NOT_FOUND";
  case DLCC_STATUS_IO_ERROR:
    return "DLCC_STATUS_IO_ERROR";
  case DLCC_STATUS_INVALID_ARTIFACT:
    return "DLCC_STATUS_INVALID_ARTIFACT";
  case DLCC_STATUS_UNSUPPORTED_VERSION:
    return "DLCC_STATUS_UNSUPPORTED_VERSION";
  case DLCC_STATUS_OUT_OF_MEMORY:
    return "DLCC_STATUS_OUT_OF_MEMORY";
  case DLCC_STATUS_INTERNAL:
    return "DLCC_STATUS_INTERNAL";
  case DLCC_STATUS_UNSUPPORTED:
    return "DLCC_STATUS_UNSUPPORTED";
  }
  return "DLCC_STATUS_UNKNOWN";
}

const char *dlcc_status_message(void) {
  return dlcc::runtime::lastMessage.c_str();
}

} // extern "C"
