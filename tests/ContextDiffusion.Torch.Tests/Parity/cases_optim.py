"""Optimization: AdamW steps, gradient clipping, weight averaging, learning-rate schedules, autocast.

Besides op cases (Cases.add), an optimizer case stores a run: the starting parameters, the gradient
fed at each step and the parameters after each step. The C# tests use the same hyperparameters
(OptimParityTests.cs); change both together.
"""
import math

import torch

from parity import Cases

NAMES = ("w", "b")


def put(c, key, tensor):
    c.tensors[key] = tensor.detach().clone()


def adamw_run(c, name, steps, skip_b_at, lrs):
    """AdamW(betas=(0.9, 0.99), eps=1e-6, weight_decay=0.1) over `steps` steps, with the learning rate
    set before each step and parameter b given no gradient at step `skip_b_at` (skipped: its own step
    count lags behind w's from then on).
    NAME/lr: the learning rates; NAME/start/P; NAME/grad{k}/P; NAME/after{k}/P; NAME/exp_avg/P and
    NAME/exp_avg_sq/P after the last step."""
    params = {"w": torch.randn(4, 3).requires_grad_(), "b": torch.randn(3).requires_grad_()}
    optimizer = torch.optim.AdamW(params.values(), lr=lrs[0], betas=(0.9, 0.99), eps=1e-6, weight_decay=0.1)
    put(c, f"{name}/lr", torch.tensor(lrs, dtype=torch.float64))
    for p_name, p in params.items():
        put(c, f"{name}/start/{p_name}", p)
    for k in range(steps):
        for p_name, p in params.items():
            if p_name == "b" and k == skip_b_at:
                p.grad = None
                continue
            p.grad = torch.randn_like(p) * (k + 1)
            put(c, f"{name}/grad{k}/{p_name}", p.grad)
        optimizer.param_groups[0]["lr"] = lrs[k]
        optimizer.step()
        for p_name, p in params.items():
            put(c, f"{name}/after{k}/{p_name}", p)
    for p_name, p in params.items():
        put(c, f"{name}/exp_avg/{p_name}", optimizer.state[p]["exp_avg"])
        put(c, f"{name}/exp_avg_sq/{p_name}", optimizer.state[p]["exp_avg_sq"])


def clip_case(c, name, scale, max_norm):
    """clip_grad_norm_ over three parameters, one without a gradient.
    NAME/grad/P before, NAME/clipped/P after, NAME/total_norm."""
    params = {"w": torch.zeros(4, 3, requires_grad=True), "b": torch.zeros(3, requires_grad=True),
              "unused": torch.zeros(2, requires_grad=True)}
    for p_name in ("w", "b"):
        params[p_name].grad = torch.randn_like(params[p_name]) * scale
        put(c, f"{name}/grad/{p_name}", params[p_name].grad)
    total = torch.nn.utils.clip_grad_norm_(params.values(), max_norm)
    put(c, f"{name}/total_norm", total)
    for p_name in ("w", "b"):
        put(c, f"{name}/clipped/{p_name}", params[p_name].grad)


def ema_case(c, name, decay, warmup, updates):
    """A hand-written EMA (diffusers' EMAModel update rule and warm-up) over a sequence of weights.
    NAME/start/P the weights the averages start from, NAME/param{k}/P the weights given to update k,
    NAME/average{k}/P the averages after it."""
    params = {"w": torch.randn(4, 3), "b": torch.randn(3)}
    averages = {p_name: p.clone() for p_name, p in params.items()}
    for p_name, p in params.items():
        put(c, f"{name}/start/{p_name}", p)
    for k in range(updates):
        for p_name in params:
            params[p_name] = params[p_name] + 0.1 * torch.randn_like(params[p_name])
            put(c, f"{name}/param{k}/{p_name}", params[p_name])
        d = (0.0 if k == 0 else min(decay, (1 + k) / (10 + k))) if warmup else decay
        for p_name in params:
            averages[p_name].sub_((1 - d) * (averages[p_name] - params[p_name]))
            put(c, f"{name}/average{k}/{p_name}", averages[p_name])


def schedule_case(c, name, lr_lambda, steps):
    """The learning rates torch's LambdaLR gives at steps 0..steps-1 (NAME/lr, float64)."""
    optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=1e-3)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lr_lambda)
    lrs = []
    for _ in range(steps):
        lrs.append(scheduler.get_last_lr()[0])
        optimizer.step()
        scheduler.step()
    put(c, f"{name}/lr", torch.tensor(lrs, dtype=torch.float64))


def warmup_cosine(warmup, total, final_ratio):
    def factor(step):
        if step < warmup:
            return step / warmup
        progress = min(1.0, (step - warmup) / max(1, total - warmup))
        return final_ratio + (1 - final_ratio) * 0.5 * (1 + math.cos(math.pi * progress))
    return factor


def autocast_matmul(a, b):
    with torch.autocast("cpu", dtype=torch.bfloat16):
        return a @ b


def build():
    c = Cases("optim")
    adamw_run(c, "adamw", steps=5, skip_b_at=2, lrs=[1e-2, 2e-2, 3e-2, 2e-2, 1e-2])
    clip_case(c, "clip_above", scale=3.0, max_norm=1.0)
    clip_case(c, "clip_below", scale=0.01, max_norm=1.0)
    ema_case(c, "ema_warmup", decay=0.9, warmup=True, updates=20)
    ema_case(c, "ema_constant", decay=0.75, warmup=False, updates=5)
    schedule_case(c, "schedule_cosine", warmup_cosine(10, 50, 0.1), 60)
    schedule_case(c, "schedule_constant", lambda step: step / 10 if step < 10 else 1.0, 20)
    c.add("autocast_matmul_bf16", autocast_matmul, [torch.randn(3, 5), torch.randn(5, 2)])
    return c
