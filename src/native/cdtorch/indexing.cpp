// Indexing: selecting, slicing, gathering and writing by index or mask. Negative dims and
// indices count from the end, as in PyTorch.
#include "shim.h"

// The view at `index` along `dim`, which removes that dimension.
CDT_EXPORT cdt_tensor cdt_select(cdt_tensor x, int64_t dim, int64_t index) {
  CDT_TRY
  return cdt::wrap(x->select(dim, index));
  CDT_CATCH(nullptr)
}

CDT_EXPORT cdt_tensor cdt_narrow(cdt_tensor x, int64_t dim, int64_t start, int64_t length) {
  CDT_TRY
  return cdt::wrap(x->narrow(dim, start, length));
  CDT_CATCH(nullptr)
}

// The view x[start:end:step] along `dim`; start and end are clamped to the size, as in Python.
CDT_EXPORT cdt_tensor cdt_slice(cdt_tensor x, int64_t dim, int64_t start, int64_t end, int64_t step) {
  CDT_TRY
  return cdt::wrap(x->slice(dim, start, end, step));
  CDT_CATCH(nullptr)
}

CDT_EXPORT cdt_tensor cdt_index_select(cdt_tensor x, int64_t dim, cdt_tensor index) {
  CDT_TRY
  return cdt::wrap(x->index_select(dim, *index));
  CDT_CATCH(nullptr)
}

CDT_EXPORT cdt_tensor cdt_gather(cdt_tensor x, int64_t dim, cdt_tensor index) {
  CDT_TRY
  return cdt::wrap(x->gather(dim, *index));
  CDT_CATCH(nullptr)
}

CDT_EXPORT cdt_tensor cdt_masked_fill(cdt_tensor x, cdt_tensor mask, double value) {
  CDT_TRY
  return cdt::wrap(x->masked_fill(*mask, value));
  CDT_CATCH(nullptr)
}

CDT_EXPORT cdt_tensor cdt_where(cdt_tensor condition, cdt_tensor a, cdt_tensor b) {
  CDT_TRY
  return cdt::wrap(at::where(*condition, *a, *b));
  CDT_CATCH(nullptr)
}

// Advanced-indexing subscripts, one per leading dimension; a null handle stands for ":" (all of it).
static c10::List<c10::optional<at::Tensor>> subscripts_of(const cdt_tensor* indices, int count) {
  c10::List<c10::optional<at::Tensor>> list;
  list.reserve((size_t)count);
  for (int i = 0; i < count; i++) {
    list.push_back(indices[i] ? c10::optional<at::Tensor>(*indices[i]) : c10::nullopt);
  }
  return list;
}

// x[indices...] with integer or boolean index tensors (a copy).
CDT_EXPORT cdt_tensor cdt_index(cdt_tensor x, const cdt_tensor* indices, int count) {
  CDT_TRY
  return cdt::wrap(at::index(*x, subscripts_of(indices, count)));
  CDT_CATCH(nullptr)
}

// A copy of x with x[indices...] = values (or += values when accumulating, summing repeated indices).
CDT_EXPORT cdt_tensor cdt_index_put(cdt_tensor x, const cdt_tensor* indices, int count, cdt_tensor values,
                                    int accumulate) {
  CDT_TRY
  return cdt::wrap(at::index_put(*x, subscripts_of(indices, count), *values, accumulate != 0));
  CDT_CATCH(nullptr)
}
