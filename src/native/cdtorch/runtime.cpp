// Process-wide facts and settings: versions, devices, threads, seeds, numeric modes.
#include "shim.h"

#include <malloc.h>

// glibc hands blocks over 128 KiB out as fresh mmaps, or trims them back to the kernel on free, and a model's
// activations are such blocks: every forward pass then page-faults through all of its memory again (a third
// of the tiny model's CPU time, measured with perf). Keeping blocks up to 32 MiB (glibc's ceiling for this
// setting) in the heap, and the heap's top up to 512 MiB untrimmed, lets each pass reuse the last one's
// pages. Memory stays bounded by the peak of one pass; it is not returned between passes.
static const bool malloc_tuned = [] {
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 512 << 20);
  return true;
}();

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
