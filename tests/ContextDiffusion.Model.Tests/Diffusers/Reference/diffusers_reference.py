"""A plain-PyTorch reference of diffusers' UNet2DConditionModel, ControlNetModel and AutoencoderKL.

Written to diffusers' structure and attribute names (diffusers itself is not installed here), so its
state dicts carry diffusers' keys and the C# port can be checked against it by loading those keys.
Only what Stable Diffusion 1.5 uses is modelled: SiLU, "default" time scale shift, output scale
factor 1, GEGLU feed-forward, no dropout at inference. Configs are dicts with diffusers' config.json keys.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def attention(q, k, v):
    """F.scaled_dot_product_attention without mask (torch 1.13 has none)."""
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.size(-1))
    return scores.softmax(-1) @ v


def per_block(value, count):
    return list(value) if isinstance(value, (list, tuple)) else [value] * count


class Timesteps(nn.Module):
    def __init__(self, num_channels, flip_sin_to_cos=True, downscale_freq_shift=0.0):
        super().__init__()
        self.num_channels = num_channels
        self.flip_sin_to_cos = flip_sin_to_cos
        self.downscale_freq_shift = downscale_freq_shift

    def forward(self, timesteps):
        half = self.num_channels // 2
        exponent = -math.log(10000) * torch.arange(0, half, dtype=torch.float32)
        exponent = exponent / (half - self.downscale_freq_shift)
        angles = timesteps[:, None].float() * torch.exp(exponent)[None, :]
        emb = torch.cat([torch.sin(angles), torch.cos(angles)], dim=-1)
        if self.flip_sin_to_cos:
            emb = torch.cat([emb[:, half:], emb[:, :half]], dim=-1)
        if self.num_channels % 2 == 1:
            emb = F.pad(emb, (0, 1, 0, 0))
        return emb


class TimestepEmbedding(nn.Module):
    def __init__(self, in_channels, time_embed_dim):
        super().__init__()
        self.linear_1 = nn.Linear(in_channels, time_embed_dim)
        self.act = nn.SiLU()
        self.linear_2 = nn.Linear(time_embed_dim, time_embed_dim)

    def forward(self, sample):
        return self.linear_2(self.act(self.linear_1(sample)))


class ResnetBlock2D(nn.Module):
    def __init__(self, in_channels, out_channels, temb_channels, groups, eps):
        super().__init__()
        self.norm1 = nn.GroupNorm(groups, in_channels, eps=eps, affine=True)
        self.conv1 = nn.Conv2d(in_channels, out_channels, 3, stride=1, padding=1)
        self.time_emb_proj = nn.Linear(temb_channels, out_channels) if temb_channels is not None else None
        self.norm2 = nn.GroupNorm(groups, out_channels, eps=eps, affine=True)
        self.dropout = nn.Dropout(0.0)
        self.conv2 = nn.Conv2d(out_channels, out_channels, 3, stride=1, padding=1)
        self.conv_shortcut = nn.Conv2d(in_channels, out_channels, 1) if in_channels != out_channels else None

    def forward(self, input_tensor, temb):
        hidden = self.conv1(F.silu(self.norm1(input_tensor)))
        if temb is not None:
            hidden = hidden + self.time_emb_proj(F.silu(temb))[:, :, None, None]
        hidden = self.conv2(self.dropout(F.silu(self.norm2(hidden))))
        if self.conv_shortcut is not None:
            input_tensor = self.conv_shortcut(input_tensor)
        return input_tensor + hidden


class Downsample2D(nn.Module):
    def __init__(self, channels, padding=1):
        super().__init__()
        self.padding = padding
        self.conv = nn.Conv2d(channels, channels, 3, stride=2, padding=padding)

    def forward(self, hidden):
        if self.padding == 0:
            hidden = F.pad(hidden, (0, 1, 0, 1), mode="constant", value=0)
        return self.conv(hidden)


class Upsample2D(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.conv = nn.Conv2d(channels, channels, 3, padding=1)

    def forward(self, hidden, output_size=None):
        if output_size is None:
            hidden = F.interpolate(hidden, scale_factor=2.0, mode="nearest")
        else:
            hidden = F.interpolate(hidden, size=output_size, mode="nearest")
        return self.conv(hidden)


class Attention(nn.Module):
    def __init__(self, query_dim, cross_attention_dim=None, heads=8, dim_head=64, bias=False, norm_num_groups=None, eps=1e-5,
                 residual_connection=False):
        super().__init__()
        inner_dim = heads * dim_head
        cross_attention_dim = cross_attention_dim or query_dim
        self.heads = heads
        self.residual_connection = residual_connection
        self.group_norm = nn.GroupNorm(norm_num_groups, query_dim, eps=eps, affine=True) if norm_num_groups else None
        self.to_q = nn.Linear(query_dim, inner_dim, bias=bias)
        self.to_k = nn.Linear(cross_attention_dim, inner_dim, bias=bias)
        self.to_v = nn.Linear(cross_attention_dim, inner_dim, bias=bias)
        self.to_out = nn.ModuleList([nn.Linear(inner_dim, query_dim, bias=True), nn.Dropout(0.0)])

    def forward(self, hidden_states, encoder_hidden_states=None):
        residual = hidden_states
        spatial = hidden_states.ndim == 4
        if spatial:
            batch, channel, height, width = hidden_states.shape
            hidden_states = hidden_states.view(batch, channel, height * width).transpose(1, 2)
        if self.group_norm is not None:
            hidden_states = self.group_norm(hidden_states.transpose(1, 2)).transpose(1, 2)
        if encoder_hidden_states is None:
            encoder_hidden_states = hidden_states
        query = self.to_q(hidden_states)
        key = self.to_k(encoder_hidden_states)
        value = self.to_v(encoder_hidden_states)
        batch = query.shape[0]
        head_dim = key.shape[-1] // self.heads
        query, key, value = (x.view(batch, -1, self.heads, head_dim).transpose(1, 2) for x in (query, key, value))
        hidden_states = attention(query, key, value).transpose(1, 2).reshape(batch, -1, self.heads * head_dim)
        hidden_states = self.to_out[1](self.to_out[0](hidden_states))
        if spatial:
            hidden_states = hidden_states.transpose(-1, -2).reshape(batch, channel, height, width)
        if self.residual_connection:
            hidden_states = hidden_states + residual
        return hidden_states


class GEGLU(nn.Module):
    def __init__(self, dim_in, dim_out):
        super().__init__()
        self.proj = nn.Linear(dim_in, dim_out * 2)

    def forward(self, hidden):
        hidden, gate = self.proj(hidden).chunk(2, dim=-1)
        return hidden * F.gelu(gate)


class FeedForward(nn.Module):
    def __init__(self, dim, mult=4):
        super().__init__()
        inner_dim = int(dim * mult)
        self.net = nn.ModuleList([GEGLU(dim, inner_dim), nn.Dropout(0.0), nn.Linear(inner_dim, dim)])

    def forward(self, hidden):
        for module in self.net:
            hidden = module(hidden)
        return hidden


class BasicTransformerBlock(nn.Module):
    def __init__(self, dim, heads, dim_head, cross_attention_dim):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim, elementwise_affine=True, eps=1e-5)
        self.attn1 = Attention(dim, None, heads, dim_head)
        self.norm2 = nn.LayerNorm(dim, elementwise_affine=True, eps=1e-5)
        self.attn2 = Attention(dim, cross_attention_dim, heads, dim_head)
        self.norm3 = nn.LayerNorm(dim, elementwise_affine=True, eps=1e-5)
        self.ff = FeedForward(dim)

    def forward(self, hidden, encoder_hidden_states):
        hidden = self.attn1(self.norm1(hidden)) + hidden
        hidden = self.attn2(self.norm2(hidden), encoder_hidden_states) + hidden
        return self.ff(self.norm3(hidden)) + hidden


class Transformer2DModel(nn.Module):
    def __init__(self, heads, dim_head, in_channels, num_layers, cross_attention_dim, norm_num_groups, use_linear_projection):
        super().__init__()
        inner_dim = heads * dim_head
        self.use_linear_projection = use_linear_projection
        self.norm = nn.GroupNorm(norm_num_groups, in_channels, eps=1e-6, affine=True)
        self.proj_in = nn.Linear(in_channels, inner_dim) if use_linear_projection else nn.Conv2d(in_channels, inner_dim, 1)
        self.transformer_blocks = nn.ModuleList(
            [BasicTransformerBlock(inner_dim, heads, dim_head, cross_attention_dim) for _ in range(num_layers)])
        self.proj_out = nn.Linear(inner_dim, in_channels) if use_linear_projection else nn.Conv2d(inner_dim, in_channels, 1)

    def forward(self, hidden, encoder_hidden_states):
        batch, _, height, width = hidden.shape
        residual = hidden
        hidden = self.norm(hidden)
        if not self.use_linear_projection:
            hidden = self.proj_in(hidden)
            inner_dim = hidden.shape[1]
            hidden = hidden.permute(0, 2, 3, 1).reshape(batch, height * width, inner_dim)
        else:
            inner_dim = hidden.shape[1]
            hidden = self.proj_in(hidden.permute(0, 2, 3, 1).reshape(batch, height * width, inner_dim))
            inner_dim = hidden.shape[-1]
        for block in self.transformer_blocks:
            hidden = block(hidden, encoder_hidden_states)
        if not self.use_linear_projection:
            hidden = hidden.reshape(batch, height, width, inner_dim).permute(0, 3, 1, 2).contiguous()
            hidden = self.proj_out(hidden)
        else:
            hidden = self.proj_out(hidden)
            hidden = hidden.reshape(batch, height, width, -1).permute(0, 3, 1, 2).contiguous()
        return hidden + residual


# ---- UNet blocks ----

class UNetSettings:
    """The per-block values a UNet or ControlNet config implies, as diffusers' constructors derive them."""

    def __init__(self, config):
        self.config = config
        count = len(config["block_out_channels"])
        heads = config.get("num_attention_heads") or config.get("attention_head_dim", 8)
        self.heads = per_block(heads, count)
        self.transformer_layers = per_block(config.get("transformer_layers_per_block", 1), count)
        self.temb = config["block_out_channels"][0] * 4

    def resnet(self, in_channels, out_channels):
        return ResnetBlock2D(in_channels, out_channels, self.temb, self.config["norm_num_groups"], self.config["norm_eps"])

    def transformer(self, channels, block):
        heads = self.heads[block]
        return Transformer2DModel(heads, channels // heads, channels, self.transformer_layers[block], self.config["cross_attention_dim"],
                                  self.config["norm_num_groups"], self.config.get("use_linear_projection", False))


class CrossAttnDownBlock2D(nn.Module):
    def __init__(self, s, block, in_channels, out_channels, add_downsample):
        super().__init__()
        layers = s.config["layers_per_block"]
        self.attentions = nn.ModuleList([s.transformer(out_channels, block) for _ in range(layers)])
        self.resnets = nn.ModuleList([s.resnet(in_channels if i == 0 else out_channels, out_channels) for i in range(layers)])
        if add_downsample:
            self.downsamplers = nn.ModuleList([Downsample2D(out_channels, s.config.get("downsample_padding", 1))])
        else:
            self.downsamplers = None

    def forward(self, hidden, temb, encoder_hidden_states):
        states = ()
        for resnet, attn in zip(self.resnets, self.attentions):
            hidden = attn(resnet(hidden, temb), encoder_hidden_states)
            states += (hidden,)
        if self.downsamplers is not None:
            hidden = self.downsamplers[0](hidden)
            states += (hidden,)
        return hidden, states


class DownBlock2D(nn.Module):
    def __init__(self, s, block, in_channels, out_channels, add_downsample):
        super().__init__()
        layers = s.config["layers_per_block"]
        self.resnets = nn.ModuleList([s.resnet(in_channels if i == 0 else out_channels, out_channels) for i in range(layers)])
        if add_downsample:
            self.downsamplers = nn.ModuleList([Downsample2D(out_channels, s.config.get("downsample_padding", 1))])
        else:
            self.downsamplers = None

    def forward(self, hidden, temb, encoder_hidden_states):
        states = ()
        for resnet in self.resnets:
            hidden = resnet(hidden, temb)
            states += (hidden,)
        if self.downsamplers is not None:
            hidden = self.downsamplers[0](hidden)
            states += (hidden,)
        return hidden, states


class UNetMidBlock2DCrossAttn(nn.Module):
    def __init__(self, s):
        super().__init__()
        channels = s.config["block_out_channels"][-1]
        last = len(s.config["block_out_channels"]) - 1
        self.attentions = nn.ModuleList([s.transformer(channels, last)])
        self.resnets = nn.ModuleList([s.resnet(channels, channels), s.resnet(channels, channels)])

    def forward(self, hidden, temb, encoder_hidden_states):
        hidden = self.resnets[0](hidden, temb)
        for attn, resnet in zip(self.attentions, self.resnets[1:]):
            hidden = resnet(attn(hidden, encoder_hidden_states), temb)
        return hidden


class CrossAttnUpBlock2D(nn.Module):
    def __init__(self, s, level, in_channels, prev_output_channel, out_channels, add_upsample):
        super().__init__()
        layers = s.config["layers_per_block"] + 1
        resnets, attentions = [], []
        for i in range(layers):
            skip_channels = in_channels if i == layers - 1 else out_channels
            resnet_in = prev_output_channel if i == 0 else out_channels
            resnets.append(s.resnet(resnet_in + skip_channels, out_channels))
            attentions.append(s.transformer(out_channels, level))
        self.attentions = nn.ModuleList(attentions)
        self.resnets = nn.ModuleList(resnets)
        self.upsamplers = nn.ModuleList([Upsample2D(out_channels)]) if add_upsample else None

    def forward(self, hidden, skips, temb, encoder_hidden_states, upsample_size):
        for resnet, attn in zip(self.resnets, self.attentions):
            hidden = torch.cat([hidden, skips[-1]], dim=1)
            skips = skips[:-1]
            hidden = attn(resnet(hidden, temb), encoder_hidden_states)
        if self.upsamplers is not None:
            hidden = self.upsamplers[0](hidden, upsample_size)
        return hidden


class UpBlock2D(nn.Module):
    def __init__(self, s, level, in_channels, prev_output_channel, out_channels, add_upsample):
        super().__init__()
        layers = s.config["layers_per_block"] + 1
        resnets = []
        for i in range(layers):
            skip_channels = in_channels if i == layers - 1 else out_channels
            resnet_in = prev_output_channel if i == 0 else out_channels
            resnets.append(s.resnet(resnet_in + skip_channels, out_channels))
        self.resnets = nn.ModuleList(resnets)
        self.upsamplers = nn.ModuleList([Upsample2D(out_channels)]) if add_upsample else None

    def forward(self, hidden, skips, temb, encoder_hidden_states, upsample_size):
        for resnet in self.resnets:
            hidden = torch.cat([hidden, skips[-1]], dim=1)
            skips = skips[:-1]
            hidden = resnet(hidden, temb)
        if self.upsamplers is not None:
            hidden = self.upsamplers[0](hidden, upsample_size)
        return hidden


DOWN_BLOCKS = {"CrossAttnDownBlock2D": CrossAttnDownBlock2D, "DownBlock2D": DownBlock2D}
UP_BLOCKS = {"CrossAttnUpBlock2D": CrossAttnUpBlock2D, "UpBlock2D": UpBlock2D}


def build_down_blocks(s):
    """diffusers' down-block loop (shared by UNet2DConditionModel and ControlNetModel)."""
    blocks = nn.ModuleList([])
    channels = s.config["block_out_channels"]
    output_channel = channels[0]
    for i, block_type in enumerate(s.config["down_block_types"]):
        input_channel, output_channel = output_channel, channels[i]
        blocks.append(DOWN_BLOCKS[block_type](s, i, input_channel, output_channel, add_downsample=i != len(channels) - 1))
    return blocks


def embed_time(time_proj, time_embedding, timesteps, sample):
    timesteps = timesteps.expand(sample.shape[0])
    return time_embedding(time_proj(timesteps).to(dtype=sample.dtype))


class UNet2DConditionModel(nn.Module):
    def __init__(self, config):
        super().__init__()
        s = UNetSettings(config)
        channels = config["block_out_channels"]
        self.conv_in = nn.Conv2d(config["in_channels"], channels[0], 3, padding=1)
        self.time_proj = Timesteps(channels[0], config.get("flip_sin_to_cos", True), config.get("freq_shift", 0))
        self.time_embedding = TimestepEmbedding(channels[0], s.temb)
        self.down_blocks = build_down_blocks(s)
        self.up_blocks = nn.ModuleList([])
        self.mid_block = UNetMidBlock2DCrossAttn(s)
        reversed_channels = list(reversed(channels))
        output_channel = reversed_channels[0]
        self.num_upsamplers = 0
        for i, block_type in enumerate(config["up_block_types"]):
            is_final = i == len(channels) - 1
            prev_output_channel, output_channel = output_channel, reversed_channels[i]
            input_channel = reversed_channels[min(i + 1, len(channels) - 1)]
            self.num_upsamplers += 0 if is_final else 1
            level = len(channels) - 1 - i
            self.up_blocks.append(UP_BLOCKS[block_type](s, level, input_channel, prev_output_channel, output_channel, not is_final))
        self.conv_norm_out = nn.GroupNorm(config["norm_num_groups"], channels[0], eps=config["norm_eps"])
        self.conv_act = nn.SiLU()
        self.conv_out = nn.Conv2d(channels[0], config["out_channels"], 3, padding=1)

    def forward(self, sample, timesteps, encoder_hidden_states, down_block_additional_residuals=None, mid_block_additional_residual=None):
        up_factor = 2 ** self.num_upsamplers
        forward_upsample_size = any(size % up_factor != 0 for size in sample.shape[-2:])
        emb = embed_time(self.time_proj, self.time_embedding, timesteps, sample)
        sample = self.conv_in(sample)
        skips = (sample,)
        for block in self.down_blocks:
            sample, states = block(sample, emb, encoder_hidden_states)
            skips += states
        if down_block_additional_residuals is not None:
            skips = tuple(skip + residual for skip, residual in zip(skips, down_block_additional_residuals))
        sample = self.mid_block(sample, emb, encoder_hidden_states)
        if mid_block_additional_residual is not None:
            sample = sample + mid_block_additional_residual
        for i, block in enumerate(self.up_blocks):
            taken = skips[-len(block.resnets):]
            skips = skips[:-len(block.resnets)]
            upsample_size = skips[-1].shape[2:] if i != len(self.up_blocks) - 1 and forward_upsample_size else None
            sample = block(sample, taken, emb, encoder_hidden_states, upsample_size)
        return self.conv_out(self.conv_act(self.conv_norm_out(sample)))


# ---- ControlNet ----

def zero_module(module):
    for p in module.parameters():
        nn.init.zeros_(p)
    return module


class ControlNetConditioningEmbedding(nn.Module):
    def __init__(self, conditioning_embedding_channels, conditioning_channels, block_out_channels):
        super().__init__()
        self.conv_in = nn.Conv2d(conditioning_channels, block_out_channels[0], 3, padding=1)
        self.blocks = nn.ModuleList([])
        for i in range(len(block_out_channels) - 1):
            self.blocks.append(nn.Conv2d(block_out_channels[i], block_out_channels[i], 3, padding=1))
            self.blocks.append(nn.Conv2d(block_out_channels[i], block_out_channels[i + 1], 3, padding=1, stride=2))
        self.conv_out = zero_module(nn.Conv2d(block_out_channels[-1], conditioning_embedding_channels, 3, padding=1))

    def forward(self, conditioning):
        embedding = F.silu(self.conv_in(conditioning))
        for block in self.blocks:
            embedding = F.silu(block(embedding))
        return self.conv_out(embedding)


class ControlNetModel(nn.Module):
    def __init__(self, config):
        super().__init__()
        s = UNetSettings(config)
        channels = config["block_out_channels"]
        self.conv_in = nn.Conv2d(config["in_channels"], channels[0], 3, padding=1)
        self.time_proj = Timesteps(channels[0], config.get("flip_sin_to_cos", True), config.get("freq_shift", 0))
        self.time_embedding = TimestepEmbedding(channels[0], s.temb)
        self.controlnet_cond_embedding = ControlNetConditioningEmbedding(
            channels[0], config.get("conditioning_channels", 3), config.get("conditioning_embedding_out_channels", (16, 32, 96, 256)))
        self.down_blocks = build_down_blocks(s)
        self.controlnet_down_blocks = nn.ModuleList([zero_module(nn.Conv2d(channels[0], channels[0], 1))])
        for i, block in enumerate(self.down_blocks):
            for _ in range(config["layers_per_block"] + (1 if i != len(channels) - 1 else 0)):
                self.controlnet_down_blocks.append(zero_module(nn.Conv2d(channels[i], channels[i], 1)))
        self.controlnet_mid_block = zero_module(nn.Conv2d(channels[-1], channels[-1], 1))
        self.mid_block = UNetMidBlock2DCrossAttn(s)

    def forward(self, sample, timesteps, encoder_hidden_states, controlnet_cond, conditioning_scale=1.0):
        emb = embed_time(self.time_proj, self.time_embedding, timesteps, sample)
        sample = self.conv_in(sample) + self.controlnet_cond_embedding(controlnet_cond)
        skips = (sample,)
        for block in self.down_blocks:
            sample, states = block(sample, emb, encoder_hidden_states)
            skips += states
        sample = self.mid_block(sample, emb, encoder_hidden_states)
        down = [conv(skip) * conditioning_scale for skip, conv in zip(skips, self.controlnet_down_blocks)]
        return down, self.controlnet_mid_block(sample) * conditioning_scale


# ---- VAE ----

class DownEncoderBlock2D(nn.Module):
    def __init__(self, in_channels, out_channels, layers, add_downsample, groups):
        super().__init__()
        self.resnets = nn.ModuleList(
            [ResnetBlock2D(in_channels if i == 0 else out_channels, out_channels, None, groups, 1e-6) for i in range(layers)])
        self.downsamplers = nn.ModuleList([Downsample2D(out_channels, padding=0)]) if add_downsample else None

    def forward(self, hidden):
        for resnet in self.resnets:
            hidden = resnet(hidden, None)
        if self.downsamplers is not None:
            hidden = self.downsamplers[0](hidden)
        return hidden


class UpDecoderBlock2D(nn.Module):
    def __init__(self, in_channels, out_channels, layers, add_upsample, groups):
        super().__init__()
        self.resnets = nn.ModuleList(
            [ResnetBlock2D(in_channels if i == 0 else out_channels, out_channels, None, groups, 1e-6) for i in range(layers)])
        self.upsamplers = nn.ModuleList([Upsample2D(out_channels)]) if add_upsample else None

    def forward(self, hidden):
        for resnet in self.resnets:
            hidden = resnet(hidden, None)
        if self.upsamplers is not None:
            hidden = self.upsamplers[0](hidden)
        return hidden


class UNetMidBlock2D(nn.Module):
    def __init__(self, channels, groups):
        super().__init__()
        self.attentions = nn.ModuleList([Attention(channels, heads=1, dim_head=channels, bias=True, norm_num_groups=groups, eps=1e-6,
                                                   residual_connection=True)])
        self.resnets = nn.ModuleList([ResnetBlock2D(channels, channels, None, groups, 1e-6) for _ in range(2)])

    def forward(self, hidden):
        hidden = self.resnets[0](hidden, None)
        return self.resnets[1](self.attentions[0](hidden), None)


class Encoder(nn.Module):
    def __init__(self, config):
        super().__init__()
        channels, groups = config["block_out_channels"], config["norm_num_groups"]
        self.conv_in = nn.Conv2d(config["in_channels"], channels[0], 3, padding=1)
        self.down_blocks = nn.ModuleList([])
        output_channel = channels[0]
        for i in range(len(channels)):
            input_channel, output_channel = output_channel, channels[i]
            self.down_blocks.append(DownEncoderBlock2D(input_channel, output_channel, config["layers_per_block"], i != len(channels) - 1, groups))
        self.mid_block = UNetMidBlock2D(channels[-1], groups)
        self.conv_norm_out = nn.GroupNorm(groups, channels[-1], eps=1e-6)
        self.conv_act = nn.SiLU()
        self.conv_out = nn.Conv2d(channels[-1], 2 * config["latent_channels"], 3, padding=1)

    def forward(self, sample):
        sample = self.conv_in(sample)
        for block in self.down_blocks:
            sample = block(sample)
        return self.conv_out(self.conv_act(self.conv_norm_out(self.mid_block(sample))))


class Decoder(nn.Module):
    def __init__(self, config):
        super().__init__()
        channels, groups = config["block_out_channels"], config["norm_num_groups"]
        self.conv_in = nn.Conv2d(config["latent_channels"], channels[-1], 3, padding=1)
        self.up_blocks = nn.ModuleList([])
        self.mid_block = UNetMidBlock2D(channels[-1], groups)
        reversed_channels = list(reversed(channels))
        output_channel = reversed_channels[0]
        for i in range(len(channels)):
            prev_output_channel, output_channel = output_channel, reversed_channels[i]
            self.up_blocks.append(UpDecoderBlock2D(prev_output_channel, output_channel, config["layers_per_block"] + 1,
                                                   i != len(channels) - 1, groups))
        self.conv_norm_out = nn.GroupNorm(groups, channels[0], eps=1e-6)
        self.conv_act = nn.SiLU()
        self.conv_out = nn.Conv2d(channels[0], config["out_channels"], 3, padding=1)

    def forward(self, z):
        sample = self.mid_block(self.conv_in(z))
        for block in self.up_blocks:
            sample = block(sample)
        return self.conv_out(self.conv_act(self.conv_norm_out(sample)))


class AutoencoderKL(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.encoder = Encoder(config)
        self.decoder = Decoder(config)
        self.quant_conv = nn.Conv2d(2 * config["latent_channels"], 2 * config["latent_channels"], 1)
        self.post_quant_conv = nn.Conv2d(config["latent_channels"], config["latent_channels"], 1)

    def encode(self, x):
        """The latent distribution's mean and clamped log-variance (diffusers' DiagonalGaussianDistribution)."""
        mean, logvar = torch.chunk(self.quant_conv(self.encoder(x)), 2, dim=1)
        return mean, torch.clamp(logvar, -30.0, 20.0)

    def decode(self, z):
        return self.decoder(self.post_quant_conv(z))
