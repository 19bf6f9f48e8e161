// Views and shape changes.
#include "shim.h"

CDT_EXPORT cdt_tensor cdt_reshape(cdt_tensor x, const int64_t* shape, int ndim) {
  CDT_TRY
  return cdt::wrap(x->reshape(cdt::dims(shape, ndim)));
  CDT_CATCH(nullptr)
}

CDT_EXPORT cdt_tensor cdt_view(cdt_tensor x, const int64_t* shape, int ndim) {
  CDT_TRY
  return cdt::wrap(x->view(cdt::dims(shape, ndim)));
  CDT_CATCH(nullptr)
}

CDT_EXPORT cdt_tensor cdt_permute(cdt_tensor x, const int64_t* order, int ndim) {
  CDT_TRY
  return cdt::wrap(x->permute(cdt::dims(order, ndim)));
  CDT_CATCH(nullptr)
}

CDT_EXPORT cdt_tensor cdt_transpose(cdt_tensor x, int64_t dim0, int64_t dim1) {
  CDT_TRY
  return cdt::wrap(x->transpose(dim0, dim1));
  CDT_CATCH(nullptr)
}

CDT_EXPORT cdt_tensor cdt_contiguous(cdt_tensor x) {
  CDT_TRY
  return cdt::wrap(x->contiguous());
  CDT_CATCH(nullptr)
}

CDT_EXPORT cdt_tensor cdt_unsqueeze(cdt_tensor x, int64_t dim) {
  CDT_TRY
  return cdt::wrap(x->unsqueeze(dim));
  CDT_CATCH(nullptr)
}

// Removes every dimension of size 1.
CDT_EXPORT cdt_tensor cdt_squeeze(cdt_tensor x) {
  CDT_TRY
  return cdt::wrap(x->squeeze());
  CDT_CATCH(nullptr)
}

// Removes `dim` if its size is 1, else returns the tensor unchanged (as PyTorch does).
CDT_EXPORT cdt_tensor cdt_squeeze_dim(cdt_tensor x, int64_t dim) {
  CDT_TRY
  return cdt::wrap(x->squeeze(dim));
  CDT_CATCH(nullptr)
}

CDT_EXPORT cdt_tensor cdt_flatten(cdt_tensor x, int64_t start_dim, int64_t end_dim) {
  CDT_TRY
  return cdt::wrap(x->flatten(start_dim, end_dim));
  CDT_CATCH(nullptr)
}

// A view with size-1 dimensions repeated to `shape` without copying; -1 keeps a size.
CDT_EXPORT cdt_tensor cdt_expand(cdt_tensor x, const int64_t* shape, int ndim) {
  CDT_TRY
  return cdt::wrap(x->expand(cdt::dims(shape, ndim)));
  CDT_CATCH(nullptr)
}

// Tiles the data `repeats[i]` times along each dimension (a copy).
CDT_EXPORT cdt_tensor cdt_repeat(cdt_tensor x, const int64_t* repeats, int ndim) {
  CDT_TRY
  return cdt::wrap(x->repeat(cdt::dims(repeats, ndim)));
  CDT_CATCH(nullptr)
}

CDT_EXPORT cdt_tensor cdt_flip(cdt_tensor x, const int64_t* dims, int ndims) {
  CDT_TRY
  return cdt::wrap(x->flip(cdt::dims(dims, ndims)));
  CDT_CATCH(nullptr)
}

// Shifts elements cyclically; with no dims the tensor is rolled as if flattened.
CDT_EXPORT cdt_tensor cdt_roll(cdt_tensor x, const int64_t* shifts, int nshifts, const int64_t* dims, int ndims) {
  CDT_TRY
  return cdt::wrap(x->roll(cdt::dims(shifts, nshifts), cdt::dims(dims, ndims)));
  CDT_CATCH(nullptr)
}

static std::vector<at::Tensor> tensors_of(const cdt_tensor* handles, int count) {
  std::vector<at::Tensor> tensors;
  tensors.reserve((size_t)count);
  for (int i = 0; i < count; i++) tensors.push_back(*handles[i]);
  return tensors;
}

CDT_EXPORT cdt_tensor cdt_cat(const cdt_tensor* tensors, int count, int64_t dim) {
  CDT_TRY
  return cdt::wrap(at::cat(tensors_of(tensors, count), dim));
  CDT_CATCH(nullptr)
}

CDT_EXPORT cdt_tensor cdt_stack(const cdt_tensor* tensors, int count, int64_t dim) {
  CDT_TRY
  return cdt::wrap(at::stack(tensors_of(tensors, count), dim));
  CDT_CATCH(nullptr)
}

// At most `chunks` views of (nearly) equal size; the last one may be smaller.
CDT_EXPORT cdt_tensor_list cdt_chunk(cdt_tensor x, int64_t chunks, int64_t dim) {
  CDT_TRY
  return cdt::wrap_list(x->chunk(chunks, dim));
  CDT_CATCH(nullptr)
}

// Views of `split_size` along `dim`; the last one may be smaller.
CDT_EXPORT cdt_tensor_list cdt_split(cdt_tensor x, int64_t split_size, int64_t dim) {
  CDT_TRY
  return cdt::wrap_list(x->split(split_size, dim));
  CDT_CATCH(nullptr)
}

// Views of the given sizes along `dim`, which must add up to its size.
CDT_EXPORT cdt_tensor_list cdt_split_sizes(cdt_tensor x, const int64_t* sizes, int nsizes, int64_t dim) {
  CDT_TRY
  return cdt::wrap_list(x->split_with_sizes(cdt::dims(sizes, nsizes), dim));
  CDT_CATCH(nullptr)
}
