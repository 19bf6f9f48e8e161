// Elementwise math. Ops are chosen by code so the ABI stays small; the codes mirror the managed
// enums UnaryOp, BinaryOp (ContextDiffusion.Torch/Native) and must stay in the same order.
#include "shim.h"

enum UnaryOp {
  U_NEG, U_EXP, U_LOG, U_SQRT, U_RSQRT, U_ABS, U_SIN, U_COS, U_TANH, U_SIGMOID,
  U_RELU, U_SILU, U_GELU, U_GELU_TANH, U_SQUARE, U_FLOOR, U_CEIL, U_ROUND, U_SIGN, U_LOGICAL_NOT,
  U_ERF, U_RECIPROCAL, U_ISNAN, U_ISFINITE
};

enum BinaryOp {
  B_ADD, B_SUB, B_MUL, B_DIV, B_POW, B_MAXIMUM, B_MINIMUM, B_EQ, B_NE, B_LT,
  B_LE, B_GT, B_GE, B_LOGICAL_AND, B_LOGICAL_OR, B_REMAINDER
};

static at::Tensor unary(const at::Tensor& x, int op) {
  switch (op) {
    case U_NEG: return at::neg(x);
    case U_EXP: return at::exp(x);
    case U_LOG: return at::log(x);
    case U_SQRT: return at::sqrt(x);
    case U_RSQRT: return at::rsqrt(x);
    case U_ABS: return at::abs(x);
    case U_SIN: return at::sin(x);
    case U_COS: return at::cos(x);
    case U_TANH: return at::tanh(x);
    case U_SIGMOID: return at::sigmoid(x);
    case U_RELU: return at::relu(x);
    case U_SILU: return at::silu(x);
    case U_GELU: return at::gelu(x);
    case U_GELU_TANH: return at::gelu(x, "tanh");
    case U_SQUARE: return at::square(x);
    case U_FLOOR: return at::floor(x);
    case U_CEIL: return at::ceil(x);
    case U_ROUND: return at::round(x);
    case U_SIGN: return at::sign(x);
    case U_LOGICAL_NOT: return at::logical_not(x);
    case U_ERF: return at::erf(x);
    case U_RECIPROCAL: return at::reciprocal(x);
    case U_ISNAN: return at::isnan(x);
    case U_ISFINITE: return at::isfinite(x);
  }
  TORCH_CHECK(false, "unknown unary op ", op);
}

static at::Tensor binary(const at::Tensor& a, const at::Tensor& b, int op) {
  switch (op) {
    case B_ADD: return at::add(a, b);
    case B_SUB: return at::sub(a, b);
    case B_MUL: return at::mul(a, b);
    case B_DIV: return at::div(a, b);
    case B_POW: return at::pow(a, b);
    case B_MAXIMUM: return at::maximum(a, b);
    case B_MINIMUM: return at::minimum(a, b);
    case B_EQ: return at::eq(a, b);
    case B_NE: return at::ne(a, b);
    case B_LT: return at::lt(a, b);
    case B_LE: return at::le(a, b);
    case B_GT: return at::gt(a, b);
    case B_GE: return at::ge(a, b);
    case B_LOGICAL_AND: return at::logical_and(a, b);
    case B_LOGICAL_OR: return at::logical_or(a, b);
    case B_REMAINDER: return at::remainder(a, b);
  }
  TORCH_CHECK(false, "unknown binary op ", op);
}

// A managed scalar arrives as a double plus whether it was an integer, so that an int64 tensor
// plus an integer stays int64 (PyTorch's type promotion) while plus 0.5 becomes float.
static at::Scalar scalar_of(double value, int is_integer) {
  return is_integer ? at::Scalar((int64_t)value) : at::Scalar(value);
}

CDT_EXPORT cdt_tensor cdt_unary(cdt_tensor x, int op) {
  CDT_TRY
  return cdt::wrap(unary(*x, op));
  CDT_CATCH(nullptr)
}

CDT_EXPORT cdt_tensor cdt_binary(cdt_tensor a, cdt_tensor b, int op) {
  CDT_TRY
  return cdt::wrap(binary(*a, *b, op));
  CDT_CATCH(nullptr)
}

// `scalar_first` computes op(scalar, tensor), e.g. 1 - x.
CDT_EXPORT cdt_tensor cdt_binary_scalar(cdt_tensor a, double value, int is_integer, int op, int scalar_first) {
  CDT_TRY
  at::Tensor s = at::scalar_tensor(scalar_of(value, is_integer),
                                   at::TensorOptions().dtype(is_integer ? at::kLong : at::kDouble));
  // A CPU 0-dim tensor mixes with tensors on any device, without a host-to-device copy.
  // Marked as a wrapped number, the scalar takes part in type promotion like a Python scalar:
  // float32 + 0.5 stays float32, int64 + 1 stays int64, int64 + 0.5 becomes the default float.
  s.unsafeGetTensorImpl()->set_wrapped_number(true);
  return cdt::wrap(scalar_first ? binary(s, *a, op) : binary(*a, s, op));
  CDT_CATCH(nullptr)
}

// In-place a op= b, used by optimizers and accumulators.
CDT_EXPORT int cdt_binary_(cdt_tensor a, cdt_tensor b, int op) {
  CDT_TRY
  switch (op) {
    case B_ADD: a->add_(*b); return 0;
    case B_SUB: a->sub_(*b); return 0;
    case B_MUL: a->mul_(*b); return 0;
    case B_DIV: a->div_(*b); return 0;
  }
  TORCH_CHECK(false, "binary op ", op, " has no in-place form");
  CDT_CATCH(-1)
}

CDT_EXPORT int cdt_binary_scalar_(cdt_tensor a, double value, int is_integer, int op) {
  CDT_TRY
  at::Scalar s = scalar_of(value, is_integer);
  switch (op) {
    case B_ADD: a->add_(s); return 0;
    case B_SUB: a->sub_(s); return 0;
    case B_MUL: a->mul_(s); return 0;
    case B_DIV: a->div_(s); return 0;
  }
  TORCH_CHECK(false, "binary op ", op, " has no in-place scalar form");
  CDT_CATCH(-1)
}

CDT_EXPORT cdt_tensor cdt_matmul(cdt_tensor a, cdt_tensor b) {
  CDT_TRY
  return cdt::wrap(at::matmul(*a, *b));
  CDT_CATCH(nullptr)
}

// Bounds are optional: has_min / has_max say which are given.
CDT_EXPORT cdt_tensor cdt_clamp(cdt_tensor x, double min, int has_min, double max, int has_max) {
  CDT_TRY
  c10::optional<at::Scalar> lower = has_min ? c10::optional<at::Scalar>(min) : c10::nullopt;
  c10::optional<at::Scalar> upper = has_max ? c10::optional<at::Scalar>(max) : c10::nullopt;
  return cdt::wrap(at::clamp(*x, lower, upper));
  CDT_CATCH(nullptr)
}

// Elementwise bounds, broadcast; a null handle leaves that side unbounded.
CDT_EXPORT cdt_tensor cdt_clamp_tensor(cdt_tensor x, cdt_tensor min, cdt_tensor max) {
  CDT_TRY
  c10::optional<at::Tensor> lower = min ? c10::optional<at::Tensor>(*min) : c10::nullopt;
  c10::optional<at::Tensor> upper = max ? c10::optional<at::Tensor>(*max) : c10::nullopt;
  return cdt::wrap(at::clamp(*x, lower, upper));
  CDT_CATCH(nullptr)
}

// a + weight * (end - a)
CDT_EXPORT cdt_tensor cdt_lerp(cdt_tensor a, cdt_tensor end, cdt_tensor weight) {
  CDT_TRY
  return cdt::wrap(at::lerp(*a, *end, *weight));
  CDT_CATCH(nullptr)
}

CDT_EXPORT cdt_tensor cdt_lerp_scalar(cdt_tensor a, cdt_tensor end, double weight) {
  CDT_TRY
  return cdt::wrap(at::lerp(*a, *end, weight));
  CDT_CATCH(nullptr)
}

// The in-place forms below serve optimizers and moving averages (AdamW's moments, EMA weights).
CDT_EXPORT int cdt_lerp_(cdt_tensor a, cdt_tensor end, double weight) {
  CDT_TRY
  a->lerp_(*end, weight);
  return 0;
  CDT_CATCH(-1)
}

// x += value * t1 * t2
CDT_EXPORT int cdt_addcmul_(cdt_tensor x, cdt_tensor t1, cdt_tensor t2, double value) {
  CDT_TRY
  x->addcmul_(*t1, *t2, value);
  return 0;
  CDT_CATCH(-1)
}

// x += value * t1 / t2
CDT_EXPORT int cdt_addcdiv_(cdt_tensor x, cdt_tensor t1, cdt_tensor t2, double value) {
  CDT_TRY
  x->addcdiv_(*t1, *t2, value);
  return 0;
  CDT_CATCH(-1)
}

CDT_EXPORT int cdt_fill_(cdt_tensor x, double value) {
  CDT_TRY
  x->fill_(value);
  return 0;
  CDT_CATCH(-1)
}
