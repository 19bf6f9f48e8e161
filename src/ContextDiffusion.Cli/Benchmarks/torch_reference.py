#!/usr/bin/python3
"""PyTorch eager reference for `cdiff bench torch` (run by it with Debian's /usr/bin/python3).

Runs the same stack of UNet-style blocks as the C# side (BenchTorchCommand / UNetStyleBlock), forward
and backward, and times a tiny op, with the thread count it is given. Prints one JSON object.
"""
import argparse
import json
import math
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Attention(nn.Module):
    """Multi-head attention by its math (PyTorch 1.13 has no fused scaled_dot_product_attention)."""

    def __init__(self, dim, context_dim, heads):
        super().__init__()
        self.heads = heads
        self.to_q = nn.Linear(dim, dim, bias=False)
        self.to_k = nn.Linear(context_dim, dim, bias=False)
        self.to_v = nn.Linear(context_dim, dim, bias=False)
        self.to_out = nn.Linear(dim, dim)

    def forward(self, x, context):
        b, n, c = x.shape
        h = self.heads
        q = self.to_q(x).reshape(b, n, h, c // h).transpose(1, 2)
        k = self.to_k(context).reshape(b, -1, h, c // h).transpose(1, 2)
        v = self.to_v(context).reshape(b, -1, h, c // h).transpose(1, 2)
        weights = torch.softmax(q @ k.transpose(-1, -2) * (1.0 / math.sqrt(c // h)), dim=-1)
        out = (weights @ v).transpose(1, 2).reshape(b, n, c)
        return self.to_out(out)


class Block(nn.Module):
    def __init__(self, channels, context_dim, heads):
        super().__init__()
        self.norm1 = nn.GroupNorm(32, channels)
        self.conv1 = nn.Conv2d(channels, channels, 3, padding=1)
        self.norm2 = nn.GroupNorm(32, channels)
        self.conv2 = nn.Conv2d(channels, channels, 3, padding=1)
        self.norm_self = nn.LayerNorm(channels)
        self.self_attn = Attention(channels, channels, heads)
        self.norm_cross = nn.LayerNorm(channels)
        self.cross_attn = Attention(channels, context_dim, heads)
        self.norm_ff = nn.LayerNorm(channels)
        self.ff1 = nn.Linear(channels, channels * 4)
        self.ff2 = nn.Linear(channels * 4, channels)

    def forward(self, x, context):
        x = x + self.conv2(F.silu(self.norm2(self.conv1(F.silu(self.norm1(x))))))
        b, c, hh, ww = x.shape
        t = x.flatten(2).transpose(1, 2)
        n = self.norm_self(t)
        t = t + self.self_attn(n, n)
        t = t + self.cross_attn(self.norm_cross(t), context)
        t = t + self.ff2(F.gelu(self.ff1(self.norm_ff(t))))
        return t.transpose(1, 2).reshape(b, c, hh, ww)


def median_seconds(fn, runs, warmup):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, required=True)
    p.add_argument("--batch", type=int, default=8)
    p.add_argument("--size", type=int, default=64)
    p.add_argument("--channels", type=int, default=128)
    p.add_argument("--context-tokens", type=int, default=77)
    p.add_argument("--heads", type=int, default=4)
    p.add_argument("--blocks", type=int, default=2)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--dispatch-calls", type=int, default=200000)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)

    blocks = nn.ModuleList([Block(a.channels, a.channels, a.heads) for _ in range(a.blocks)])
    x = torch.randn(a.batch, a.channels, a.size, a.size)
    context = torch.randn(a.batch, a.context_tokens, a.channels)

    def step():
        h = x
        for block in blocks:
            h = block(h, context)
        h.mean().backward()
        blocks.zero_grad(set_to_none=True)

    fwd_bwd = median_seconds(step, a.runs, warmup=1)

    one, two = torch.ones(1), torch.ones(1)

    def dispatch():
        for _ in range(a.dispatch_calls):
            one + two

    per_call = median_seconds(dispatch, 5, warmup=1) / a.dispatch_calls
    print(json.dumps({"fwd_bwd_s": fwd_bwd, "dispatch_us": per_call * 1e6, "threads": torch.get_num_threads(),
                      "torch": torch.__version__}))


if __name__ == "__main__":
    main()
