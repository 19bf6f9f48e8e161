// Tensor handles: creation, metadata, conversion, copying data in and out.
#include "shim.h"

#include <cstring>

CDT_EXPORT void cdt_free(cdt_tensor t) { delete t; }

// Copies `nbytes` from `data` into a new contiguous tensor; the caller's buffer is not retained.
CDT_EXPORT cdt_tensor cdt_from_data(const void* data, int64_t nbytes, const int64_t* shape, int ndim, int dtype,
                                    int device_type, int device_index) {
  CDT_TRY
  at::Tensor cpu = at::empty(cdt::dims(shape, ndim), at::TensorOptions().dtype((at::ScalarType)dtype));
  TORCH_CHECK((int64_t)cpu.nbytes() == nbytes, "data holds ", nbytes, " bytes but shape ", cpu.sizes(), " of ",
              cpu.scalar_type(), " needs ", cpu.nbytes());
  if (nbytes > 0) std::memcpy(cpu.data_ptr(), data, (size_t)nbytes);
  if (device_type == (int)c10::DeviceType::CPU) return cdt::wrap(std::move(cpu));
  return cdt::wrap(cpu.to(cdt::device_of(device_type, device_index)));
  CDT_CATCH(nullptr)
}

// fill: 0 = empty, 1 = zeros, 2 = ones, 3 = full(value)
CDT_EXPORT cdt_tensor cdt_new(const int64_t* shape, int ndim, int fill, double value, int dtype, int device_type,
                              int device_index) {
  CDT_TRY
  auto options = cdt::options_of(dtype, device_type, device_index);
  auto size = cdt::dims(shape, ndim);
  switch (fill) {
    case 0: return cdt::wrap(at::empty(size, options));
    case 1: return cdt::wrap(at::zeros(size, options));
    case 2: return cdt::wrap(at::ones(size, options));
    case 3: return cdt::wrap(at::full(size, value, options));
  }
  TORCH_CHECK(false, "unknown fill kind ", fill);
  CDT_CATCH(nullptr)
}

CDT_EXPORT cdt_tensor cdt_arange(double start, double end, double step, int dtype, int device_type, int device_index) {
  CDT_TRY
  return cdt::wrap(at::arange(start, end, step, cdt::options_of(dtype, device_type, device_index)));
  CDT_CATCH(nullptr)
}

CDT_EXPORT int cdt_ndim(cdt_tensor t) { return (int)t->dim(); }

CDT_EXPORT void cdt_shape(cdt_tensor t, int64_t* out) {
  auto sizes = t->sizes();
  for (size_t i = 0; i < sizes.size(); i++) out[i] = sizes[i];
}

CDT_EXPORT int cdt_dtype(cdt_tensor t) { return (int)t->scalar_type(); }

CDT_EXPORT int cdt_device_type(cdt_tensor t) { return (int)t->device().type(); }

CDT_EXPORT int cdt_device_index(cdt_tensor t) { return (int)t->device().index(); }

CDT_EXPORT int64_t cdt_numel(cdt_tensor t) { return t->numel(); }

// Copies the tensor's elements, in row-major order, into `out` (which holds `nbytes`).
CDT_EXPORT int cdt_copy_to(cdt_tensor t, void* out, int64_t nbytes) {
  CDT_TRY
  at::Tensor src = t->detach().to(at::kCPU).contiguous();
  TORCH_CHECK((int64_t)src.nbytes() == nbytes, "destination holds ", nbytes, " bytes but the tensor has ", src.nbytes());
  if (nbytes > 0) std::memcpy(out, src.data_ptr(), (size_t)nbytes);
  return 0;
  CDT_CATCH(-1)
}

CDT_EXPORT double cdt_item(cdt_tensor t) {
  CDT_TRY
  return t->item<double>();
  CDT_CATCH(std::nan(""))
}

CDT_EXPORT cdt_tensor cdt_to(cdt_tensor t, int dtype, int device_type, int device_index, int non_blocking) {
  CDT_TRY
  return cdt::wrap(t->to(cdt::device_of(device_type, device_index), (at::ScalarType)dtype, non_blocking != 0));
  CDT_CATCH(nullptr)
}

CDT_EXPORT cdt_tensor cdt_clone(cdt_tensor t) {
  CDT_TRY
  return cdt::wrap(t->clone());
  CDT_CATCH(nullptr)
}

// A second handle to the same tensor (same storage, same autograd identity).
CDT_EXPORT cdt_tensor cdt_alias(cdt_tensor t) {
  CDT_TRY
  return cdt::wrap(at::Tensor(*t));
  CDT_CATCH(nullptr)
}

// In-place copy of `src` into `dst` (broadcasting, converting dtype and device); used to load weights.
CDT_EXPORT int cdt_copy_(cdt_tensor dst, cdt_tensor src) {
  CDT_TRY
  at::NoGradGuard no_grad;
  dst->copy_(*src);
  return 0;
  CDT_CATCH(-1)
}

CDT_EXPORT int cdt_is_contiguous(cdt_tensor t) { return t->is_contiguous() ? 1 : 0; }

CDT_EXPORT int cdt_same_storage(cdt_tensor a, cdt_tensor b) {
  return a->storage().is_alias_of(b->storage()) ? 1 : 0;
}
