// Gradient clipping by the global L2 norm, as torch.nn.utils.clip_grad_norm_ computes it.
#include "gradients.h"

// Scales every gradient by min(1, max_norm / (total + 1e-6)) in place and returns the total norm
// (a 0-dim tensor on the first gradient's device, so that nothing waits for the GPU here).
CDT_EXPORT cdt_tensor cdt_clip_grad_norm(const cdt_tensor* params, int count, double max_norm) {
  CDT_TRY
  at::NoGradGuard no_grad;
  std::vector<at::Tensor> grads = cdt::defined_grads(params, count);
  if (grads.empty()) return cdt::wrap(at::zeros({}));
  at::Device device = grads[0].device();
  std::vector<at::Tensor> norms = at::_foreach_norm(grads, 2.0);
  for (auto& norm : norms) norm = norm.to(device);
  at::Tensor total = at::linalg_vector_norm(at::stack(norms), 2.0);
  at::Tensor coefficient = at::clamp_max(max_norm / (total + 1e-6), 1.0);
  for (auto& grad : grads) grad.mul_(coefficient.to(grad.device()));
  return cdt::wrap(std::move(total));
  CDT_CATCH(nullptr)
}
