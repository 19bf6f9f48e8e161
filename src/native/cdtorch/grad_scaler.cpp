// The unscaling half of dynamic loss scaling (PyTorch's GradScaler.unscale_): gradients computed from
// a loss multiplied by S are multiplied by 1/S, and any inf or NaN among them is reported so that the
// optimizer step can be skipped.
#include "gradients.h"

// Returns 1 when some gradient is not finite, 0 when all are, -1 on failure.
CDT_EXPORT int cdt_unscale_grads(const cdt_tensor* params, int count, double inv_scale) {
  CDT_TRY
  at::NoGradGuard no_grad;
  std::vector<at::Tensor> grads = cdt::defined_grads(params, count);
  if (grads.empty()) return 0;
  at::TensorOptions flag_options = grads[0].options().dtype(at::kFloat);
  if (grads[0].is_cuda()) {
    // PyTorch's fused kernel: unscales and checks every gradient (all on one GPU) in a few launches.
    at::Tensor found_inf = at::zeros({1}, flag_options);
    at::_amp_foreach_non_finite_check_and_unscale_(grads, found_inf, at::full({1}, inv_scale, flag_options));
    return found_inf.item<float>() != 0 ? 1 : 0;
  }
  at::Tensor found_inf = at::zeros({}, flag_options.dtype(at::kBool));
  for (auto& grad : grads) {
    grad.mul_(inv_scale);
    found_inf.logical_or_(at::isfinite(grad).all().logical_not());
  }
  return found_inf.item<bool>() ? 1 : 0;
  CDT_CATCH(-1)
}
