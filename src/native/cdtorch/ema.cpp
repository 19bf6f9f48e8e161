// Exponential moving average of weights: average <- average + (1 - decay) * (param - average).
#include "shim.h"

#include <vector>

CDT_EXPORT int cdt_ema_update(const cdt_tensor* averages, const cdt_tensor* params, int count, double decay) {
  CDT_TRY
  at::NoGradGuard no_grad;
  double weight = 1 - decay;
#if TORCH_VERSION_MAJOR >= 2
  // One launch for many tensors on CUDA; the same lerp per tensor on CPU.
  std::vector<at::Tensor> a, p;
  for (int i = 0; i < count; i++) {
    a.push_back(*averages[i]);
    p.push_back(*params[i]);
  }
  at::_foreach_lerp_(a, p, weight);
#else
  for (int i = 0; i < count; i++) averages[i]->lerp_(*params[i], weight);
#endif
  return 0;
  CDT_CATCH(-1)
}
