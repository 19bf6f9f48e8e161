#!/usr/bin/python3
"""Writes the tiny CLIP checkpoint and the reference outputs that the C# CLIP encoder tests compare with.

The CLIP below is plain PyTorch, built after the structure and names of transformers' modeling_clip.py (which
is not installed here), so its state dict has a transformers CLIPModel checkpoint's keys. Run it with Debian's
interpreter, which has python3-torch 1.13.1 (the libtorch build the C# binding links), and commit the output:

    /usr/bin/python3 tests/ContextDiffusion.Model.Tests/Encoders/Reference/make_clip_reference.py

It writes, into tiny_clip/ beside this file:
  config.json            a CLIPModel config: the towers under text_config and vision_config
  model.safetensors      a CLIPModel checkpoint by transformers' key names, with the position_ids buffers
                         that checkpoints saved by older transformers carry
  reference.safetensors  inputs and outputs of each case: text/*, vision/*, preprocess/*, context/*
"""
import json
import pathlib
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

here = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(here.parents[2] / "ContextDiffusion.Torch.Tests" / "Parity"))
from parity import write_safetensors  # noqa: E402

TEXT = dict(vocab_size=528, hidden_size=32, intermediate_size=48, num_hidden_layers=2, num_attention_heads=4,
            max_position_embeddings=77, hidden_act="quick_gelu", layer_norm_eps=1e-5, projection_dim=24,
            pad_token_id=1, bos_token_id=526, eos_token_id=527)
# Another width than the text's, and the other activation.
VISION = dict(hidden_size=40, intermediate_size=56, num_hidden_layers=2, num_attention_heads=4, image_size=30,
              patch_size=6, num_channels=3, hidden_act="gelu", layer_norm_eps=1e-5, projection_dim=24)
CONFIG = dict(architectures=["CLIPModel"], model_type="clip", projection_dim=24, text_config=TEXT, vision_config=VISION)

MEAN = torch.tensor([0.48145466, 0.4578275, 0.40821073]).view(1, 3, 1, 1)
STD = torch.tensor([0.26862954, 0.26130258, 0.27577711]).view(1, 3, 1, 1)

ACTIVATIONS = {"quick_gelu": lambda x: x * torch.sigmoid(1.702 * x), "gelu": F.gelu}


class Attention(nn.Module):
    def __init__(self, c):
        super().__init__()
        width = c["hidden_size"]
        self.heads = c["num_attention_heads"]
        self.k_proj = nn.Linear(width, width)
        self.v_proj = nn.Linear(width, width)
        self.q_proj = nn.Linear(width, width)
        self.out_proj = nn.Linear(width, width)

    def forward(self, x, causal):
        n, t, width = x.shape

        def split(y):
            return y.view(n, t, self.heads, -1).transpose(1, 2)

        q, k, v = split(self.q_proj(x)), split(self.k_proj(x)), split(self.v_proj(x))
        scores = q @ k.transpose(-1, -2) * (width // self.heads) ** -0.5
        if causal:
            scores = scores + torch.full((t, t), float("-inf")).triu(1)
        attended = scores.softmax(-1) @ v
        return self.out_proj(attended.transpose(1, 2).reshape(n, t, width))


class Mlp(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.act = ACTIVATIONS[c["hidden_act"]]
        self.fc1 = nn.Linear(c["hidden_size"], c["intermediate_size"])
        self.fc2 = nn.Linear(c["intermediate_size"], c["hidden_size"])

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x)))


class EncoderLayer(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.self_attn = Attention(c)
        self.layer_norm1 = nn.LayerNorm(c["hidden_size"], eps=c["layer_norm_eps"])
        self.mlp = Mlp(c)
        self.layer_norm2 = nn.LayerNorm(c["hidden_size"], eps=c["layer_norm_eps"])

    def forward(self, x, causal):
        x = x + self.self_attn(self.layer_norm1(x), causal)
        return x + self.mlp(self.layer_norm2(x))


class Encoder(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.layers = nn.ModuleList([EncoderLayer(c) for _ in range(c["num_hidden_layers"])])

    def forward(self, x, causal):
        for layer in self.layers:
            x = layer(x, causal)
        return x


class TextEmbeddings(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.token_embedding = nn.Embedding(c["vocab_size"], c["hidden_size"])
        self.position_embedding = nn.Embedding(c["max_position_embeddings"], c["hidden_size"])

    def forward(self, ids):
        return self.token_embedding(ids) + self.position_embedding(torch.arange(ids.shape[1]))


class TextTransformer(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.eos = c["eos_token_id"]
        self.embeddings = TextEmbeddings(c)
        self.encoder = Encoder(c)
        self.final_layer_norm = nn.LayerNorm(c["hidden_size"], eps=c["layer_norm_eps"])

    def forward(self, ids):
        last = self.final_layer_norm(self.encoder(self.embeddings(ids), causal=True))
        first_eos = (ids == self.eos).int().argmax(-1)
        return last, last[torch.arange(ids.shape[0]), first_eos]


class VisionEmbeddings(nn.Module):
    def __init__(self, c):
        super().__init__()
        width = c["hidden_size"]
        self.class_embedding = nn.Parameter(torch.randn(width))
        self.patch_embedding = nn.Conv2d(c["num_channels"], width, c["patch_size"], stride=c["patch_size"], bias=False)
        positions = (c["image_size"] // c["patch_size"]) ** 2 + 1
        self.position_embedding = nn.Embedding(positions, width)

    def forward(self, pixels):
        patches = self.patch_embedding(pixels).flatten(2).transpose(1, 2)
        tokens = torch.cat([self.class_embedding.expand(pixels.shape[0], 1, -1), patches], dim=1)
        return tokens + self.position_embedding.weight


class VisionTransformer(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.embeddings = VisionEmbeddings(c)
        self.pre_layrnorm = nn.LayerNorm(c["hidden_size"], eps=c["layer_norm_eps"])
        self.encoder = Encoder(c)
        self.post_layernorm = nn.LayerNorm(c["hidden_size"], eps=c["layer_norm_eps"])

    def forward(self, pixels):
        last = self.encoder(self.pre_layrnorm(self.embeddings(pixels)), causal=False)
        return last, self.post_layernorm(last[:, 0])


class ClipModel(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.text_model = TextTransformer(c["text_config"])
        self.vision_model = VisionTransformer(c["vision_config"])
        self.visual_projection = nn.Linear(c["vision_config"]["hidden_size"], c["projection_dim"], bias=False)
        self.text_projection = nn.Linear(c["text_config"]["hidden_size"], c["projection_dim"], bias=False)
        self.logit_scale = nn.Parameter(torch.tensor(2.6592))


def randomize(model):
    """Every parameter random, norm scales around 1: no zero bias or unit scale hides a misplaced weight."""
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "layer_norm" in name or "layrnorm" in name:
                p.copy_(1 + 0.1 * torch.randn_like(p) if name.endswith("weight") else 0.1 * torch.randn_like(p))
            else:
                p.normal_(0, 0.2)
    return model


def preprocess(images, size):
    """CLIPImageProcessor on float [-1, 1] images: shorter side to `size` (bicubic, antialiased, as PIL),
    clipped as PIL's 8-bit output is, centre crop, CLIP's normalisation."""
    h, w = images.shape[-2:]
    nh, nw = (size, int(size * w / h)) if h <= w else (int(size * h / w), size)
    resized = F.interpolate((images + 1) / 2, size=(nh, nw), mode="bicubic", align_corners=False, antialias=True)
    top, left = (nh - size) // 2, (nw - size) // 2
    square = resized.clamp(0, 1)[..., top:top + size, left:left + size]
    return (square - MEAN) / STD


def text_ids(lengths, eos, pad, vocab):
    """Start-of-text, random prompt tokens, end-of-text, then padding: the tokenizer's layout."""
    rows = []
    for length, pad_id in zip(lengths, pad):
        row = torch.full((77,), pad_id, dtype=torch.long)
        row[0] = TEXT["bos_token_id"]
        row[1:1 + length] = torch.randint(0, vocab - 2, (length,))
        row[1 + length] = eos
        rows.append(row)
    return torch.stack(rows)


def main():
    torch.manual_seed(0)
    torch.set_num_threads(1)
    out = here / "tiny_clip"
    out.mkdir(exist_ok=True)
    model = randomize(ClipModel(CONFIG)).eval()
    ref = {}
    with torch.no_grad():
        # Padded with end-of-text (Stable Diffusion 1.5's tokenizer) and with id 0 (Stable Diffusion 2's).
        ids = text_ids([4, 20], TEXT["eos_token_id"], [TEXT["eos_token_id"], 0], TEXT["vocab_size"])
        last, pooled = model.text_model(ids)
        ref.update({"text/input_ids": ids, "text/last_hidden_state": last, "text/pooler_output": pooled})

        pixels = torch.randn(2, 3, VISION["image_size"], VISION["image_size"])
        last, pooled = model.vision_model(pixels)
        ref.update({"vision/pixel_values": pixels, "vision/last_hidden_state": last, "vision/pooler_output": pooled,
                    "vision/image_embeds": model.visual_projection(pooled)})

        for name, shape in [("wide", (2, 3, 41, 57)), ("tall_upscaled", (1, 3, 17, 13))]:
            images = torch.rand(shape) * 2 - 1
            ref[f"preprocess/{name}/images"] = images
            ref[f"preprocess/{name}/pixel_values"] = preprocess(images, VISION["image_size"])

        projection = randomize(nn.Linear(VISION["hidden_size"], TEXT["hidden_size"]))
        images = torch.rand(2, 2, 3, 41, 57) * 2 - 1
        weights = torch.tensor([[1.0, 0.5], [0.25, 2.0]])
        tokens, _ = model.vision_model(preprocess(images.flatten(0, 1), VISION["image_size"]))
        projected = projection(tokens).view(2, 2, tokens.shape[1], -1)
        ref.update({"context/images": images, "context/weights": weights,
                    "context/projection.weight": projection.weight, "context/projection.bias": projection.bias,
                    "context/tokens": (projected * weights[:, :, None, None]).sum(1)})

    checkpoint = dict(model.state_dict())
    checkpoint["text_model.embeddings.position_ids"] = torch.arange(TEXT["max_position_embeddings"])[None]
    positions = (VISION["image_size"] // VISION["patch_size"]) ** 2 + 1
    checkpoint["vision_model.embeddings.position_ids"] = torch.arange(positions)[None]
    write_safetensors(out / "model.safetensors", checkpoint, {"format": "pt"})
    write_safetensors(out / "reference.safetensors", ref, {"torch": torch.__version__})
    (out / "config.json").write_text(json.dumps(CONFIG, indent=2) + "\n")
    print(f"wrote {len(checkpoint)} checkpoint tensors and {len(ref)} reference tensors to {out}")


if __name__ == "__main__":
    main()
