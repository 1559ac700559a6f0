# Compile flags for targets that link LLVM/MLIR. LLVM is built without RTTI and
# exceptions, so classes deriving from LLVM's polymorphic classes must be too.
# Targets that do not touch LLVM classes (the protobuf-based ONNX reader, the
# runtime and the tools built on it: dlcc-run, dlcc-artifact-tool) keep the
# compiler defaults.
set(DLCC_LLVM_DEFINITIONS ${LLVM_DEFINITIONS})
separate_arguments(DLCC_LLVM_DEFINITIONS)

function(dlcc_compiler_flags target)
  target_compile_options(${target} PRIVATE -fno-rtti -fno-exceptions
    -Wall -Wno-unused-parameter -Wno-comment)
  target_compile_definitions(${target} PRIVATE ${DLCC_LLVM_DEFINITIONS})
endfunction()
