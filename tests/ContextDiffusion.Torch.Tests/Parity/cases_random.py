"""Seeded random sampling: the same seed must give PyTorch's numbers on CPU. Each case's input is the
seed (and the distribution's parameters); sampling has no gradients."""
import torch

from parity import Cases


def seeded(seed):
    return torch.Generator().manual_seed(int(seed))


def build():
    c = Cases("random")
    seed = torch.tensor(1234)
    c.add("randn", lambda s: torch.randn(4, 5, generator=seeded(s)), [seed], grad=False)
    c.add("randn_small", lambda s: torch.randn(7, generator=seeded(s)), [seed], grad=False)
    c.add("randn_float64", lambda s: torch.randn(3, 7, generator=seeded(s), dtype=torch.float64), [seed], grad=False)
    c.add("rand", lambda s: torch.rand(2, 9, generator=seeded(s)), [seed], grad=False)
    c.add("randint", lambda s: torch.randint(-3, 10, (20,), generator=seeded(s)), [seed], grad=False)
    c.add("randperm", lambda s: torch.randperm(10, generator=seeded(s)), [seed], grad=False)
    c.add("normal_scalar", lambda s: torch.normal(2.0, 0.5, (30,), generator=seeded(s)), [seed], grad=False)
    c.add("normal_tensor", lambda s, m, sd: torch.normal(m, sd, generator=seeded(s)),
          [seed, torch.randn(3, 4), torch.rand(3, 4)], grad=False)
    c.add("uniform_", lambda s: torch.empty(25).uniform_(-2.0, 3.0, generator=seeded(s)), [seed], grad=False)
    c.add("bernoulli", lambda s, p: torch.bernoulli(p, generator=seeded(s)), [seed, torch.rand(5, 6)], grad=False)
    c.add("multinomial", lambda s, w: (torch.multinomial(w, 3, generator=seeded(s)),
                                       torch.multinomial(w, 10, replacement=True, generator=seeded(s))),
          [seed, torch.rand(2, 6)], grad=False)

    def sequence(s):
        g = seeded(s)
        return torch.randn(3, generator=g), torch.rand(3, generator=g), torch.randn(17, generator=g)
    c.add("sequence", sequence, [seed], grad=False)

    def state_after_draws(s):
        g = seeded(s)
        torch.randn(5, generator=g)
        return g.get_state()
    c.add("state_after_draws", state_after_draws, [seed], grad=False)

    def default_generator(s):
        torch.manual_seed(int(s))
        return torch.randn(6), torch.rand(3)
    c.add("default_generator", default_generator, [seed], grad=False)
    return c
