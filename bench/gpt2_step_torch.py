"""PyTorch reference for BenchmarkGPTStep (bench/gpt_test.go): one GPT-2
training step (forward, causal-LM loss, backward, AdamW) at L4/H256/A4,
vocabulary 8192, 128 positions, batch 16 x 128, dropout 0.1, single-threaded
(--threads N for more).

transformers is not installable here, so the model is GPT-2 in plain torch
following modeling_gpt2.py (GPT2LMHeadModel, eager attention): Conv1D
weights in the [in, out] layout, pre-LN blocks, gelu_new, the LM head tied
to wte, the loss on the tokens shifted by one, and _init_weights (N(0, 0.02),
c_proj N(0, 0.02/sqrt(2 n_layer)), zero biases). The optimizer is HF
Trainer's AdamW: lr 1e-4, weight decay 0.01 except biases and LayerNorm
weights, torch's defaults otherwise.

    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/gpt2_step_torch.py [--reps N] [--threads 1]

prints, in the format compare.sh reads,

    gpt-step L4-H256-16x128 wall_s=... cpu_s=... peak_mib=...

where wall_s is the median wall time per step, cpu_s the process CPU time
(user + system, from getrusage) per step, steadier on a shared machine, and
peak_mib the peak resident memory while the steps ran, model included (as in
bert_step_torch.py; -1 where /proc cannot reset it).
"""
import argparse
import math
import resource
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

from bert_step_torch import peak_rss_mib, reset_peak_rss

LAYERS, EMBD, HEADS, VOCAB, POSITIONS = 4, 256, 4, 8192, 128
BATCH, SEQ = 16, 128


def cpu_seconds():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


class Conv1D(nn.Module):
    """HF's Conv1D: a linear layer with the weight stored [in, out]."""

    def __init__(self, n_in, n_out, std):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(n_in, n_out) * std)
        self.bias = nn.Parameter(torch.zeros(n_out))

    def forward(self, x):
        return torch.addmm(self.bias, x.reshape(-1, x.size(-1)), self.weight).view(*x.shape[:-1], -1)


def gelu_new(x):
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * torch.pow(x, 3.0))))


class Block(nn.Module):
    """GPT2Block: x + attn(ln_1(x)), then x + mlp(ln_2(x)), with dropout."""

    def __init__(self, e, heads, n_pos, resid_std, p):
        super().__init__()
        self.heads = heads
        self.ln_1, self.ln_2 = nn.LayerNorm(e, eps=1e-5), nn.LayerNorm(e, eps=1e-5)
        self.c_attn, self.attn_proj = Conv1D(e, 3 * e, 0.02), Conv1D(e, e, resid_std)
        self.c_fc, self.mlp_proj = Conv1D(e, 4 * e, 0.02), Conv1D(4 * e, e, resid_std)
        self.attn_drop, self.resid_drop = nn.Dropout(p), nn.Dropout(p)
        self.register_buffer("bias", torch.tril(torch.ones(n_pos, n_pos, dtype=torch.bool)).view(1, 1, n_pos, n_pos))

    def attn(self, x):
        B, T, E = x.shape
        q, k, v = self.c_attn(x).split(E, dim=2)
        q, k, v = (t.view(B, T, self.heads, E // self.heads).permute(0, 2, 1, 3) for t in (q, k, v))
        w = torch.matmul(q, k.transpose(-1, -2)) / torch.full([], v.size(-1) ** 0.5, dtype=q.dtype)
        w = torch.where(self.bias[:, :, :T, :T], w, torch.full([], torch.finfo(w.dtype).min, dtype=w.dtype))
        w = self.attn_drop(torch.softmax(w, dim=-1))
        o = torch.matmul(w, v).permute(0, 2, 1, 3).contiguous().view(B, T, E)
        return self.resid_drop(self.attn_proj(o))

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.resid_drop(self.mlp_proj(gelu_new(self.c_fc(self.ln_2(x)))))


class GPT2LMHead(nn.Module):
    """GPT2LMHeadModel: wte + wpe, dropout, blocks, ln_f, tied head, and the
    mean cross-entropy of each position's logits against the next token."""

    def __init__(self, layers, e, heads, vocab, n_pos, p=0.1):
        super().__init__()
        self.wte, self.wpe = nn.Embedding(vocab, e), nn.Embedding(n_pos, e)
        nn.init.normal_(self.wte.weight, std=0.02)
        nn.init.normal_(self.wpe.weight, std=0.02)
        self.drop = nn.Dropout(p)
        self.h = nn.ModuleList([Block(e, heads, n_pos, 0.02 / math.sqrt(2 * layers), p) for _ in range(layers)])
        self.ln_f = nn.LayerNorm(e, eps=1e-5)

    def loss(self, ids):
        x = self.drop(self.wte(ids) + self.wpe(torch.arange(ids.shape[1])))
        for block in self.h:
            x = block(x)
        logits = self.ln_f(x) @ self.wte.weight.t()
        return F.cross_entropy(logits[:, :-1].reshape(-1, logits.size(-1)), ids[:, 1:].reshape(-1))


def adamw(model):
    """HF Trainer's AdamW: no decay on biases and LayerNorm weights."""
    decay, no_decay = [], []
    for name, p in model.named_parameters():
        (no_decay if name.endswith(".bias") or ".ln_" in name or name.startswith("ln_") else decay).append(p)
    return torch.optim.AdamW([{"params": decay, "weight_decay": 0.01},
                              {"params": no_decay, "weight_decay": 0.0}], lr=1e-4)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--threads", type=int, default=1, help="torch.set_num_threads (set OPENBLAS_NUM_THREADS to match)")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    m = GPT2LMHead(LAYERS, EMBD, HEADS, VOCAB, POSITIONS).train()
    opt = adamw(m)
    ids = torch.randint(0, VOCAB, (BATCH, SEQ), generator=torch.Generator().manual_seed(1))

    def step():
        opt.zero_grad()
        m.loss(ids).backward()
        opt.step()

    peak = reset_peak_rss()
    step()  # warm-up: optimizer state
    walls, c0 = [], cpu_seconds()
    for _ in range(a.reps):
        t0 = time.perf_counter()
        step()
        walls.append(time.perf_counter() - t0)
    walls.sort()
    print(f"gpt-step L{LAYERS}-H{EMBD}-{BATCH}x{SEQ} wall_s={walls[len(walls) // 2]:.4f} "
          f"cpu_s={(cpu_seconds() - c0) / a.reps:.4f} peak_mib={peak_rss_mib() if peak else -1:.0f}", flush=True)


if __name__ == "__main__":
    main()
