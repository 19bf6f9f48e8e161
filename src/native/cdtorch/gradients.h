// Gradients of a list of parameters, for the updates that act on all of them at once
// (optimizer steps, clipping, loss-scale unscaling).
#pragma once

#include "shim.h"

#include <vector>

namespace cdt {

// The gradients that exist, in parameter order; parameters without one are left out, as PyTorch does.
inline std::vector<at::Tensor> defined_grads(const cdt_tensor* params, int count) {
  std::vector<at::Tensor> grads;
  grads.reserve((size_t)count);
  for (int i = 0; i < count; i++) {
    const at::Tensor& grad = params[i]->grad();
    if (grad.defined()) grads.push_back(grad);
  }
  return grads;
}

}  // namespace cdt
