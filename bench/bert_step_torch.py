"""PyTorch reference for bench/bert_step_test.go (issue 8): the same BERT
pre-training step and bert-base forward in plain torch.nn, on --threads
threads (torch.set_num_threads; run it with OPENBLAS_NUM_THREADS set to the
same number, as compare.sh does).

Run with Debian's python3-torch (1.13):

    /usr/bin/python3 bench/bert_step_torch.py [--reps N] [--threads N]

It prints one line per measurement, in the format compare.sh reads:

    step L2-H128-32x128 wall_s=... cpu_s=... peak_mib=...
    step L2-H64-32x48 wall_s=... cpu_s=... peak_mib=...
    step L2-H128-A4-V800-32x48 wall_s=... cpu_s=... peak_mib=...
    forward Base-8x128 wall_s=... cpu_s=... peak_mib=...

where wall_s is the median wall time per step, cpu_s the process CPU time
(user + system, from getrusage) per step, steadier on a shared machine, and
peak_mib the process's peak resident memory (VmHWM) while the measurement
ran, model included: the peak is reset (by writing 5 to
/proc/self/clear_refs, after a garbage collection) once the model is built,
as the Go benchmarks do; -1 where Linux's files are missing.
"""
import argparse
import gc
import math
import resource
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def reset_peak_rss():
    """Collects garbage and resets the process's peak resident size."""
    gc.collect()
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def peak_rss_mib():
    """The process's peak resident size (VmHWM) in MiB, -1 if unknown."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return -1


def cpu_seconds():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


class Layer(nn.Module):
    """One post-LN transformer encoder layer, as HF's BertLayer."""

    def __init__(self, h, heads, inter, p):
        super().__init__()
        self.heads = heads
        self.q, self.k, self.v = nn.Linear(h, h), nn.Linear(h, h), nn.Linear(h, h)
        self.attn_out, self.ln1 = nn.Linear(h, h), nn.LayerNorm(h, eps=1e-12)
        self.inter, self.out = nn.Linear(h, inter), nn.Linear(inter, h)
        self.ln2 = nn.LayerNorm(h, eps=1e-12)
        self.drop = nn.Dropout(p)

    def forward(self, x):
        B, T, H = x.shape
        d = H // self.heads

        def split(t):
            return t.view(B, T, self.heads, d).transpose(1, 2)

        q, k, v = split(self.q(x)), split(self.k(x)), split(self.v(x))
        probs = self.drop(torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(d), dim=-1))
        ctx = (probs @ v).transpose(1, 2).reshape(B, T, H)
        x = self.ln1(self.drop(self.attn_out(ctx)) + x)
        return self.ln2(self.drop(self.out(F.gelu(self.inter(x)))) + x)


class Bert(nn.Module):
    """BertForPreTraining: embeddings, encoder, pooler, MLM head (tied
    decoder) and NSP head."""

    def __init__(self, layers, h, heads, inter, vocab, p=0.1, heads_on=True):
        super().__init__()
        self.word, self.pos, self.token_type = nn.Embedding(vocab, h, padding_idx=0), nn.Embedding(512, h), nn.Embedding(2, h)
        self.ln = nn.LayerNorm(h, eps=1e-12)
        self.drop = nn.Dropout(p)
        self.layers = nn.ModuleList([Layer(h, heads, inter, p) for _ in range(layers)])
        self.pooler = nn.Linear(h, h)
        if heads_on:
            self.transform, self.mlm_ln = nn.Linear(h, h), nn.LayerNorm(h, eps=1e-12)
            self.decoder_bias = nn.Parameter(torch.zeros(vocab))
            self.nsp = nn.Linear(h, 2)

    def encode(self, ids):
        T = ids.shape[1]
        x = self.word(ids) + self.pos(torch.arange(T)) + self.token_type(torch.zeros_like(ids))
        x = self.drop(self.ln(x))
        for layer in self.layers:
            x = layer(x)
        return x, torch.tanh(self.pooler(x[:, 0]))

    def loss(self, ids, mlm, nsp):
        x, pooled = self.encode(ids)
        masked = mlm.view(-1) != -100  # MLM logits at the masked positions only
        hm = x.reshape(-1, x.shape[-1])[masked]
        hm = self.mlm_ln(F.gelu(self.transform(hm)))
        logits = hm @ self.word.weight.t() + self.decoder_bias
        return F.cross_entropy(logits, mlm.view(-1)[masked]) + F.cross_entropy(self.nsp(pooled), nsp)


def batch(vocab, b, t, g):
    ids = torch.randint(0, vocab, (b, t), generator=g)
    mlm = torch.where(torch.rand(b, t, generator=g) < 0.15, ids, torch.full_like(ids, -100))
    return ids, mlm, torch.randint(0, 2, (b,), generator=g)


def timed(fn, reps):
    fn()  # warm-up
    walls, c0 = [], cpu_seconds()
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        walls.append(time.perf_counter() - t0)
    walls.sort()
    return walls[len(walls) // 2], (cpu_seconds() - c0) / reps


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--threads", type=int, default=1, help="torch.set_num_threads")
    ap.add_argument("--no-base", action="store_true", help="skip the bert-base forward")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    g = torch.Generator().manual_seed(1)
    for name, L, H, A, I, V, B, T in [("L2-H128-32x128", 2, 128, 2, 512, 30522, 32, 128),
                                      ("L2-H64-32x48", 2, 64, 2, 256, 8000, 32, 48),
                                      ("L2-H128-A4-V800-32x48", 2, 128, 4, 256, 800, 32, 48)]:
        m = Bert(L, H, A, I, V).train()
        opt = torch.optim.AdamW(m.parameters(), lr=1e-4, weight_decay=0.01)
        ids, mlm, nsp = batch(V, B, T, g)

        def step():
            opt.zero_grad()
            m.loss(ids, mlm, nsp).backward()
            opt.step()

        peak = reset_peak_rss()
        w, c = timed(step, a.reps)
        print(f"step {name} wall_s={w:.4f} cpu_s={c:.4f} peak_mib={peak_rss_mib() if peak else -1:.0f}", flush=True)
    if not a.no_base:
        m = Bert(12, 768, 12, 3072, 30522, heads_on=False).eval()
        ids, _, _ = batch(30522, 8, 128, g)
        peak = reset_peak_rss()
        with torch.no_grad():
            w, c = timed(lambda: m.encode(ids), max(2, a.reps // 2))
        print(f"forward Base-8x128 wall_s={w:.4f} cpu_s={c:.4f} peak_mib={peak_rss_mib() if peak else -1:.0f}", flush=True)


if __name__ == "__main__":
    main()
