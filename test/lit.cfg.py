# -*- Python -*- lit configuration for the dlcc test suite.
import os

import lit.formats
from lit.llvm import llvm_config

config.name = "dlcc"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".mlir", ".py"]
config.excludes = ["lit.cfg.py", "lit.site.cfg.py", "onnx_model_builder.py", "python",
                   "conformance", "Inputs"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.dlcc_obj_root, "test")

llvm_config.with_system_environment(["HOME", "TMPDIR", "PATH"])
llvm_config.use_default_substitutions()
config.substitutions.append(("%python", config.python_executable))
config.substitutions.append(("%dlcc-opt", os.path.join(config.dlcc_tools_dir, "dlcc-opt")))
config.substitutions.append(("%dlcc", os.path.join(config.dlcc_tools_dir, "dlcc")))
config.environment["PYTHONPATH"] = os.path.join(config.test_source_root, "Importer", "Onnx")
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.with_environment("PATH", config.dlcc_tools_dir, append_path=True)
