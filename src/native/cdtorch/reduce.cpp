// Reductions and scans. An empty dim list reduces over all dimensions.
#include "shim.h"

#include <numeric>

enum ReduceOp { R_SUM, R_MEAN, R_AMAX, R_AMIN, R_LOGSUMEXP, R_ALL, R_ANY };

// libtorch 1.13's all/any reduce one dimension at a time.
static at::Tensor all_or_any(const at::Tensor& x, at::IntArrayRef dims, bool keepdim, bool any) {
  TORCH_CHECK(dims.size() <= 1, any ? "any" : "all", " reduces over one dimension or all of them, not ", dims.size());
  if (dims.empty()) return any ? x.any() : x.all();
  return any ? x.any(dims[0], keepdim) : x.all(dims[0], keepdim);
}

// logsumexp has no all-dims form (an empty dim list fails in libtorch 1.13): name every dim.
static at::Tensor logsumexp_over(const at::Tensor& x, at::IntArrayRef dims, bool keepdim) {
  if (!dims.empty()) return at::logsumexp(x, dims, keepdim);
  std::vector<int64_t> every((size_t)x.dim());
  std::iota(every.begin(), every.end(), 0);
  return at::logsumexp(x, every, keepdim);
}

CDT_EXPORT cdt_tensor cdt_reduce(cdt_tensor x, int op, const int64_t* dims, int ndims, int keepdim) {
  CDT_TRY
  at::IntArrayRef d = cdt::dims(dims, ndims);
  bool all = ndims == 0;
  switch (op) {
    case R_SUM: return cdt::wrap(all && !keepdim ? x->sum() : at::sum(*x, d, keepdim));
    case R_MEAN: return cdt::wrap(all && !keepdim ? x->mean() : at::mean(*x, d, keepdim));
    case R_AMAX: return cdt::wrap(at::amax(*x, d, keepdim));
    case R_AMIN: return cdt::wrap(at::amin(*x, d, keepdim));
    case R_LOGSUMEXP: return cdt::wrap(logsumexp_over(*x, d, keepdim));
    case R_ALL: return cdt::wrap(all_or_any(*x, d, keepdim, false));
    case R_ANY: return cdt::wrap(all_or_any(*x, d, keepdim, true));
  }
  TORCH_CHECK(false, "unknown reduce op ", op);
  CDT_CATCH(nullptr)
}

// An empty dim list means all dimensions, given to libtorch as "no dims".
static at::OptionalIntArrayRef optional_dims(const int64_t* dims, int ndims) {
  if (ndims == 0) return c10::nullopt;
  return cdt::dims(dims, ndims);
}

CDT_EXPORT cdt_tensor cdt_var(cdt_tensor x, const int64_t* dims, int ndims, int unbiased, int keepdim) {
  CDT_TRY
  return cdt::wrap(at::var(*x, optional_dims(dims, ndims), unbiased != 0, keepdim != 0));
  CDT_CATCH(nullptr)
}

CDT_EXPORT cdt_tensor cdt_std(cdt_tensor x, const int64_t* dims, int ndims, int unbiased, int keepdim) {
  CDT_TRY
  return cdt::wrap(at::std(*x, optional_dims(dims, ndims), unbiased != 0, keepdim != 0));
  CDT_CATCH(nullptr)
}

// The vector p-norm over the dims (all of them: the Frobenius norm for p = 2).
CDT_EXPORT cdt_tensor cdt_vector_norm(cdt_tensor x, double p, const int64_t* dims, int ndims, int keepdim) {
  CDT_TRY
  return cdt::wrap(at::linalg_vector_norm(*x, p, optional_dims(dims, ndims), keepdim != 0));
  CDT_CATCH(nullptr)
}

// Largest values along `dim` and their indices (the first one among ties).
CDT_EXPORT cdt_tensor cdt_max_dim(cdt_tensor x, int64_t dim, int keepdim, cdt_tensor* indices) {
  CDT_TRY
  auto result = at::max(*x, dim, keepdim != 0);
  *indices = cdt::wrap(std::move(std::get<1>(result)));
  return cdt::wrap(std::move(std::get<0>(result)));
  CDT_CATCH(nullptr)
}

CDT_EXPORT cdt_tensor cdt_min_dim(cdt_tensor x, int64_t dim, int keepdim, cdt_tensor* indices) {
  CDT_TRY
  auto result = at::min(*x, dim, keepdim != 0);
  *indices = cdt::wrap(std::move(std::get<1>(result)));
  return cdt::wrap(std::move(std::get<0>(result)));
  CDT_CATCH(nullptr)
}

// Index of the largest element along `dim`, or into the flattened tensor when has_dim is 0.
CDT_EXPORT cdt_tensor cdt_argmax(cdt_tensor x, int64_t dim, int has_dim, int keepdim) {
  CDT_TRY
  return cdt::wrap(at::argmax(*x, has_dim ? c10::optional<int64_t>(dim) : c10::nullopt, keepdim != 0));
  CDT_CATCH(nullptr)
}

CDT_EXPORT cdt_tensor cdt_argmin(cdt_tensor x, int64_t dim, int has_dim, int keepdim) {
  CDT_TRY
  return cdt::wrap(at::argmin(*x, has_dim ? c10::optional<int64_t>(dim) : c10::nullopt, keepdim != 0));
  CDT_CATCH(nullptr)
}

CDT_EXPORT cdt_tensor cdt_cumsum(cdt_tensor x, int64_t dim) {
  CDT_TRY
  return cdt::wrap(at::cumsum(*x, dim));
  CDT_CATCH(nullptr)
}

// 1 when |a - b| <= atol + rtol * |b| everywhere, 0 when not, -1 on error.
CDT_EXPORT int cdt_allclose(cdt_tensor a, cdt_tensor b, double rtol, double atol, int equal_nan) {
  CDT_TRY
  return at::allclose(*a, *b, rtol, atol, equal_nan != 0) ? 1 : 0;
  CDT_CATCH(-1)
}
