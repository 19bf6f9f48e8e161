// Autograd: gradient flags, backward, gradients, and the grad-mode and inference-mode guards.
#include "shim.h"

CDT_EXPORT int cdt_requires_grad(cdt_tensor t) { return t->requires_grad() ? 1 : 0; }

CDT_EXPORT int cdt_set_requires_grad(cdt_tensor t, int requires) {
  CDT_TRY
  t->set_requires_grad(requires != 0);
  return 0;
  CDT_CATCH(-1)
}

CDT_EXPORT cdt_tensor cdt_detach(cdt_tensor t) {
  CDT_TRY
  return cdt::wrap(t->detach());
  CDT_CATCH(nullptr)
}

// grad may be null (seed of ones for a scalar output).
CDT_EXPORT int cdt_backward(cdt_tensor t, cdt_tensor grad, int retain_graph) {
  CDT_TRY
  t->backward(grad ? *grad : at::Tensor(), retain_graph != 0);
  return 0;
  CDT_CATCH(-1)
}

// Returns null without an error when the tensor has no gradient yet.
CDT_EXPORT cdt_tensor cdt_grad(cdt_tensor t) {
  CDT_TRY
  cdt::set_error("");
  const at::Tensor& g = t->grad();
  return g.defined() ? cdt::wrap(at::Tensor(g)) : nullptr;
  CDT_CATCH(nullptr)
}

CDT_EXPORT int cdt_set_grad(cdt_tensor t, cdt_tensor grad) {
  CDT_TRY
  t->mutable_grad() = grad ? *grad : at::Tensor();
  return 0;
  CDT_CATCH(-1)
}

CDT_EXPORT int cdt_grad_enabled() { return c10::GradMode::is_enabled() ? 1 : 0; }

CDT_EXPORT void cdt_set_grad_enabled(int enabled) { c10::GradMode::set_enabled(enabled != 0); }

// Inference mode is an RAII guard in C++; the managed scope owns one on the heap and frees it on
// the same thread.
CDT_EXPORT c10::InferenceMode* cdt_inference_mode_enter() { return new c10::InferenceMode(true); }

CDT_EXPORT void cdt_inference_mode_exit(c10::InferenceMode* guard) { delete guard; }
