"""Core tensor ops: elementwise math, matmul, reductions, views."""
import torch
import torch.nn.functional as F

from parity import Cases


def build():
    c = Cases("core")
    x = torch.randn(3, 4)
    y = torch.randn(3, 4)
    row = torch.randn(4)
    pos = torch.rand(3, 4) + 0.5
    c.add("add_broadcast", lambda a, b: a + b, [x, row])
    c.add("sub", lambda a, b: a - b, [x, y])
    c.add("mul", lambda a, b: a * b, [x, y])
    c.add("div", lambda a, b: a / b, [x, pos])
    c.add("pow", lambda a: a.pow(3.0), [x])
    c.add("scalar_ops", lambda a: (2.0 - a) * 0.5 + 1.0, [x])
    c.add("maximum", lambda a, b: torch.maximum(a, b), [x, y])
    for name, fn in [("exp", torch.exp), ("log", torch.log), ("sqrt", torch.sqrt), ("rsqrt", torch.rsqrt),
                     ("reciprocal", torch.reciprocal)]:
        c.add(name, fn, [pos])
    for name, fn in [("neg", torch.neg), ("abs", torch.abs), ("sin", torch.sin), ("cos", torch.cos),
                     ("tanh", torch.tanh), ("sigmoid", torch.sigmoid), ("relu", torch.relu),
                     ("silu", F.silu), ("gelu", F.gelu), ("gelu_tanh", lambda a: F.gelu(a, approximate="tanh")),
                     ("square", torch.square), ("erf", torch.erf)]:
        c.add(name, fn, [x])
    c.add("matmul", lambda a, b: a @ b, [torch.randn(3, 5), torch.randn(5, 2)])
    c.add("matmul_batched", lambda a, b: a @ b, [torch.randn(2, 3, 5), torch.randn(5, 4)])
    c.add("sum_all", lambda a: a.sum(), [x])
    c.add("sum_dim", lambda a: a.sum(dim=1, keepdim=True), [x])
    c.add("mean_dims", lambda a: a.mean(dim=(0, 2)), [torch.randn(2, 3, 4)])
    c.add("amax_dim", lambda a: a.amax(dim=0), [x])
    c.add("reshape_permute", lambda a: a.reshape(2, 6, 2).permute(2, 0, 1).contiguous(), [torch.randn(4, 6)])
    c.add("transpose", lambda a: a.transpose(0, 1) * 2.0, [x])
    return c
