#!/usr/bin/python3
"""Regenerates every parity fixture: runs each cases_*.py beside this file.

Run with Debian's interpreter, which has python3-torch (the same libtorch build the shim links):
    /usr/bin/python3 tests/ContextDiffusion.Torch.Tests/Parity/make_fixtures.py
"""
import importlib
import pathlib
import sys

import torch

here = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(here))
torch.set_num_threads(1)  # deterministic reductions
for path in sorted(here.glob("cases_*.py")):
    module = importlib.import_module(path.stem)
    cases = module.build()
    cases.write(str(here / "fixtures"))
    print(f"{cases.area}: {len({k.split('/')[0] for k in cases.tensors})} cases")
