"""nn: functional ops, layers (with their parameters and parameter gradients), initialisation."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

from parity import Cases


def attention(q, k, v, mask=None, is_causal=False):
    """PyTorch 2's F.scaled_dot_product_attention (its math reference), absent from torch 1.13."""
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.size(-1))
    if is_causal:
        allowed = torch.ones(q.size(-2), k.size(-2), dtype=torch.bool).tril()
        scores = scores.masked_fill(~allowed, float("-inf"))
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf")) if mask.dtype == torch.bool else scores + mask
    return scores.softmax(-1) @ v


class SplitProjectionAttention(nn.Module):
    """nn.MultiheadAttention's own math (batch first) with the q_proj/k_proj/v_proj/out_proj layout of
    our MultiheadAttention, so the fixture holds parameters and gradients under our names."""

    def __init__(self, embed_dim, num_heads, kv_dim=None):
        super().__init__()
        kv_dim = kv_dim or embed_dim
        self.num_heads = num_heads
        self.q_proj = nn.Linear(embed_dim, embed_dim)
        self.k_proj = nn.Linear(kv_dim, embed_dim)
        self.v_proj = nn.Linear(kv_dim, embed_dim)
        self.out_proj = nn.Linear(embed_dim, embed_dim)

    def forward(self, q, k, v, attn_mask=None):
        out, _ = F.multi_head_attention_forward(
            q.transpose(0, 1), k.transpose(0, 1), v.transpose(0, 1), q.size(-1), self.num_heads,
            None, torch.cat([self.q_proj.bias, self.k_proj.bias, self.v_proj.bias]), None, None, False, 0.0,
            self.out_proj.weight, self.out_proj.bias, training=False, need_weights=False, attn_mask=attn_mask,
            use_separate_proj_weight=True, q_proj_weight=self.q_proj.weight, k_proj_weight=self.k_proj.weight,
            v_proj_weight=self.v_proj.weight)
        return out.transpose(0, 1)

    def as_pytorch(self):
        """nn.MultiheadAttention holding the same weights."""
        e, kv = self.q_proj.in_features, self.k_proj.in_features
        mha = nn.MultiheadAttention(e, self.num_heads, kdim=kv, vdim=kv, batch_first=True)
        with torch.no_grad():
            if kv == e:
                mha.in_proj_weight.copy_(torch.cat([self.q_proj.weight, self.k_proj.weight, self.v_proj.weight]))
            else:
                mha.q_proj_weight.copy_(self.q_proj.weight)
                mha.k_proj_weight.copy_(self.k_proj.weight)
                mha.v_proj_weight.copy_(self.v_proj.weight)
            mha.in_proj_bias.copy_(torch.cat([self.q_proj.bias, self.k_proj.bias, self.v_proj.bias]))
            mha.out_proj.load_state_dict(self.out_proj.state_dict())
        return mha


class Resnet(nn.Module):
    def __init__(self, channels, groups):
        super().__init__()
        self.norm1 = nn.GroupNorm(groups, channels)
        self.conv1 = nn.Conv2d(channels, channels, 3, padding=1)
        self.norm2 = nn.GroupNorm(groups, channels)
        self.conv2 = nn.Conv2d(channels, channels, 3, padding=1)

    def forward(self, x):
        h = self.conv1(F.silu(self.norm1(x)))
        return x + self.conv2(F.silu(self.norm2(h)))


class DownBlock(nn.Module):
    def __init__(self, channels, groups):
        super().__init__()
        self.resnets = nn.ModuleList([Resnet(channels, groups), Resnet(channels, groups)])
        self.downsamplers = nn.ModuleList([nn.Conv2d(channels, channels, 3, stride=2, padding=1)])

    def forward(self, x):
        for resnet in self.resnets:
            x = resnet(x)
        return self.downsamplers[0](x)


class TinyNet(nn.Module):
    """A small UNet-shaped model whose state-dict names the C# TinyNet must reproduce."""

    def __init__(self):
        super().__init__()
        self.conv_in = nn.Conv2d(3, 8, 3, padding=1)
        self.down_blocks = nn.ModuleList([DownBlock(8, 2), DownBlock(8, 2)])
        self.norm = nn.LayerNorm(8)
        self.attn = SplitProjectionAttention(8, 2, kv_dim=6)
        self.conv_out = nn.Sequential(nn.GroupNorm(2, 8), nn.SiLU(), nn.ConvTranspose2d(8, 4, 4, stride=2, padding=1))

    def forward(self, x, context):
        h = self.conv_in(x)
        for block in self.down_blocks:
            h = block(h)
        n, c, hh, ww = h.shape
        tokens = self.norm(h.flatten(2).transpose(1, 2))
        tokens = tokens + self.attn(tokens, context, context)
        h = tokens.transpose(1, 2).reshape(n, c, hh, ww)
        return self.conv_out(h)


def drop_key_bias_gradient(c, name, prefix=""):
    """The key bias shifts every score of a query by the same amount, which softmax ignores: its
    gradient is zero up to rounding noise, and noise cannot be compared at a relative tolerance."""
    del c.tensors[f"{name}/grad_param/{prefix}k_proj.bias"]


def randomize(module):
    """Random values for parameters PyTorch initialises to constants (norm scales and shifts)."""
    with torch.no_grad():
        for p in module.parameters():
            p.copy_(torch.randn_like(p))
    return module


def build():
    c = Cases("nn")
    x = torch.randn(2, 3, 5)
    image = torch.randn(2, 4, 7, 6)

    c.add("linear", F.linear, [x, torch.randn(4, 5), torch.randn(4)])
    c.add("linear_no_bias", F.linear, [x, torch.randn(4, 5)])
    c.add("conv2d", lambda a, w, b: F.conv2d(a, w, b), [image, torch.randn(6, 4, 3, 3), torch.randn(6)])
    c.add("conv2d_strided_grouped", lambda a, w, b: F.conv2d(a, w, b, stride=(2, 1), padding=(1, 2), dilation=(1, 2), groups=2),
          [image, torch.randn(6, 2, 3, 3), torch.randn(6)])
    c.add("conv_transpose2d", lambda a, w, b: F.conv_transpose2d(a, w, b, stride=2, padding=1, output_padding=1),
          [image, torch.randn(4, 3, 3, 3), torch.randn(3)])
    c.add("conv_transpose2d_grouped", lambda a, w: F.conv_transpose2d(a, w, stride=(2, 1), padding=(0, 1), groups=2, dilation=(1, 2)),
          [image, torch.randn(4, 3, 3, 2)])
    c.add("group_norm", lambda a, w, b: F.group_norm(a, 2, w, b, eps=1e-5), [image, torch.randn(4), torch.randn(4)])
    c.add("group_norm_plain", lambda a: F.group_norm(a, 4, eps=1e-6), [image])
    c.add("layer_norm", lambda a, w, b: F.layer_norm(a, (5,), w, b), [x, torch.randn(5), torch.randn(5)])
    c.add("layer_norm_2d", lambda a: F.layer_norm(a, (3, 5), eps=1e-6), [x])
    c.add("softmax", lambda a: a.softmax(-1), [x])
    c.add("log_softmax", lambda a: a.log_softmax(1), [x])
    c.add("interpolate_nearest_scale", lambda a: F.interpolate(a, scale_factor=2.0, mode="nearest"), [image])
    c.add("interpolate_nearest_size", lambda a: F.interpolate(a, size=(5, 9), mode="nearest"), [image])
    c.add("interpolate_bilinear_size", lambda a: F.interpolate(a, size=(9, 4), mode="bilinear", align_corners=False), [image])
    c.add("interpolate_bilinear_aligned", lambda a: F.interpolate(a, size=(9, 4), mode="bilinear", align_corners=True), [image])
    c.add("interpolate_bilinear_scale", lambda a: F.interpolate(a, scale_factor=1.5, mode="bilinear", align_corners=False), [image])
    c.add("pad_constant", lambda a: F.pad(a, (1, 2, 0, 1), value=0.5), [image])
    c.add("pad_reflect", lambda a: F.pad(a, (2, 1, 1, 2), mode="reflect"), [image])
    c.add("pad_replicate", lambda a: F.pad(a, (1, 1, 2, 0), mode="replicate"), [image])

    def seeded_dropout(a):
        torch.manual_seed(1234)
        return F.dropout(a, 0.3, training=True)
    c.add("dropout", seeded_dropout, [torch.randn(4, 50)])
    c.add("embedding", F.embedding, [torch.tensor([[1, 0, 7], [7, 9, 2]]), torch.randn(10, 4)])
    c.add("mse_loss_mean", F.mse_loss, [x, torch.randn(2, 3, 5)])
    c.add("mse_loss_sum", lambda a, b: F.mse_loss(a, b, reduction="sum"), [x, torch.randn(2, 3, 5)])
    c.add("mse_loss_none", lambda a, b: F.mse_loss(a, b, reduction="none"), [x, torch.randn(2, 3, 5)])

    q, k, v = torch.randn(2, 3, 5, 8), torch.randn(2, 3, 7, 8), torch.randn(2, 3, 7, 6)
    c.add("sdpa", attention, [q, k, v])
    c.add("sdpa_float_mask", attention, [q, k, v, torch.randn(5, 7)])
    bool_mask = torch.rand(2, 1, 5, 7) > 0.4
    bool_mask[..., 0] = True  # every query attends to at least one key
    c.add("sdpa_bool_mask", attention, [q, k, v, bool_mask])
    c.add("sdpa_causal", lambda a, b, d: attention(a, b, d, is_causal=True), [q, torch.randn(2, 3, 5, 8), torch.randn(2, 3, 5, 6)])

    def module_case(name, module, inputs):
        c.add(name, module, inputs, module=module)

    module_case("module_linear", nn.Linear(5, 4), [x])
    module_case("module_conv2d", nn.Conv2d(4, 6, 3, stride=2, padding=1, groups=2), [image])
    module_case("module_conv_transpose2d", nn.ConvTranspose2d(4, 6, 3, stride=2, padding=1, output_padding=1), [image])
    module_case("module_group_norm", randomize(nn.GroupNorm(2, 4)), [image])
    module_case("module_layer_norm", randomize(nn.LayerNorm(5)), [x])
    module_case("module_embedding", nn.Embedding(10, 4), [torch.tensor([[1, 0, 7], [7, 9, 2]])])
    module_case("module_sequential",
                nn.Sequential(nn.Conv2d(4, 4, 3, padding=1), randomize(nn.GroupNorm(2, 4)), nn.SiLU(),
                              nn.Conv2d(4, 2, 1), nn.GELU(), nn.Identity()),
                [image])

    def attention_case(name, attn, inputs):
        attn = randomize(attn)  # non-zero biases
        q, k, v = inputs[:3]
        mask = inputs[3] if len(inputs) > 3 else None
        expected = attn.as_pytorch()(q, k, v, attn_mask=mask, need_weights=False)[0]
        assert torch.allclose(attn(q, k, v, mask), expected, atol=1e-6), "differs from nn.MultiheadAttention"
        c.add(name, attn, inputs, module=attn)
        drop_key_bias_gradient(c, name)

    tokens = torch.randn(2, 5, 8)
    attention_case("module_self_attention", SplitProjectionAttention(8, 2), [tokens, tokens, tokens])
    context = torch.randn(2, 4, 6)
    attention_case("module_cross_attention", SplitProjectionAttention(8, 4, kv_dim=6), [tokens, context, context, torch.randn(5, 4)])

    net = TinyNet()
    for m in net.modules():
        if isinstance(m, (nn.GroupNorm, nn.LayerNorm)):
            randomize(m)
    module_case("tiny_net", net, [torch.randn(1, 3, 8, 8), torch.randn(1, 3, 6)])
    drop_key_bias_gradient(c, "tiny_net", "attn.")

    pool_input = torch.randn(2, 3, 9, 8)
    c.add("max_pool2d", lambda a: F.max_pool2d(a, 3, stride=2, padding=1), [pool_input])
    c.add("max_pool2d_ceil", lambda a: F.max_pool2d(a, 3, stride=2, ceil_mode=True), [pool_input])
    c.add("avg_pool2d", lambda a: F.avg_pool2d(a, 3, stride=1, padding=1, count_include_pad=False), [pool_input])
    c.add("adaptive_avg_pool2d", lambda a: F.adaptive_avg_pool2d(a, (1, 1)), [pool_input])
    running_mean, running_var = torch.randn(3), torch.rand(3) + 0.5
    c.add("batch_norm_eval", lambda a, w, b: F.batch_norm(a, running_mean, running_var, w, b, training=False, eps=1e-3),
          [pool_input, torch.randn(3), torch.randn(3)])
    c.tensors["batch_norm_eval/running_mean"], c.tensors["batch_norm_eval/running_var"] = running_mean, running_var
    c.add("batch_norm_train", lambda a, w, b: F.batch_norm(a, None, None, w, b, training=True),
          [pool_input, torch.randn(3), torch.randn(3)])

    # Initial values: the same seed must give PyTorch's very parameters.
    torch.manual_seed(42)
    init = [nn.Linear(6, 3), nn.Conv2d(4, 6, 3, groups=2), nn.ConvTranspose2d(4, 6, 3), nn.Embedding(5, 3)]
    for i, m in enumerate(init):
        for p_name, p in m.named_parameters():
            c.tensors[f"init/{i}/{p_name}"] = p.detach().clone()
    return c
