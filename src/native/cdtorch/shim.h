// Shared declarations of the cdtorch C ABI. Every export follows one rule: it never lets a C++
// exception cross the boundary. On failure it records the message (no backtrace) in a thread-local
// buffer and returns a null handle or -1; the managed side reads it with cdt_last_error().
#pragma once

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <c10/core/GradMode.h>
#include <c10/core/InferenceMode.h>
#include <torch/version.h>

#include <cstdint>
#include <string>
#include <vector>

#define CDT_EXPORT extern "C" __attribute__((visibility("default")))

// A tensor handle owns one at::Tensor (a reference to shared storage) on the heap.
typedef at::Tensor* cdt_tensor;

// A list handle owns the tensors an op returns several of (split, chunk), until freed.
typedef std::vector<at::Tensor>* cdt_tensor_list;

namespace cdt {

void set_error(const char* message);

inline cdt_tensor wrap(at::Tensor&& t) { return new at::Tensor(std::move(t)); }

inline cdt_tensor_list wrap_list(std::vector<at::Tensor>&& ts) { return new std::vector<at::Tensor>(std::move(ts)); }

inline at::IntArrayRef dims(const int64_t* values, int count) { return at::IntArrayRef(values, (size_t)count); }

inline at::Device device_of(int type, int index) {
  return at::Device((c10::DeviceType)type, (c10::DeviceIndex)index);
}

// Options for a new tensor from the managed dtype and device codes.
inline at::TensorOptions options_of(int dtype, int device_type, int device_index) {
  return at::TensorOptions().dtype((at::ScalarType)dtype).device(device_of(device_type, device_index));
}

}  // namespace cdt

// Wraps an export body; `fail` is what the export returns after an exception.
#define CDT_TRY try {
#define CDT_CATCH(fail)                                   \
  }                                                       \
  catch (const c10::Error& e) {                           \
    cdt::set_error(e.what_without_backtrace());           \
    return fail;                                          \
  }                                                       \
  catch (const std::exception& e) {                       \
    cdt::set_error(e.what());                             \
    return fail;                                          \
  }                                                       \
  catch (...) {                                           \
    cdt::set_error("unknown native error");               \
    return fail;                                          \
  }
