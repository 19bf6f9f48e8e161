// In-place changes to module parameters and buffers, outside autograd: initial values drawn from
// libtorch's default generator (seeded by cdt_manual_seed), and dtype/device conversion that keeps
// the tensor's identity (PyTorch's `param.data = param.to(...)`), so every handle stays valid.
#include "shim.h"

CDT_EXPORT int cdt_init_uniform_(cdt_tensor t, double low, double high) {
  CDT_TRY
  at::NoGradGuard no_grad;
  t->uniform_(low, high);
  return 0;
  CDT_CATCH(-1)
}

CDT_EXPORT int cdt_init_normal_(cdt_tensor t, double mean, double std) {
  CDT_TRY
  at::NoGradGuard no_grad;
  t->normal_(mean, std);
  return 0;
  CDT_CATCH(-1)
}

CDT_EXPORT int cdt_init_constant_(cdt_tensor t, double value) {
  CDT_TRY
  at::NoGradGuard no_grad;
  t->fill_(value);
  return 0;
  CDT_CATCH(-1)
}

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
