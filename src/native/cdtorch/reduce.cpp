// Reductions. An empty dim list reduces over all dimensions.
#include "shim.h"

enum ReduceOp { R_SUM, R_MEAN, R_AMAX, R_AMIN };

CDT_EXPORT cdt_tensor cdt_reduce(cdt_tensor x, int op, const int64_t* dims, int ndims, int keepdim) {
  CDT_TRY
  at::IntArrayRef d = cdt::dims(dims, ndims);
  bool all = ndims == 0;
  switch (op) {
    case R_SUM: return cdt::wrap(all && !keepdim ? x->sum() : at::sum(*x, d, keepdim));
    case R_MEAN: return cdt::wrap(all && !keepdim ? x->mean() : at::mean(*x, d, keepdim));
    case R_AMAX: return cdt::wrap(at::amax(*x, d, keepdim));
    case R_AMIN: return cdt::wrap(at::amin(*x, d, keepdim));
  }
  TORCH_CHECK(false, "unknown reduce op ", op);
  CDT_CATCH(nullptr)
}
