#include "NodeImporter.h"
namespace dlcc::onnx_import {
void registerReductionHandlers(HandlerTable &) {}
}
