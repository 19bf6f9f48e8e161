// Tensors made from parameters, beyond tensor.cpp's zeros, ones, full and arange.
#include "shim.h"

// `steps` evenly spaced values from start to end, both included.
CDT_EXPORT cdt_tensor cdt_linspace(double start, double end, int64_t steps, int dtype, int device_type,
                                   int device_index) {
  CDT_TRY
  return cdt::wrap(at::linspace(start, end, steps, cdt::options_of(dtype, device_type, device_index)));
  CDT_CATCH(nullptr)
}
