#!/usr/bin/python3
"""Writes fixtures/diffusers.safetensors: the PyTorch reference results of the C# diffusers port.

Run with Debian's interpreter (python3-torch 1.13.1, the libtorch build the C# binding links):
    /usr/bin/python3 tests/ContextDiffusion.Model.Tests/Diffusers/Reference/make_fixture.py

Each case stores, in the layout of the binding's parity fixtures (tests/ContextDiffusion.Torch.Tests/Parity):
  NAME/param/KEY   the module's weights by their diffusers state-dict keys
  NAME/in{i}       the inputs
  NAME/out{j}      the outputs
The configs of the tiny models are stored as diffusers config.json text in the file's metadata
("config/NAME"), so the C# tests build exactly these networks.
"""
import json
import pathlib
import sys

import torch
import torch.nn as nn

here = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(here))
sys.path.insert(0, str(here.parents[2] / "ContextDiffusion.Torch.Tests" / "Parity"))

import diffusers_reference as ref  # noqa: E402
from parity import Cases, write_safetensors  # noqa: E402

UNET = {
    "_class_name": "UNet2DConditionModel", "sample_size": 8, "in_channels": 4, "out_channels": 4,
    "block_out_channels": [8, 16], "layers_per_block": 1,
    "down_block_types": ["CrossAttnDownBlock2D", "DownBlock2D"], "up_block_types": ["UpBlock2D", "CrossAttnUpBlock2D"],
    "cross_attention_dim": 12, "attention_head_dim": 2, "norm_num_groups": 4, "norm_eps": 1e-05,
    "flip_sin_to_cos": True, "freq_shift": 0, "downsample_padding": 1, "act_fn": "silu", "use_linear_projection": False,
}
# Three levels, two layers, linear projections, per-block heads and transformer depths.
UNET_LINEAR = dict(UNET, **{
    "block_out_channels": [8, 8, 16], "layers_per_block": 2,
    "down_block_types": ["CrossAttnDownBlock2D", "CrossAttnDownBlock2D", "DownBlock2D"],
    "up_block_types": ["UpBlock2D", "CrossAttnUpBlock2D", "CrossAttnUpBlock2D"],
    "attention_head_dim": [2, 4, 4], "transformer_layers_per_block": [1, 2, 2], "use_linear_projection": True,
})
CONTROLNET = {k: v for k, v in UNET.items() if k not in ("sample_size", "out_channels", "up_block_types")}
CONTROLNET.update({"_class_name": "ControlNetModel", "conditioning_channels": 3, "conditioning_embedding_out_channels": [4, 8]})
CONTROLNET_PIXEL = dict(CONTROLNET, conditioning_embedding_out_channels=[4])
VAE = {
    "_class_name": "AutoencoderKL", "in_channels": 3, "out_channels": 3, "latent_channels": 4,
    "down_block_types": ["DownEncoderBlock2D"] * 3, "up_block_types": ["UpDecoderBlock2D"] * 3,
    "block_out_channels": [8, 16, 16], "layers_per_block": 1, "norm_num_groups": 4, "act_fn": "silu",
    "sample_size": 12, "scaling_factor": 0.18215,
}


def randomize(module):
    """Non-trivial values where PyTorch starts from constants: norm scales and shifts, zero convolutions."""
    with torch.no_grad():
        for m in module.modules():
            if isinstance(m, (nn.GroupNorm, nn.LayerNorm)):
                m.weight.copy_(1 + 0.2 * torch.randn_like(m.weight))
                m.bias.copy_(0.2 * torch.randn_like(m.bias))
            elif isinstance(m, (nn.Conv2d, nn.Linear)) and not m.weight.any():
                m.weight.copy_(0.2 * torch.randn_like(m.weight))
                if m.bias is not None:
                    m.bias.copy_(0.2 * torch.randn_like(m.bias))
    return module.eval()


def build():
    c = Cases("diffusers")

    def case(name, module, fn, inputs):
        c.add(name, fn, inputs, module=randomize(module), grad=False)

    t = torch.tensor([0.0, 1.0, 500.0, 999.0])
    timesteps = ref.Timesteps(32)
    case("timesteps", timesteps, timesteps, [t])
    odd = ref.Timesteps(7, flip_sin_to_cos=False, downscale_freq_shift=1)
    case("timesteps_odd", odd, odd, [t])
    embedding = ref.TimestepEmbedding(8, 32)
    case("timestep_embedding", embedding, embedding, [torch.randn(2, 8)])

    resnet = ref.ResnetBlock2D(8, 16, 32, groups=4, eps=1e-5)
    case("resnet", resnet, resnet, [torch.randn(2, 8, 6, 5), torch.randn(2, 32)])
    resnet_vae = ref.ResnetBlock2D(8, 8, None, groups=4, eps=1e-6)
    case("resnet_vae", resnet_vae, lambda x: resnet_vae(x, None), [torch.randn(2, 8, 6, 5)])
    down = ref.Downsample2D(8, padding=1)
    case("downsample", down, down, [torch.randn(2, 8, 7, 6)])
    down_vae = ref.Downsample2D(8, padding=0)
    case("downsample_vae", down_vae, down_vae, [torch.randn(2, 8, 7, 6)])
    up = ref.Upsample2D(8)
    case("upsample", up, up, [torch.randn(2, 8, 3, 4)])
    case("upsample_size", up, lambda x: up(x, (7, 5)), [torch.randn(2, 8, 4, 3)])

    tokens, context = torch.randn(2, 10, 16), torch.randn(2, 5, 12)
    self_attention = ref.Attention(16, None, heads=2, dim_head=8)
    case("attention_self", self_attention, self_attention, [tokens])
    cross_attention = ref.Attention(16, 12, heads=2, dim_head=6)
    case("attention_cross", cross_attention, cross_attention, [tokens, context])
    vae_attention = ref.Attention(16, heads=1, dim_head=16, bias=True, norm_num_groups=4, eps=1e-6, residual_connection=True)
    case("attention_vae", vae_attention, vae_attention, [torch.randn(2, 16, 3, 4)])
    ff = ref.FeedForward(16)
    case("feed_forward", ff, ff, [tokens])
    block = ref.BasicTransformerBlock(16, heads=2, dim_head=8, cross_attention_dim=12)
    case("basic_transformer_block", block, block, [tokens, context])
    feature_map = torch.randn(2, 16, 3, 4)
    transformer = ref.Transformer2DModel(2, 8, 16, 1, 12, 4, use_linear_projection=False)
    case("transformer_conv", transformer, transformer, [feature_map, context])
    transformer_linear = ref.Transformer2DModel(2, 8, 16, 2, 12, 4, use_linear_projection=True)
    case("transformer_linear", transformer_linear, transformer_linear, [feature_map, context])

    sample, t2 = torch.randn(2, 4, 8, 8), torch.tensor([10.0, 900.0])
    controlnet = ref.ControlNetModel(CONTROLNET)
    image = torch.randn(2, 3, 16, 16)
    case("controlnet", controlnet, lambda *x: flatten(controlnet(*x, conditioning_scale=0.7)), [sample, t2, context, image])
    controlnet_pixel = ref.ControlNetModel(CONTROLNET_PIXEL)
    case("controlnet_pixel", controlnet_pixel, lambda *x: flatten(controlnet_pixel(*x)), [sample, t2, context, torch.randn(2, 3, 8, 8)])

    # The UNet alone (out0), and with the ControlNet's residuals added (out1).
    unet = ref.UNet2DConditionModel(UNET)
    residuals = [c.tensors[f"controlnet/out{j}"] for j in range(len(controlnet.controlnet_down_blocks) + 1)]
    case("unet", unet, lambda s, tt, ctx, *r: (unet(s, tt, ctx), unet(s, tt, ctx, list(r[:-1]), r[-1])), [sample, t2, context, *residuals])
    # Sides that do not halve evenly: the upsamplers resize to the skip connections' sizes.
    unet_linear = ref.UNet2DConditionModel(UNET_LINEAR)
    case("unet_linear_odd", unet_linear, unet_linear, [torch.randn(1, 4, 7, 5), torch.tensor([321.0]), context[:1]])

    # Encoding an image (out0 mean, out1 log-variance) and decoding a latent (out2).
    vae = ref.AutoencoderKL(VAE)
    case("vae", vae, lambda x, z: (*vae.encode(x), vae.decode(z)), [torch.randn(2, 3, 12, 12), torch.randn(2, 4, 3, 3)])

    configs = {"unet": UNET, "unet_linear_odd": UNET_LINEAR, "controlnet": CONTROLNET, "controlnet_pixel": CONTROLNET_PIXEL, "vae": VAE}
    return c, {f"config/{name}": json.dumps(config) for name, config in configs.items()}


def flatten(controlnet_output):
    down, mid = controlnet_output
    return [*down, mid]


if __name__ == "__main__":
    torch.set_num_threads(1)  # deterministic reductions
    cases, configs = build()
    write_safetensors(str(here / "fixtures" / "diffusers.safetensors"), cases.tensors, {"torch": torch.__version__, **configs})
    print(f"diffusers: {len({k.split('/')[0] for k in cases.tensors})} cases")
