// Tensor lists: the results of ops with a variable number of outputs. The managed side reads the
// count, takes a handle to each tensor, then frees the list.
#include "shim.h"

CDT_EXPORT int cdt_tensor_list_size(cdt_tensor_list list) { return (int)list->size(); }

// A new handle to element i; the list keeps its own reference until freed.
CDT_EXPORT cdt_tensor cdt_tensor_list_get(cdt_tensor_list list, int i) {
  CDT_TRY
  return cdt::wrap(at::Tensor(list->at((size_t)i)));
  CDT_CATCH(nullptr)
}

CDT_EXPORT void cdt_tensor_list_free(cdt_tensor_list list) { delete list; }
