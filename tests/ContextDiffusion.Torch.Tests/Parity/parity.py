"""Writes PyTorch reference results for the C# parity tests (see README.md beside this file).

A case is a function of some input tensors (and optionally a module's parameters). For each case
the fixture file stores, under the case's name:
  NAME/in{i}          the inputs
  NAME/out{j}         the outputs
  NAME/grad_out{j}    a random upstream gradient for each floating-point output
  NAME/grad_in{i}     d(sum_j out_j * grad_out_j)/d(in_i), for floating inputs that take gradients
  NAME/param/P        a module's parameters (and buffers) by their state_dict names
  NAME/grad_param/P   the gradients of those parameters
"""
import json
import struct

import torch

DTYPES = {
    torch.float32: "F32", torch.float64: "F64", torch.float16: "F16", torch.bfloat16: "BF16",
    torch.int64: "I64", torch.int32: "I32", torch.int16: "I16", torch.int8: "I8",
    torch.uint8: "U8", torch.bool: "BOOL",
}


def write_safetensors(path, tensors, metadata=None):
    header, blobs, offset = {}, [], 0
    if metadata:
        header["__metadata__"] = metadata
    for name, t in tensors.items():
        t = t.detach().contiguous().cpu()
        # Viewed as bytes, because numpy has no bfloat16.
        data = t.reshape(-1).view(torch.uint8).numpy().tobytes() if t.dtype != torch.bool else t.numpy().tobytes()
        header[name] = {"dtype": DTYPES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    raw = json.dumps(header).encode()
    raw += b" " * ((8 - len(raw) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(raw)))
        f.write(raw)
        for b in blobs:
            f.write(b)


class Cases:
    """Collects the cases of one area; write() saves them as fixtures/AREA.safetensors."""

    def __init__(self, area, seed=0):
        self.area = area
        self.tensors = {}
        torch.manual_seed(seed)

    def add(self, name, fn, inputs, module=None, grad=True):
        assert not any(k.startswith(name + "/") for k in self.tensors), f"duplicate case {name}"
        inputs = [x.clone() for x in inputs]
        for x in inputs:
            if grad and x.is_floating_point():
                x.requires_grad_(True)
        if module is not None:
            for p_name, p in module.state_dict().items():
                self.tensors[f"{name}/param/{p_name}"] = p.clone()
        outputs = fn(*inputs)
        if not isinstance(outputs, (tuple, list)):
            outputs = [outputs]
        for i, x in enumerate(inputs):
            self.tensors[f"{name}/in{i}"] = x.detach().clone()
        total = None
        for j, y in enumerate(outputs):
            self.tensors[f"{name}/out{j}"] = y.detach().clone()
            if grad and y.is_floating_point() and y.requires_grad:
                g = torch.randn_like(y)
                self.tensors[f"{name}/grad_out{j}"] = g
                term = (y * g).sum()
                total = term if total is None else total + term
        if total is not None:
            total.backward()
            for i, x in enumerate(inputs):
                if x.grad is not None:
                    self.tensors[f"{name}/grad_in{i}"] = x.grad.clone()
            if module is not None:
                for p_name, p in module.named_parameters():
                    if p.grad is not None:
                        self.tensors[f"{name}/grad_param/{p_name}"] = p.grad.clone()

    def write(self, folder):
        write_safetensors(f"{folder}/{self.area}.safetensors", self.tensors, {"torch": torch.__version__})
