# -*- Python -*- lit configuration for the dlcc test suite.
import os

import lit.formats
from lit.llvm import llvm_config

config.name = "dlcc"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".mlir", ".py"]
config.excludes = ["lit.cfg.py", "lit.site.cfg.py", "onnx_model_builder.py", "python",
                   "conformance", "Inputs", "cpu_sample.py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.dlcc_obj_root, "test")

llvm_config.with_system_environment(["HOME", "TMPDIR", "PATH"])
llvm_config.use_default_substitutions()
config.substitutions.append(("%python", config.python_executable))
config.substitutions.append(("%dlcc-opt", os.path.join(config.dlcc_tools_dir, "dlcc-opt")))
config.substitutions.append(("%dlcc", os.path.join(config.dlcc_tools_dir, "dlcc")))
# Execution tests run lowered code with MLIR's JIT runner and its print helpers.
runner_libs = os.path.join(os.path.dirname(config.llvm_tools_dir), "lib")
config.substitutions.append(("%mlir_runner_utils",
                             os.path.join(runner_libs, "libmlir_runner_utils.so")))
config.substitutions.append(("%mlir_c_runner_utils",
                             os.path.join(runner_libs, "libmlir_c_runner_utils.so")))
config.environment["PYTHONPATH"] = os.path.join(config.test_source_root, "Importer", "Onnx")
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.with_environment("PATH", config.dlcc_tools_dir, append_path=True)
