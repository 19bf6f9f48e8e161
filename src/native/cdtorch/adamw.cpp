// AdamW (decoupled weight decay) over a whole list of parameters in one call, computed exactly as
// torch.optim.AdamW does (its foreach form, which on CPU runs the same kernels tensor by tensor as the
// default single-tensor form, so CPU results are bit-identical to PyTorch). One call per step keeps
// crossings of the ABI low, and on CUDA the foreach kernels update many tensors per launch.
#include "shim.h"

#include <cmath>
#include <vector>

// `steps[i]` counts the updates parameter i has had; it is incremented for every parameter updated.
// Parameters without a gradient are skipped and keep their count; their moment buffers may be null.
// Every other parameter needs its two moment buffers (zeros before its first update).
CDT_EXPORT int cdt_adamw_step(const cdt_tensor* params, const cdt_tensor* exp_avgs, const cdt_tensor* exp_avg_sqs,
                              int64_t* steps, int count, double lr, double beta1, double beta2, double eps,
                              double weight_decay) {
  CDT_TRY
  at::NoGradGuard no_grad;
  std::vector<at::Tensor> p, g, m, v;
  std::vector<at::Scalar> neg_step_sizes, bias_correction2_sqrts;
  std::vector<int> updated;
  for (int i = 0; i < count; i++) {
    const at::Tensor& grad = params[i]->grad();
    if (!grad.defined()) continue;
    // Checked before anything is updated, so that a bad gradient leaves every parameter as it was.
    TORCH_CHECK(grad.sizes() == params[i]->sizes(), "parameter ", i, " is ", params[i]->sizes(),
                " but its gradient is ", grad.sizes());
    TORCH_CHECK(exp_avgs[i] != nullptr && exp_avg_sqs[i] != nullptr, "parameter ", i,
                " has a gradient but no moment buffers");
    // Bias corrections in double from the step as a double, as PyTorch computes them on the host.
    double step = (double)(steps[i] + 1);
    neg_step_sizes.emplace_back(-(lr / (1 - std::pow(beta1, step))));
    bias_correction2_sqrts.emplace_back(std::sqrt(1 - std::pow(beta2, step)));
    p.push_back(*params[i]);
    g.push_back(grad);
    m.push_back(*exp_avgs[i]);
    v.push_back(*exp_avg_sqs[i]);
    updated.push_back(i);
  }
  if (p.empty()) return 0;

  at::_foreach_mul_(p, 1 - lr * weight_decay);
  at::_foreach_mul_(m, beta1);
  at::_foreach_add_(m, g, 1 - beta1);
  at::_foreach_mul_(v, beta2);
  at::_foreach_addcmul_(v, g, g, 1 - beta2);
  std::vector<at::Tensor> denom = at::_foreach_sqrt(v);
  at::_foreach_div_(denom, bias_correction2_sqrts);
  at::_foreach_add_(denom, eps);
  at::_foreach_addcdiv_(p, m, denom, neg_step_sizes);

  // Counted only once the update went through, so a failed step leaves the counts consistent.
  for (int i : updated) steps[i]++;
  return 0;
  CDT_CATCH(-1)
}
