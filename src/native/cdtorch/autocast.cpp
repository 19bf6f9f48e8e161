// Automatic mixed precision (libtorch's autocast) as a scope: while it is entered, eligible ops on the
// scope's device type (matmul, linear, convolutions, ...) run in the lower-precision dtype and
// precision-sensitive ones in float32. The state is thread-local in libtorch, like grad mode.
#include "shim.h"

#include <ATen/autocast_mode.h>

namespace {

// libtorch 2.4 replaced the per-device functions (set_enabled for CUDA, set_cpu_enabled for CPU, ...)
// by functions taking the device type, and deprecated the old ones.
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
bool is_enabled(c10::DeviceType device) { return at::autocast::is_autocast_enabled(device); }
void set_enabled(c10::DeviceType device, bool enabled) { at::autocast::set_autocast_enabled(device, enabled); }
at::ScalarType get_dtype(c10::DeviceType device) { return at::autocast::get_autocast_dtype(device); }
void set_dtype(c10::DeviceType device, at::ScalarType dtype) { at::autocast::set_autocast_dtype(device, dtype); }
#else
bool is_enabled(c10::DeviceType device) {
  return device == c10::DeviceType::CUDA ? at::autocast::is_enabled() : at::autocast::is_cpu_enabled();
}
void set_enabled(c10::DeviceType device, bool enabled) {
  if (device == c10::DeviceType::CUDA) at::autocast::set_enabled(enabled);
  else at::autocast::set_cpu_enabled(enabled);
}
at::ScalarType get_dtype(c10::DeviceType device) {
  return device == c10::DeviceType::CUDA ? at::autocast::get_autocast_gpu_dtype()
                                         : at::autocast::get_autocast_cpu_dtype();
}
void set_dtype(c10::DeviceType device, at::ScalarType dtype) {
  if (device == c10::DeviceType::CUDA) at::autocast::set_autocast_gpu_dtype(dtype);
  else at::autocast::set_autocast_cpu_dtype(dtype);
}
#endif

c10::DeviceType checked_device(int device_type) {
  auto device = (c10::DeviceType)device_type;
  TORCH_CHECK(device == c10::DeviceType::CPU || device == c10::DeviceType::CUDA,
              "autocast supports cpu and cuda, not device type ", device_type);
  return device;
}

}  // namespace

// What a scope replaced, restored when it exits (as torch.autocast's __exit__ does).
struct cdt_autocast_scope {
  c10::DeviceType device;
  bool was_enabled;
  at::ScalarType previous_dtype;
};

CDT_EXPORT cdt_autocast_scope* cdt_autocast_enter(int device_type, int dtype, int enabled) {
  CDT_TRY
  c10::DeviceType device = checked_device(device_type);
  auto scope = new cdt_autocast_scope{device, is_enabled(device), get_dtype(device)};
  set_dtype(device, (at::ScalarType)dtype);
  set_enabled(device, enabled != 0);
  at::autocast::increment_nesting();
  return scope;
  CDT_CATCH(nullptr)
}

CDT_EXPORT int cdt_autocast_exit(cdt_autocast_scope* scope) {
  CDT_TRY
  // The cache holds low-precision copies of weights made during the forward pass; dropping it when
  // the outermost scope exits keeps them from living on across steps.
  if (at::autocast::decrement_nesting() == 0) at::autocast::clear_cache();
  set_enabled(scope->device, scope->was_enabled);
  set_dtype(scope->device, scope->previous_dtype);
  delete scope;
  return 0;
  CDT_CATCH(-1)
}

CDT_EXPORT int cdt_autocast_enabled(int device_type) {
  CDT_TRY
  return is_enabled(checked_device(device_type)) ? 1 : 0;
  CDT_CATCH(-1)
}
