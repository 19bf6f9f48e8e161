// Random numbers. A generator handle owns one at::Generator (a reference to a shared generator
// state, like a tensor handle). Every sampling export takes an optional generator: null means
// libtorch's default generator of the tensor's device, the one at::manual_seed seeds.
#include "shim.h"

typedef at::Generator* cdt_generator;

static c10::optional<at::Generator> generator_of(cdt_generator g) {
  return g ? c10::optional<at::Generator>(*g) : c10::nullopt;
}

// A generator is not thread-safe: callers outside ATen's kernels hold its mutex (see
// Note [Acquire lock when using random generators] in ATen).
static std::unique_lock<std::mutex> lock_of(at::Generator& g) { return std::unique_lock<std::mutex>(g.mutex()); }

// A new, independent generator for the device. It is a clone of the device's default generator
// (so CUDA generators come from libtorch's CUDA hooks, without this library linking CUDA code),
// then seeded: the same seed gives the same numbers as torch.Generator(device).manual_seed(seed).
CDT_EXPORT cdt_generator cdt_generator_new(uint64_t seed, int device_type, int device_index) {
  CDT_TRY
  at::Generator base = at::globalContext().defaultGenerator(cdt::device_of(device_type, device_index));
  at::Generator fresh;
  {
    auto guard = lock_of(base);
    fresh = base.clone();
  }
  fresh.set_current_seed(seed);
  return new at::Generator(std::move(fresh));
  CDT_CATCH(nullptr)
}

// A handle to the device's default generator itself (to save and restore its state).
CDT_EXPORT cdt_generator cdt_generator_default(int device_type, int device_index) {
  CDT_TRY
  return new at::Generator(at::globalContext().defaultGenerator(cdt::device_of(device_type, device_index)));
  CDT_CATCH(nullptr)
}

CDT_EXPORT void cdt_generator_free(cdt_generator g) { delete g; }

CDT_EXPORT uint64_t cdt_generator_seed(cdt_generator g) {
  auto guard = lock_of(*g);
  return g->current_seed();
}

// Reseeds, restarting the sequence (torch.Generator.manual_seed).
CDT_EXPORT int cdt_generator_set_seed(cdt_generator g, uint64_t seed) {
  CDT_TRY
  auto guard = lock_of(*g);
  g->set_current_seed(seed);
  return 0;
  CDT_CATCH(-1)
}

// The full state as a uint8 CPU tensor (the Mersenne Twister state on CPU, seed and offset on CUDA).
CDT_EXPORT cdt_tensor cdt_generator_get_state(cdt_generator g) {
  CDT_TRY
  auto guard = lock_of(*g);
  return cdt::wrap(g->get_state());
  CDT_CATCH(nullptr)
}

CDT_EXPORT int cdt_generator_set_state(cdt_generator g, cdt_tensor state) {
  CDT_TRY
  auto guard = lock_of(*g);
  g->set_state(*state);
  return 0;
  CDT_CATCH(-1)
}

// In-place sampling. These are how torch.rand / randn / randint / normal fill a new tensor, so
// composing them with an empty tensor gives PyTorch's exact numbers.
CDT_EXPORT int cdt_uniform_(cdt_tensor x, double from, double to, cdt_generator g) {
  CDT_TRY
  x->uniform_(from, to, generator_of(g));
  return 0;
  CDT_CATCH(-1)
}

CDT_EXPORT int cdt_normal_(cdt_tensor x, double mean, double std, cdt_generator g) {
  CDT_TRY
  x->normal_(mean, std, generator_of(g));
  return 0;
  CDT_CATCH(-1)
}

// Integers uniform in [low, high).
CDT_EXPORT int cdt_random_(cdt_tensor x, int64_t low, int64_t high, cdt_generator g) {
  CDT_TRY
  x->random_(low, high, generator_of(g));
  return 0;
  CDT_CATCH(-1)
}

// 0 or 1 with probability p, elementwise.
CDT_EXPORT cdt_tensor cdt_bernoulli(cdt_tensor p, cdt_generator g) {
  CDT_TRY
  return cdt::wrap(at::bernoulli(*p, generator_of(g)));
  CDT_CATCH(nullptr)
}

// Samples category indices from each row of (unnormalised) probabilities.
CDT_EXPORT cdt_tensor cdt_multinomial(cdt_tensor probs, int64_t samples, int replacement, cdt_generator g) {
  CDT_TRY
  return cdt::wrap(at::multinomial(*probs, samples, replacement != 0, generator_of(g)));
  CDT_CATCH(nullptr)
}

// One sample per element from N(mean, std), both broadcast tensors.
CDT_EXPORT cdt_tensor cdt_normal(cdt_tensor mean, cdt_tensor std, cdt_generator g) {
  CDT_TRY
  return cdt::wrap(at::normal(*mean, *std, generator_of(g)));
  CDT_CATCH(nullptr)
}

// A random permutation of 0 .. n-1.
CDT_EXPORT cdt_tensor cdt_randperm(int64_t n, cdt_generator g, int dtype, int device_type, int device_index) {
  CDT_TRY
  return cdt::wrap(at::randperm(n, generator_of(g), cdt::options_of(dtype, device_type, device_index)));
  CDT_CATCH(nullptr)
}
