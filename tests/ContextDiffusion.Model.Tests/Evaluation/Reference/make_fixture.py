#!/usr/bin/python3
"""Writes fixtures/evaluation.safetensors: reference results for the evaluation metrics' C# tests.

Run with Debian's interpreter (python3-torch 1.13.1, the libtorch build the shim links; numpy):
    /usr/bin/python3 tests/ContextDiffusion.Model.Tests/Evaluation/Reference/make_fixture.py

Keys follow the parity fixtures' convention (tests/ContextDiffusion.Torch.Tests/Parity/README.md):
NAME/in{i} and NAME/out{j}. The references are independent of the C# code paths:
- image_metrics: RMSE, PSNR and SSIM in numpy float64, SSIM as scikit-image's structural_similarity
  (gaussian_weights=True, sigma=1.5, use_sample_covariance=False, data_range=1, channel_axis=0):
  scipy.ndimage.gaussian_filter (truncate 3.5, mode 'reflect') over each channel, 5-pixel border cropped.
- frechet: tr sqrt(S1 S2) from numpy's non-symmetric eigenvalues of S1 S2; for singular covariances from
  features, the nuclear norm of X1 X2^T (numpy's SVD); np.cov for feature statistics.
- inception: pytorch-fid's FID Inception (torchvision's Inception3 with FIDInceptionA/C/E_1/E_2),
  transcribed below since torchvision is not installed, with deterministic weights (see fill_weights)
  and a reduced input size; the metadata lists its full state dict (name -> shape).
"""
import json
import math
import pathlib
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

here = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(here.parents[2] / "ContextDiffusion.Torch.Tests" / "Parity"))
from parity import write_safetensors  # noqa: E402

INCEPTION_INPUT_SIZE = 139  # InceptionFeatureExtractorTests.ReducedInputSize
INCEPTION_WEIGHT_SEED = 7   # InceptionFeatureExtractorTests.WeightSeed


# ---- image metrics ----

def gaussian_filter_reflect(image, sigma=1.5, truncate=3.5):
    """scipy.ndimage.gaussian_filter of a 2-D float64 array, mode 'reflect' (d c b a | a b c d | d c b a)."""
    radius = int(truncate * sigma + 0.5)
    x = np.arange(-radius, radius + 1)
    kernel = np.exp(-0.5 * x * x / (sigma * sigma))
    kernel /= kernel.sum()
    for axis in (0, 1):
        padded = np.pad(image, [(radius, radius) if a == axis else (0, 0) for a in (0, 1)], mode="symmetric")
        length = image.shape[axis]
        image = sum(w * np.take(padded, np.arange(i, i + length), axis=axis) for i, w in enumerate(kernel))
    return image


def ssim_channel(x, y):
    ux, uy = gaussian_filter_reflect(x), gaussian_filter_reflect(y)
    uxx, uyy, uxy = gaussian_filter_reflect(x * x), gaussian_filter_reflect(y * y), gaussian_filter_reflect(x * y)
    vx, vy, vxy = uxx - ux * ux, uyy - uy * uy, uxy - ux * uy
    c1, c2 = 0.01 ** 2, 0.03 ** 2
    s = (2 * ux * uy + c1) * (2 * vxy + c2) / ((ux ** 2 + uy ** 2 + c1) * (vx + vy + c2))
    pad = 5
    return s[pad:-pad, pad:-pad].mean(dtype=np.float64)


def image_metrics(output, target):
    """Per image: RMSE, PSNR and SSIM of [-1, 1] images mapped to [0, 1] and clamped."""
    x = np.clip((output.double().numpy() + 1) / 2, 0, 1)
    y = np.clip((target.double().numpy() + 1) / 2, 0, 1)
    rmse = np.sqrt(((x - y) ** 2).mean(axis=(1, 2, 3)))
    psnr = 10 * np.log10(1 / rmse ** 2)
    ssim = np.array([np.mean([ssim_channel(x[n, c], y[n, c]) for c in range(x.shape[1])]) for n in range(x.shape[0])])
    return [torch.from_numpy(v) for v in (rmse, psnr, ssim)]


# ---- Frechet distance ----

def frechet(mu1, s1, mu2, s2):
    eig = np.linalg.eigvals(s1 @ s2)
    trace_sqrt = np.sqrt(np.clip(eig.real, 0, None)).sum()
    return float(((mu1 - mu2) ** 2).sum() + np.trace(s1) + np.trace(s2) - 2 * trace_sqrt)


def frechet_of_features(a, b):
    """The same distance from (N, D) samples without the spurious square roots of the zero eigenvalues of
    singular covariances: with S = X^T X for centred X / sqrt(N - 1), tr sqrt(S1 S2) is the nuclear norm of X1 X2^T."""
    x1, x2 = [(f - f.mean(axis=0)) / math.sqrt(len(f) - 1) for f in (a, b)]
    trace_sqrt = np.linalg.svd(x1 @ x2.T, compute_uv=False).sum()
    mean_term = ((a.mean(axis=0) - b.mean(axis=0)) ** 2).sum()
    return float(mean_term + (x1 ** 2).sum() + (x2 ** 2).sum() - 2 * trace_sqrt)


def random_covariance(rng, d):
    a = rng.standard_normal((d, d))
    return a @ a.T / d


# ---- FID Inception (pytorch-fid's patches of torchvision's Inception3) ----

class BasicConv2d(nn.Module):
    def __init__(self, cin, cout, **kw):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, bias=False, **kw)
        self.bn = nn.BatchNorm2d(cout, eps=0.001)

    def forward(self, x):
        return F.relu(self.bn(self.conv(x)))


def avg_pool_no_pad(x):
    return F.avg_pool2d(x, kernel_size=3, stride=1, padding=1, count_include_pad=False)


class FIDInceptionA(nn.Module):
    def __init__(self, cin, pool_features):
        super().__init__()
        self.branch1x1 = BasicConv2d(cin, 64, kernel_size=1)
        self.branch5x5_1 = BasicConv2d(cin, 48, kernel_size=1)
        self.branch5x5_2 = BasicConv2d(48, 64, kernel_size=5, padding=2)
        self.branch3x3dbl_1 = BasicConv2d(cin, 64, kernel_size=1)
        self.branch3x3dbl_2 = BasicConv2d(64, 96, kernel_size=3, padding=1)
        self.branch3x3dbl_3 = BasicConv2d(96, 96, kernel_size=3, padding=1)
        self.branch_pool = BasicConv2d(cin, pool_features, kernel_size=1)

    def forward(self, x):
        return torch.cat([
            self.branch1x1(x),
            self.branch5x5_2(self.branch5x5_1(x)),
            self.branch3x3dbl_3(self.branch3x3dbl_2(self.branch3x3dbl_1(x))),
            self.branch_pool(avg_pool_no_pad(x)),
        ], 1)


class InceptionB(nn.Module):
    def __init__(self, cin):
        super().__init__()
        self.branch3x3 = BasicConv2d(cin, 384, kernel_size=3, stride=2)
        self.branch3x3dbl_1 = BasicConv2d(cin, 64, kernel_size=1)
        self.branch3x3dbl_2 = BasicConv2d(64, 96, kernel_size=3, padding=1)
        self.branch3x3dbl_3 = BasicConv2d(96, 96, kernel_size=3, stride=2)

    def forward(self, x):
        return torch.cat([
            self.branch3x3(x),
            self.branch3x3dbl_3(self.branch3x3dbl_2(self.branch3x3dbl_1(x))),
            F.max_pool2d(x, kernel_size=3, stride=2),
        ], 1)


class FIDInceptionC(nn.Module):
    def __init__(self, cin, c7):
        super().__init__()
        self.branch1x1 = BasicConv2d(cin, 192, kernel_size=1)
        self.branch7x7_1 = BasicConv2d(cin, c7, kernel_size=1)
        self.branch7x7_2 = BasicConv2d(c7, c7, kernel_size=(1, 7), padding=(0, 3))
        self.branch7x7_3 = BasicConv2d(c7, 192, kernel_size=(7, 1), padding=(3, 0))
        self.branch7x7dbl_1 = BasicConv2d(cin, c7, kernel_size=1)
        self.branch7x7dbl_2 = BasicConv2d(c7, c7, kernel_size=(7, 1), padding=(3, 0))
        self.branch7x7dbl_3 = BasicConv2d(c7, c7, kernel_size=(1, 7), padding=(0, 3))
        self.branch7x7dbl_4 = BasicConv2d(c7, c7, kernel_size=(7, 1), padding=(3, 0))
        self.branch7x7dbl_5 = BasicConv2d(c7, 192, kernel_size=(1, 7), padding=(0, 3))
        self.branch_pool = BasicConv2d(cin, 192, kernel_size=1)

    def forward(self, x):
        b7 = self.branch7x7_3(self.branch7x7_2(self.branch7x7_1(x)))
        b7dbl = self.branch7x7dbl_1(x)
        for conv in (self.branch7x7dbl_2, self.branch7x7dbl_3, self.branch7x7dbl_4, self.branch7x7dbl_5):
            b7dbl = conv(b7dbl)
        return torch.cat([self.branch1x1(x), b7, b7dbl, self.branch_pool(avg_pool_no_pad(x))], 1)


class InceptionD(nn.Module):
    def __init__(self, cin):
        super().__init__()
        self.branch3x3_1 = BasicConv2d(cin, 192, kernel_size=1)
        self.branch3x3_2 = BasicConv2d(192, 320, kernel_size=3, stride=2)
        self.branch7x7x3_1 = BasicConv2d(cin, 192, kernel_size=1)
        self.branch7x7x3_2 = BasicConv2d(192, 192, kernel_size=(1, 7), padding=(0, 3))
        self.branch7x7x3_3 = BasicConv2d(192, 192, kernel_size=(7, 1), padding=(3, 0))
        self.branch7x7x3_4 = BasicConv2d(192, 192, kernel_size=3, stride=2)

    def forward(self, x):
        b7x3 = self.branch7x7x3_4(self.branch7x7x3_3(self.branch7x7x3_2(self.branch7x7x3_1(x))))
        return torch.cat([self.branch3x3_2(self.branch3x3_1(x)), b7x3, F.max_pool2d(x, kernel_size=3, stride=2)], 1)


class FIDInceptionE(nn.Module):
    """FIDInceptionE_1 (max_pool False) and FIDInceptionE_2 (max_pool True)."""

    def __init__(self, cin, max_pool):
        super().__init__()
        self.max_pool = max_pool
        self.branch1x1 = BasicConv2d(cin, 320, kernel_size=1)
        self.branch3x3_1 = BasicConv2d(cin, 384, kernel_size=1)
        self.branch3x3_2a = BasicConv2d(384, 384, kernel_size=(1, 3), padding=(0, 1))
        self.branch3x3_2b = BasicConv2d(384, 384, kernel_size=(3, 1), padding=(1, 0))
        self.branch3x3dbl_1 = BasicConv2d(cin, 448, kernel_size=1)
        self.branch3x3dbl_2 = BasicConv2d(448, 384, kernel_size=3, padding=1)
        self.branch3x3dbl_3a = BasicConv2d(384, 384, kernel_size=(1, 3), padding=(0, 1))
        self.branch3x3dbl_3b = BasicConv2d(384, 384, kernel_size=(3, 1), padding=(1, 0))
        self.branch_pool = BasicConv2d(cin, 192, kernel_size=1)

    def forward(self, x):
        b3 = self.branch3x3_1(x)
        b3dbl = self.branch3x3dbl_2(self.branch3x3dbl_1(x))
        pooled = F.max_pool2d(x, kernel_size=3, stride=1, padding=1) if self.max_pool else avg_pool_no_pad(x)
        return torch.cat([
            self.branch1x1(x),
            self.branch3x3_2a(b3), self.branch3x3_2b(b3),
            self.branch3x3dbl_3a(b3dbl), self.branch3x3dbl_3b(b3dbl),
            self.branch_pool(pooled),
        ], 1)


class FIDInception(nn.Module):
    """fid_inception_v3(): Inception3(num_classes=1008, aux_logits=False) with the FID blocks; forward is
    pytorch-fid's InceptionV3 up to block 3 (pool3 features) on [-1, 1] input."""

    def __init__(self):
        super().__init__()
        self.Conv2d_1a_3x3 = BasicConv2d(3, 32, kernel_size=3, stride=2)
        self.Conv2d_2a_3x3 = BasicConv2d(32, 32, kernel_size=3)
        self.Conv2d_2b_3x3 = BasicConv2d(32, 64, kernel_size=3, padding=1)
        self.Conv2d_3b_1x1 = BasicConv2d(64, 80, kernel_size=1)
        self.Conv2d_4a_3x3 = BasicConv2d(80, 192, kernel_size=3)
        self.Mixed_5b = FIDInceptionA(192, pool_features=32)
        self.Mixed_5c = FIDInceptionA(256, pool_features=64)
        self.Mixed_5d = FIDInceptionA(288, pool_features=64)
        self.Mixed_6a = InceptionB(288)
        self.Mixed_6b = FIDInceptionC(768, c7=128)
        self.Mixed_6c = FIDInceptionC(768, c7=160)
        self.Mixed_6d = FIDInceptionC(768, c7=160)
        self.Mixed_6e = FIDInceptionC(768, c7=192)
        self.Mixed_7a = InceptionD(768)
        self.Mixed_7b = FIDInceptionE(1280, max_pool=False)
        self.Mixed_7c = FIDInceptionE(2048, max_pool=True)
        self.fc = nn.Linear(2048, 1008)

    def forward(self, x, size):
        x = F.interpolate(x, size=(size, size), mode="bilinear", align_corners=False)
        x = self.Conv2d_2b_3x3(self.Conv2d_2a_3x3(self.Conv2d_1a_3x3(x)))
        x = F.max_pool2d(x, kernel_size=3, stride=2)
        x = self.Conv2d_4a_3x3(self.Conv2d_3b_1x1(x))
        x = F.max_pool2d(x, kernel_size=3, stride=2)
        for name in ("5b", "5c", "5d", "6a", "6b", "6c", "6d", "6e", "7a", "7b", "7c"):
            x = getattr(self, "Mixed_" + name)(x)
        return F.adaptive_avg_pool2d(x, (1, 1)).flatten(1)


def fill_weights(model, seed):
    """Deterministic, well-scaled weights the C# test reproduces draw for draw: one torch.rand per tensor
    from a generator seeded with `seed`, in sorted key order, skipping fc and num_batches_tracked."""
    g = torch.Generator().manual_seed(seed)
    state = model.state_dict()
    for key in sorted(k for k in state if not k.startswith("fc.") and not k.endswith("num_batches_tracked")):
        t = state[key]
        u = torch.rand(t.shape, generator=g)
        if key.endswith("conv.weight"):
            value = (u * 2 - 1) * math.sqrt(6 / t[0].numel())  # He-uniform: variance 2 / fan_in
        elif key.endswith("bn.weight"):
            value = u * 0.4 + 0.8
        elif key.endswith("bn.bias") or key.endswith("bn.running_mean"):
            value = u * 0.2 - 0.1
        elif key.endswith("bn.running_var"):
            value = u + 0.5
        else:
            raise KeyError(key)
        t.copy_(value)


def build():
    torch.manual_seed(0)
    tensors = {}

    target = torch.rand(2, 3, 24, 20) * 2 - 1
    output = target + 0.3 * torch.randn(2, 3, 24, 20)  # partly outside [-1, 1]: clamped
    tensors["image_metrics/in0"], tensors["image_metrics/in1"] = output, target
    for j, value in enumerate(image_metrics(output, target)):
        tensors[f"image_metrics/out{j}"] = value

    rng = np.random.default_rng(0)
    mu1, mu2 = rng.standard_normal(6), rng.standard_normal(6)
    s1, s2 = random_covariance(rng, 6), random_covariance(rng, 6)
    for i, value in enumerate((mu1, s1, mu2, s2)):
        tensors[f"frechet/in{i}"] = torch.from_numpy(value)
    tensors["frechet/out0"] = torch.tensor([frechet(mu1, s1, mu2, s2)], dtype=torch.float64)

    # Fewer samples than dimensions: singular covariances, as FID on a small evaluation set has.
    a, b = rng.standard_normal((5, 8)), rng.standard_normal((6, 8)) + 0.5
    stats = [(f.mean(axis=0), np.cov(f, rowvar=False)) for f in (a, b)]
    tensors["frechet_features/in0"], tensors["frechet_features/in1"] = torch.from_numpy(a), torch.from_numpy(b)
    tensors["frechet_features/out0"] = torch.from_numpy(stats[0][1])
    tensors["frechet_features/out1"] = torch.tensor([frechet_of_features(a, b)], dtype=torch.float64)

    model = FIDInception().eval()
    fill_weights(model, INCEPTION_WEIGHT_SEED)
    images = torch.rand(2, 3, 64, 80) * 2 - 1
    with torch.no_grad():
        features = model(images, INCEPTION_INPUT_SIZE)
    print(f"inception features: mean {features.mean():.3f}, std {features.std():.3f}, max {features.max():.3f}")
    tensors["inception/in0"], tensors["inception/out0"] = images, features

    state_dict = {k: list(v.shape) for k, v in model.state_dict().items()}
    metadata = {"torch": torch.__version__, "inception_state_dict": json.dumps(state_dict)}
    return tensors, metadata


if __name__ == "__main__":
    torch.set_num_threads(1)  # deterministic reductions
    tensors, metadata = build()
    (here / "fixtures").mkdir(exist_ok=True)
    write_safetensors(str(here / "fixtures" / "evaluation.safetensors"), tensors, metadata)
    print(f"{len({k.split('/')[0] for k in tensors})} cases")
