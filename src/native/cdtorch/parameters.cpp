// Module parameters and buffers change dtype and device in place, keeping the tensor's identity
// (PyTorch's `param.data = param.to(...)`), so every handle to them stays valid.
#include "shim.h"

// Converts the data, and the accumulated gradient if any, keeping requires_grad and identity.
CDT_EXPORT int cdt_convert_in_place(cdt_tensor t, int dtype, int device_type, int device_index) {
  CDT_TRY
  at::NoGradGuard no_grad;
  auto device = cdt::device_of(device_type, device_index);
  auto scalar_type = (at::ScalarType)dtype;
  t->set_data(t->to(device, scalar_type));
  if (t->grad().defined()) t->mutable_grad() = t->grad().to(device, scalar_type);
  return 0;
  CDT_CATCH(-1)
}
