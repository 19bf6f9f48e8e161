// Matrix products beyond matmul (elementwise.cpp): batched products and outer products.
#include "shim.h"

// [b, n, m] x [b, m, p] -> [b, n, p], without broadcasting.
CDT_EXPORT cdt_tensor cdt_bmm(cdt_tensor a, cdt_tensor b) {
  CDT_TRY
  return cdt::wrap(at::bmm(*a, *b));
  CDT_CATCH(nullptr)
}

// beta * input + alpha * (batch1 @ batch2), in one kernel (attention scores with a bias).
CDT_EXPORT cdt_tensor cdt_baddbmm(cdt_tensor input, cdt_tensor batch1, cdt_tensor batch2, double beta, double alpha) {
  CDT_TRY
  return cdt::wrap(at::baddbmm(*input, *batch1, *batch2, beta, alpha));
  CDT_CATCH(nullptr)
}

CDT_EXPORT cdt_tensor cdt_outer(cdt_tensor a, cdt_tensor b) {
  CDT_TRY
  return cdt::wrap(at::outer(*a, *b));
  CDT_CATCH(nullptr)
}
