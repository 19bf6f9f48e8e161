"""Tensor-level ops: shapes, joins and splits, indexing, clamps and lerps, reductions, batched products."""
import torch

from parity import Cases


def build():
    c = Cases("tensor")
    x = torch.randn(3, 4)
    y = torch.randn(3, 4)

    # Shapes
    c.add("unsqueeze", lambda a: a.unsqueeze(1), [x])
    c.add("squeeze_all", lambda a: a.squeeze(), [torch.randn(3, 1, 4, 1)])
    c.add("squeeze_dim", lambda a: a.squeeze(-1), [torch.randn(3, 1, 4, 1)])
    c.add("flatten", lambda a: a.flatten(1, 2), [torch.randn(2, 3, 4, 5)])
    c.add("expand", lambda a: a.expand(2, 3, 4), [torch.randn(3, 1)])
    c.add("repeat", lambda a: a.repeat(2, 1, 3), [torch.randn(2, 3)])
    c.add("flip", lambda a: a.flip(0, 1), [x])
    c.add("roll", lambda a: a.roll((1, -2), (0, 1)), [x])
    c.add("cat", lambda a, b: torch.cat([a, b], dim=0), [torch.randn(2, 3), torch.randn(4, 3)])
    c.add("cat_last_dim", lambda a, b: torch.cat([a, b], dim=-1), [torch.randn(2, 3), torch.randn(2, 5)])
    c.add("stack", lambda a, b: torch.stack([a, b], dim=1), [x, y])
    c.add("chunk", lambda a: a.chunk(3, dim=0), [torch.randn(5, 4)])
    c.add("split_size", lambda a: a.split(2, dim=1), [torch.randn(3, 5)])
    c.add("split_sizes", lambda a: a.split([1, 2, 3], dim=0), [torch.randn(6, 2)])

    # Indexing
    c.add("select", lambda a: a.select(1, -1), [x])
    c.add("narrow", lambda a: a.narrow(1, 1, 2), [x])
    c.add("slice_step", lambda a: a[:, 1::2], [torch.randn(3, 7)])
    c.add("slice_negative", lambda a: a[-3:-1], [torch.randn(5, 2)])
    c.add("index_select", lambda a, i: a.index_select(0, i), [x, torch.tensor([2, 0, 2])])
    c.add("gather", lambda a, i: a.gather(1, i), [x, torch.tensor([[0, 3], [1, 1], [2, 0]])])
    c.add("masked_fill", lambda a: a.masked_fill(a > 0.5, -1e4), [x])
    c.add("where", lambda a, b: torch.where(a > b, a, b * 2.0), [x, y])
    c.add("index_rows", lambda a, i: a[i], [x, torch.tensor([1, 1, 0])])
    c.add("index_mask", lambda a: a[a > 0], [x])
    c.add("index_second_dim", lambda a, i: a[:, i], [x, torch.tensor([3, 0])])
    c.add("index_put_accumulate",
          lambda a, v, i: a.index_put((i,), v, accumulate=True), [x, torch.randn(4, 4), torch.tensor([0, 2, 0, 1])])
    c.add("index_put_pairs",
          lambda a, v, i, j: a.index_put((i, j), v), [x, torch.randn(2), torch.tensor([0, 2]), torch.tensor([3, 1])])

    # Elementwise extras
    c.add("clamp", lambda a: a.clamp(-0.5, 0.5), [x])
    c.add("clamp_min", lambda a: a.clamp(min=0.1), [x])
    c.add("clamp_tensor", lambda a, lo, hi: a.clamp(lo, hi), [x, torch.full((4,), -0.3), torch.rand(3, 1)])
    c.add("lerp_scalar", lambda a, b: torch.lerp(a, b, 0.3), [x, y])
    c.add("lerp_tensor", lambda a, b, w: torch.lerp(a, b, w), [x, y, torch.rand(4)])

    # Reductions and scans
    c.add("max_dim", lambda a: a.max(dim=1), [x])
    c.add("min_dim_keepdim", lambda a: a.min(dim=0, keepdim=True), [x])
    c.add("argmax_all", lambda a: a.argmax(), [x])
    c.add("argmin_dim", lambda a: a.argmin(dim=1, keepdim=True), [x])
    c.add("var_dims", lambda a: a.var(dim=(0, 2)), [torch.randn(2, 3, 4)])
    c.add("var_biased_all", lambda a: a.var(unbiased=False), [x])
    c.add("std_dim_keepdim", lambda a: a.std(dim=1, keepdim=True), [x])
    c.add("std_all", lambda a: a.std(), [x])
    c.add("norm_frobenius", lambda a: a.norm(), [x])
    c.add("norm_dim", lambda a: torch.linalg.vector_norm(a, 2, dim=1, keepdim=True), [x])
    c.add("norm_p1", lambda a: torch.linalg.vector_norm(a, 1, dim=(0,)), [x])
    c.add("logsumexp_dim", lambda a: a.logsumexp(dim=1), [x])
    c.add("logsumexp_all", lambda a: torch.logsumexp(a, dim=(0, 1)), [x])
    c.add("cumsum", lambda a: a.cumsum(dim=1), [x])
    c.add("all_any", lambda a: ((a > -3).all(), (a > 1).any(dim=1), (a > 0).all(dim=0, keepdim=True)), [x])

    # Products and creation
    c.add("bmm", lambda a, b: torch.bmm(a, b), [torch.randn(2, 3, 5), torch.randn(2, 5, 4)])
    c.add("baddbmm", lambda i, a, b: torch.baddbmm(i, a, b, beta=0.5, alpha=2.0),
          [torch.randn(2, 3, 4), torch.randn(2, 3, 5), torch.randn(2, 5, 4)])
    c.add("outer", lambda a, b: torch.outer(a, b), [torch.randn(3), torch.randn(5)])
    c.add("linspace", lambda steps: torch.linspace(-1.3, 2.7, int(steps)), [torch.tensor(9)])
    return c
