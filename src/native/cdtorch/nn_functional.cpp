// torch.nn.functional: the layers' math (linear, convolutions, normalisations, softmax, resampling,
// padding, dropout, embedding, losses, attention) as plain exports. Optional tensors (a bias, an
// affine weight) arrive as null handles. Every (height, width) pair arrives as two int64 values.
#include "shim.h"

#include <c10/util/Optional.h>  // c10::optional: its own class in 1.13, std::optional in 2.x

#include <cmath>
#include <limits>

static c10::optional<at::Tensor> optional_of(cdt_tensor t) {
  return t ? c10::optional<at::Tensor>(*t) : c10::nullopt;
}

static at::IntArrayRef pair(const int64_t* values) { return cdt::dims(values, 2); }

CDT_EXPORT cdt_tensor cdt_linear(cdt_tensor x, cdt_tensor weight, cdt_tensor bias) {
  CDT_TRY
  return cdt::wrap(at::linear(*x, *weight, optional_of(bias)));
  CDT_CATCH(nullptr)
}

CDT_EXPORT cdt_tensor cdt_conv2d(cdt_tensor x, cdt_tensor weight, cdt_tensor bias, const int64_t* stride,
                                 const int64_t* padding, const int64_t* dilation, int64_t groups) {
  CDT_TRY
  return cdt::wrap(at::conv2d(*x, *weight, optional_of(bias), pair(stride), pair(padding), pair(dilation), groups));
  CDT_CATCH(nullptr)
}

CDT_EXPORT cdt_tensor cdt_conv_transpose2d(cdt_tensor x, cdt_tensor weight, cdt_tensor bias, const int64_t* stride,
                                           const int64_t* padding, const int64_t* output_padding, int64_t groups,
                                           const int64_t* dilation) {
  CDT_TRY
  return cdt::wrap(at::conv_transpose2d(*x, *weight, optional_of(bias), pair(stride), pair(padding),
                                        pair(output_padding), groups, pair(dilation)));
  CDT_CATCH(nullptr)
}

CDT_EXPORT cdt_tensor cdt_max_pool2d(cdt_tensor x, const int64_t* kernel, const int64_t* stride, const int64_t* padding,
                                     int ceil_mode) {
  CDT_TRY
  return cdt::wrap(at::max_pool2d(*x, pair(kernel), pair(stride), pair(padding), {1, 1}, ceil_mode != 0));
  CDT_CATCH(nullptr)
}

CDT_EXPORT cdt_tensor cdt_avg_pool2d(cdt_tensor x, const int64_t* kernel, const int64_t* stride, const int64_t* padding,
                                     int ceil_mode, int count_include_pad) {
  CDT_TRY
  return cdt::wrap(at::avg_pool2d(*x, pair(kernel), pair(stride), pair(padding), ceil_mode != 0, count_include_pad != 0));
  CDT_CATCH(nullptr)
}

CDT_EXPORT cdt_tensor cdt_adaptive_avg_pool2d(cdt_tensor x, const int64_t* output_size) {
  CDT_TRY
  return cdt::wrap(at::adaptive_avg_pool2d(*x, pair(output_size)));
  CDT_CATCH(nullptr)
}

// Training mode updates running_mean and running_var in place (momentum), as torch.nn.functional does.
CDT_EXPORT cdt_tensor cdt_batch_norm(cdt_tensor x, cdt_tensor running_mean, cdt_tensor running_var, cdt_tensor weight,
                                     cdt_tensor bias, int training, double momentum, double eps) {
  CDT_TRY
  return cdt::wrap(at::batch_norm(*x, optional_of(weight), optional_of(bias), optional_of(running_mean),
                                  optional_of(running_var), training != 0, momentum, eps, false));
  CDT_CATCH(nullptr)
}

CDT_EXPORT cdt_tensor cdt_group_norm(cdt_tensor x, int64_t groups, cdt_tensor weight, cdt_tensor bias, double eps) {
  CDT_TRY
  return cdt::wrap(at::group_norm(*x, groups, optional_of(weight), optional_of(bias), eps));
  CDT_CATCH(nullptr)
}

CDT_EXPORT cdt_tensor cdt_layer_norm(cdt_tensor x, const int64_t* normalized_shape, int ndim, cdt_tensor weight,
                                     cdt_tensor bias, double eps) {
  CDT_TRY
  return cdt::wrap(at::layer_norm(*x, cdt::dims(normalized_shape, ndim), optional_of(weight), optional_of(bias), eps));
  CDT_CATCH(nullptr)
}

CDT_EXPORT cdt_tensor cdt_softmax(cdt_tensor x, int64_t dim) {
  CDT_TRY
  return cdt::wrap(at::softmax(*x, dim));
  CDT_CATCH(nullptr)
}

CDT_EXPORT cdt_tensor cdt_log_softmax(cdt_tensor x, int64_t dim) {
  CDT_TRY
  return cdt::wrap(at::log_softmax(*x, dim));
  CDT_CATCH(nullptr)
}

enum InterpolationMode { I_NEAREST, I_BILINEAR };

// Exactly one of `size` (2 values) and `scale` (2 values) is given. With a scale the output size is
// floor(input * scale) and the kernel maps coordinates by the scale itself, as F.interpolate does
// when recompute_scale_factor is not set.
CDT_EXPORT cdt_tensor cdt_interpolate(cdt_tensor x, int mode, const int64_t* size, const double* scale,
                                      int align_corners) {
  CDT_TRY
  TORCH_CHECK((size == nullptr) != (scale == nullptr), "interpolate takes either a size or a scale factor");
  at::OptionalIntArrayRef output_size = size ? at::OptionalIntArrayRef(pair(size)) : at::OptionalIntArrayRef();
  c10::optional<at::ArrayRef<double>> scale_factors =
      scale ? c10::optional<at::ArrayRef<double>>(at::ArrayRef<double>(scale, 2)) : c10::nullopt;
  switch (mode) {
    case I_NEAREST: return cdt::wrap(at::upsample_nearest2d(*x, output_size, scale_factors));
    case I_BILINEAR: return cdt::wrap(at::upsample_bilinear2d(*x, output_size, align_corners != 0, scale_factors));
  }
  TORCH_CHECK(false, "unknown interpolation mode ", mode);
  CDT_CATCH(nullptr)
}

enum PaddingMode { P_CONSTANT, P_REFLECT, P_REPLICATE };

// `pad` lists (before, after) pairs starting from the last dimension, as F.pad does.
CDT_EXPORT cdt_tensor cdt_pad(cdt_tensor x, const int64_t* pad, int npad, int mode, double value) {
  CDT_TRY
  auto p = cdt::dims(pad, npad);
  switch (mode) {
    case P_CONSTANT: return cdt::wrap(at::pad(*x, p, "constant", value));
    case P_REFLECT: return cdt::wrap(at::pad(*x, p, "reflect"));
    case P_REPLICATE: return cdt::wrap(at::pad(*x, p, "replicate"));
  }
  TORCH_CHECK(false, "unknown pad mode ", mode);
  CDT_CATCH(nullptr)
}

// Draws from libtorch's default generator (seeded by cdt_manual_seed) when training.
CDT_EXPORT cdt_tensor cdt_dropout(cdt_tensor x, double p, int train) {
  CDT_TRY
  return cdt::wrap(at::dropout(*x, p, train != 0));
  CDT_CATCH(nullptr)
}

CDT_EXPORT cdt_tensor cdt_embedding(cdt_tensor weight, cdt_tensor indices) {
  CDT_TRY
  return cdt::wrap(at::embedding(*weight, *indices));
  CDT_CATCH(nullptr)
}

// reduction: at::Reduction codes (0 none, 1 mean, 2 sum).
CDT_EXPORT cdt_tensor cdt_mse_loss(cdt_tensor input, cdt_tensor target, int reduction) {
  CDT_TRY
  return cdt::wrap(at::mse_loss(*input, *target, reduction));
  CDT_CATCH(nullptr)
}

// Scaled dot-product attention: softmax(Q K^T / sqrt(d) + mask) V over the last two dimensions.
// libtorch 2.x has it fused (flash / memory-efficient kernels on CUDA); 1.13 gets the exact math.
#if TORCH_VERSION_MAJOR < 2
// The math of PyTorch 2's reference implementation, a block of query rows at a time. Whole score
// matrices (batch x heads x L x S floats: 64 MiB for 16 samples at 16 x 16 tokens) go through memory
// three times (scores, softmax, weighted sum) and are freshly mapped pages on every call; blocks of
// about 2 MiB stay in cache and are reused, which measured 4x faster on the CPUs here. A bool mask marks
// with true the keys a query may attend to; a float mask is added to the scores; is_causal lets query i
// attend to keys 0..i.
static at::Tensor attention_math(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v,
                                 const c10::optional<at::Tensor>& mask, bool is_causal) {
  const int64_t rows = q.size(-2), keys = k.size(-2);
  const int64_t slices = q.numel() / std::max<int64_t>(1, rows * q.size(-1));
  // At least 128 rows a block: thinner blocks make the matrix products too small to run at speed (4-row
  // blocks of a 4096-token attention made a training step 1.6x slower).
  const int64_t block_bytes = 2 << 20, min_rows = 128;
  const int64_t block = std::min(rows, std::max(min_rows, block_bytes / std::max<int64_t>(1, slices * keys * 4)));
  const double minus_inf = -std::numeric_limits<double>::infinity();
  at::Tensor scaled_q = q * (1.0 / std::sqrt((double)q.size(-1)));
  // Made contiguous once: the heads' views are strided, and matmul would otherwise copy them per block.
  at::Tensor key_t = k.contiguous().transpose(-2, -1);
  at::Tensor values = v.contiguous();
  std::vector<at::Tensor> outputs;
  for (int64_t start = 0; start < rows; start += block) {
    const int64_t length = std::min(block, rows - start);
    at::Tensor scores = at::matmul(scaled_q.narrow(-2, start, length), key_t);
    if (is_causal) {
      at::Tensor row = at::arange(start, start + length, q.options().dtype(at::kLong)).unsqueeze(1);
      at::Tensor col = at::arange(keys, q.options().dtype(at::kLong)).unsqueeze(0);
      scores = scores.masked_fill(col > row, minus_inf);
    }
    if (mask) {
      at::Tensor m = mask->dim() >= 2 && mask->size(-2) == rows ? mask->narrow(-2, start, length) : *mask;
      scores = m.scalar_type() == at::kBool ? scores.masked_fill(m.logical_not(), minus_inf) : scores + m;
    }
    outputs.push_back(at::matmul(at::softmax(scores, -1), values));
  }
  return outputs.size() == 1 ? outputs[0] : at::cat(outputs, -2);
}
#endif

CDT_EXPORT cdt_tensor cdt_scaled_dot_product_attention(cdt_tensor q, cdt_tensor k, cdt_tensor v, cdt_tensor mask,
                                                       int is_causal) {
  CDT_TRY
  TORCH_CHECK(!(mask && is_causal), "scaled_dot_product_attention takes a mask or is_causal, not both");
  c10::optional<at::Tensor> m = optional_of(mask);
#if TORCH_VERSION_MAJOR >= 2
  return cdt::wrap(at::scaled_dot_product_attention(*q, *k, *v, m, 0.0, is_causal != 0));
#else
  return cdt::wrap(attention_math(*q, *k, *v, m, is_causal != 0));
#endif
  CDT_CATCH(nullptr)
}
