// Process-wide facts and settings: versions, devices, threads, seeds, numeric modes.
#include "shim.h"

CDT_EXPORT int cdt_torch_version_major() { return TORCH_VERSION_MAJOR; }
CDT_EXPORT int cdt_torch_version_minor() { return TORCH_VERSION_MINOR; }

CDT_EXPORT int cdt_cuda_device_count() {
  CDT_TRY
  return at::hasCUDA() ? (int)at::detail::getCUDAHooks().getNumGPUs() : 0;
  CDT_CATCH(0)
}

CDT_EXPORT int cdt_get_num_threads() { return at::get_num_threads(); }

CDT_EXPORT int cdt_set_num_threads(int n) {
  CDT_TRY
  at::set_num_threads(n);
  return 0;
  CDT_CATCH(-1)
}

CDT_EXPORT int cdt_manual_seed(uint64_t seed) {
  CDT_TRY
  at::manual_seed(seed);
  return 0;
  CDT_CATCH(-1)
}

// TF32 on CUDA matmuls and convolutions: faster on Ampere and later at a precision training tolerates.
CDT_EXPORT int cdt_set_allow_tf32(int allow) {
  CDT_TRY
  at::globalContext().setAllowTF32CuBLAS(allow != 0);
  at::globalContext().setAllowTF32CuDNN(allow != 0);
  return 0;
  CDT_CATCH(-1)
}

CDT_EXPORT int cdt_cuda_synchronize(int device) {
  CDT_TRY
  if (at::hasCUDA()) at::detail::getCUDAHooks().deviceSynchronize(device);
  return 0;
  CDT_CATCH(-1)
}
