"""PyTorch reference for gpt2's BenchmarkGenerate (gpt2/generate_bench_test.go):
greedy generation with a key/value cache, 48 new tokens after a 16-token
prompt, batch 1 and 8, on the same small GPT-2 (4 layers, width 128, 4 heads,
vocab 2048, 128 positions), single-threaded; with --shape L4-H256, the model
of bench's BenchmarkGPTGenerate (4 layers, width 256, 4 heads, vocab 8192,
128 positions; 64 new tokens after a 16-token prompt) in the format
bench/compare.sh reads.

transformers is not installable here, so the model is the plain-torch GPT-2
forward of gpt2/testdata/make_generation_ref.py (modeling_gpt2.py's eager
attention) with random weights, and the loop is a bare greedy loop: a lower
bound on what HF's generate() costs (its Python overhead per step is larger).

    /usr/bin/python3 bench/gpt2_generate_torch.py [--reps N] [--shape small|L4-H256]

prints one line per batch size:

    generate batch1/cache tokens_per_s=... cpu_tokens_per_s=...          (small)
    gpt-generate L4-H256-batch1 wall_s=... cpu_s=... peak_mib=... tokens_per_s=... cpu_tokens_per_s=...

(wall_s and cpu_s: median seconds per generation run; peak_mib: the peak
resident memory while the runs of that batch size ran, model included)

where tokens_per_s counts generated tokens over the batch per second of wall
time (median of the reps) and cpu_tokens_per_s per second of process CPU time,
steadier on a shared machine. Compare with

    GOMAXPROCS=1 go test -run '^$' -bench Generate -benchtime 5x ./gpt2
    GOMAXPROCS=1 go test -run '^$' -bench GPTGenerate -benchtime 5x ./bench
"""
import argparse
import os
import resource
import statistics
import sys
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "gpt2", "testdata"))
from make_generation_ref import GPT2  # noqa: E402
from bert_step_torch import peak_rss_mib, reset_peak_rss  # noqa: E402

# The shapes: a GPT-2 config and the prompt and new-token counts.
SHAPES = {
    "small": ({"n_layer": 4, "n_head": 4, "n_embd": 128, "vocab_size": 2048, "n_positions": 128,
               "layer_norm_epsilon": 1e-5}, 16, 48),
    "L4-H256": ({"n_layer": 4, "n_head": 4, "n_embd": 256, "vocab_size": 8192, "n_positions": 128,
                 "layer_norm_epsilon": 1e-5}, 16, 64),
}
CONFIG, PROMPT, NEW = SHAPES["small"]


def cpu_seconds():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def random_params(g):
    e, v, n, inner = CONFIG["n_embd"], CONFIG["vocab_size"], CONFIG["n_positions"], 4 * CONFIG["n_embd"]

    def w(*shape):
        return torch.randn(shape, generator=g) * 0.02

    p = {"transformer.wte.weight": w(v, e), "transformer.wpe.weight": w(n, e),
         "transformer.ln_f.weight": torch.ones(e), "transformer.ln_f.bias": torch.zeros(e)}
    for i in range(CONFIG["n_layer"]):
        pre = f"transformer.h.{i}"
        for ln in ("ln_1", "ln_2"):
            p[f"{pre}.{ln}.weight"], p[f"{pre}.{ln}.bias"] = torch.ones(e), torch.zeros(e)
        for name, (a, b) in {"attn.c_attn": (e, 3 * e), "attn.c_proj": (e, e),
                             "mlp.c_fc": (e, inner), "mlp.c_proj": (inner, e)}.items():
            p[f"{pre}.{name}.weight"], p[f"{pre}.{name}.bias"] = w(a, b), torch.zeros(b)
    return p


def greedy(model, ids):
    """Greedy decoding with the cache: the prompt once, then one token a step."""
    batch = ids.shape[0]
    mask = torch.ones_like(ids)
    past, step_ids = None, ids
    for _ in range(NEW):
        positions = (mask.cumsum(-1) - 1)[:, -step_ids.shape[1]:]
        logits, past = model.forward(step_ids, positions, mask, past)
        step_ids = torch.argmax(logits[:, -1, :], dim=-1)[:, None]
        ids = torch.cat([ids, step_ids], dim=-1)
        mask = torch.cat([mask, mask.new_ones((batch, 1))], dim=-1)
    return ids


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--threads", type=int, default=1, help="torch.set_num_threads (set OPENBLAS_NUM_THREADS to match)")
    parser.add_argument("--shape", choices=sorted(SHAPES), default="small")
    args = parser.parse_args()
    global CONFIG, PROMPT, NEW
    CONFIG, PROMPT, NEW = SHAPES[args.shape]
    torch.set_num_threads(args.threads)
    torch.set_grad_enabled(False)
    g = torch.Generator().manual_seed(1)
    model = GPT2(random_params(g), CONFIG)
    for batch in (1, 8):
        ids = torch.randint(0, CONFIG["vocab_size"], (batch, PROMPT), generator=g)
        peak = reset_peak_rss()
        greedy(model, ids)  # warm-up
        walls, cpus = [], []
        for _ in range(args.reps):
            w0, c0 = time.perf_counter(), cpu_seconds()
            greedy(model, ids)
            walls.append(time.perf_counter() - w0)
            cpus.append(cpu_seconds() - c0)
        tokens, wall, cpu = batch * NEW, statistics.median(walls), statistics.median(cpus)
        if args.shape == "small":
            print(f"generate batch{batch}/cache tokens_per_s={tokens / wall:.0f} "
                  f"cpu_tokens_per_s={tokens / cpu:.0f}", flush=True)
        else:
            print(f"gpt-generate {args.shape}-batch{batch} wall_s={wall:.4f} cpu_s={cpu:.4f} "
                  f"peak_mib={peak_rss_mib() if peak else -1:.0f} "
                  f"tokens_per_s={tokens / wall:.0f} cpu_tokens_per_s={tokens / cpu:.0f}", flush=True)


if __name__ == "__main__":
    main()
