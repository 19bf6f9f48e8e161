// The last error of the calling thread. The buffer lives as long as the thread, so the pointer
// handed out stays valid until the next failing call on that thread: nothing to free, nothing leaks.
#include "shim.h"

static thread_local std::string last_error;

void cdt::set_error(const char* message) { last_error = message; }

CDT_EXPORT const char* cdt_last_error() { return last_error.c_str(); }

CDT_EXPORT void cdt_clear_error() { last_error.clear(); }
