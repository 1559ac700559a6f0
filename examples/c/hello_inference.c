/* hello_inference.c - the dlcc runtime's C API in one page.
 *
 *   hello-inference model.bin      (a program from `dlcc model.onnx --inference -o model.bin`)
 *
 * Loads and verifies the program, opens a session on the best device
 * (CUDA when a GPU and driver are present, else the CPU), fills every f32
 * input of the first entry point with 0.01 * i, runs it, and prints the
 * first values of every output. Every call returns a status; on failure
 * dlcc_status_message() says why.
 */
#include "dlcc-c/dlcc.h"

#include <stdio.h>
#include <stdlib.h>

#define CHECK(call)                                                            \
  do {                                                                         \
    dlcc_status_t s_ = (call);                                                 \
    if (s_ != DLCC_STATUS_OK) {                                                \
      fprintf(stderr, "hello-inference: %s: %s\n", dlcc_status_string(s_),     \
              dlcc_status_message());                                          \
      goto done;                                                               \
    }                                                                          \
  } while (0)

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: hello-inference model.bin\n");
    return 2;
  }
  int rc = 1;
  dlcc_program_t *program = NULL;
  dlcc_session_t *session = NULL;
  float *buffer = NULL;
  size_t arguments = 0, results = 0;

  CHECK(dlcc_program_load_file(argv[1], NULL, &program));
  dlcc_session_options_t options;
  CHECK(dlcc_session_options_initialize(&options)); /* device = AUTO */
  CHECK(dlcc_session_create(program, &options, &session));
  dlcc_device_kind_t device;
  const char *device_name;
  CHECK(dlcc_session_device(session, &device));
  CHECK(dlcc_device_kind_name(device, &device_name));
  printf("device: %s\n", device_name);

  /* Entry point 0 (the forward pass of an inference program). */
  CHECK(dlcc_program_entry_point_argument_count(program, 0, &arguments));
  for (size_t a = 0; a < arguments; ++a) {
    dlcc_argument_descriptor_t arg;
    CHECK(dlcc_program_entry_point_argument(program, 0, a, &arg));
    if (arg.kind != DLCC_ARGUMENT_INPUT)
      continue; /* state is bound by the session */
    if (arg.dtype != DLCC_DTYPE_F32) {
      fprintf(stderr, "hello-inference: input '%s' is not f32\n", arg.name);
      goto done;
    }
    size_t n = arg.byte_size / sizeof(float);
    buffer = realloc(buffer, n ? arg.byte_size : 1);
    for (size_t i = 0; i < n; ++i)
      buffer[i] = 0.01f * (float)i;
    CHECK(dlcc_session_set_input(session, 0, a, buffer, arg.byte_size));
  }
  CHECK(dlcc_session_run(session, 0));

  CHECK(dlcc_program_entry_point_result_count(program, 0, &results));
  for (size_t r = 0; r < results; ++r) {
    dlcc_argument_descriptor_t res;
    CHECK(dlcc_program_entry_point_result(program, 0, r, &res));
    if (res.kind != DLCC_ARGUMENT_OUTPUT || res.dtype != DLCC_DTYPE_F32)
      continue;
    size_t n = res.byte_size / sizeof(float);
    buffer = realloc(buffer, n ? res.byte_size : 1);
    CHECK(dlcc_session_get_result(session, 0, r, buffer, res.byte_size));
    printf("%s:", res.name);
    for (size_t i = 0; i < n; ++i)
      printf(" %.9g", buffer[i]);
    printf("\n");
  }
  rc = 0;

done:
  free(buffer);
  dlcc_session_release(session); /* NULL is accepted */
  dlcc_program_release(program);
  return rc;
}
