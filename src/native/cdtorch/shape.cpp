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
