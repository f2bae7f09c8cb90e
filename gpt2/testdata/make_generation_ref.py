#!/usr/bin/python3
"""Reference values for the Go generation code (gpt2/generate.go and friends).

transformers cannot be installed here, so this script re-implements, in plain
torch and independently of the Go code, what transformers 4.44.2 does:

  * the logits processors of generation/logits_process.py
    (RepetitionPenaltyLogitsProcessor, TemperatureLogitsWarper,
    TopKLogitsWarper, TopPLogitsWarper), line for line, and the order in which
    GenerationMixin._get_logits_processor / _get_logits_warper apply them:
    repetition penalty, then (sampling only) temperature, top-k, top-p;
  * GPT2LMHeadModel's eager forward (modeling_gpt2.py) with a key/value cache,
    and the greedy branch of GenerationMixin._sample: position ids from
    prepare_inputs_for_generation (cumsum(attention_mask) - 1, 1 on padding),
    the attention mask grown by one 1 per step, the stopping criteria
    (MaxLengthCriteria, EosTokenCriteria) and pad_token_id written in place of
    the next token of every finished sequence.

The model is testdata/gpt2-ref-small (read without the safetensors package);
the script first checks that its greedy continuation of `gen_input_ids` equals
the stored `gen_output_ids`, so the forward here is the one the reference
folder was made with.

One deliberate difference: TopPLogitsWarper sorts with torch.sort, which is
not stable, so which of several tied logits straddling the top-p cut is
removed is unspecified in transformers; here (and in Go) the sort is stable,
ties in index order.

Run:  /usr/bin/python3 gpt2/testdata/make_generation_ref.py
Writes gpt2/testdata/generation_ref.json and generation_ref.safetensors.
"""

import json
import math
import os
import struct

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
REF = os.path.join(HERE, "..", "..", "testdata", "gpt2-ref-small")
F32_MIN = torch.finfo(torch.float32).min


# --- safetensors, by hand -------------------------------------------------

def read_safetensors(path):
    with open(path, "rb") as f:
        buf = f.read()
    (n,) = struct.unpack("<Q", buf[:8])
    header = json.loads(buf[8:8 + n])
    data = buf[8 + n:]
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        lo, hi = info["data_offsets"]
        dtype = {"F32": torch.float32, "I64": torch.int64}[info["dtype"]]
        t = torch.frombuffer(bytearray(data[lo:hi]), dtype=dtype)
        out[name] = t.reshape(info["shape"]).clone()
    return out


def write_safetensors(path, tensors):
    names = sorted(tensors)
    header, offset, blobs = {}, 0, []
    for name in names:
        t = tensors[name].contiguous()
        dtype = {torch.float32: "F32", torch.int64: "I64"}[t.dtype]
        raw = t.numpy().tobytes()
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        offset += len(raw)
        blobs.append(raw)
    header["__metadata__"] = {"format": "pt"}
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for raw in blobs:
            f.write(raw)


# --- logits processors (transformers 4.44.2, generation/logits_process.py) --

def repetition_penalty(input_ids, scores, penalty):
    score = torch.gather(scores, 1, input_ids)
    score = torch.where(score < 0, score * penalty, score / penalty)
    return scores.scatter(1, input_ids, score)


def temperature(scores, t):
    return scores / t


def top_k(scores, k, min_tokens_to_keep=1, filter_value=-float("inf")):
    k = min(max(k, min_tokens_to_keep), scores.size(-1))
    indices_to_remove = scores < torch.topk(scores, k)[0][..., -1, None]
    return scores.masked_fill(indices_to_remove, filter_value)


def top_p(scores, p, min_tokens_to_keep=1, filter_value=-float("inf")):
    sorted_logits, sorted_indices = torch.sort(scores, descending=False, stable=True)
    cumulative_probs = sorted_logits.softmax(dim=-1).cumsum(dim=-1)
    sorted_indices_to_remove = cumulative_probs <= (1 - p)
    sorted_indices_to_remove[..., -min_tokens_to_keep:] = 0
    indices_to_remove = sorted_indices_to_remove.scatter(1, sorted_indices, sorted_indices_to_remove)
    return scores.masked_fill(indices_to_remove, filter_value)


def pipeline(input_ids, scores, cfg):
    """_get_logits_processor then _get_logits_warper, for num_beams == 1."""
    rp = cfg.get("repetition_penalty", 1.0)
    if rp != 1.0:
        scores = repetition_penalty(input_ids, scores, rp)
    if cfg.get("do_sample", False):
        t = cfg.get("temperature", 1.0)
        if t != 1.0:
            scores = temperature(scores, t)
        k = cfg.get("top_k", 50)
        if k != 0:
            scores = top_k(scores, k)
        p = cfg.get("top_p", 1.0)
        if p < 1.0:
            scores = top_p(scores, p)
    return scores


# --- GPT-2 (modeling_gpt2.py, eager attention, eval) ------------------------

class GPT2:
    def __init__(self, params, config):
        self.p = params
        self.n_layer = config["n_layer"]
        self.n_head = config["n_head"]
        self.eps = config["layer_norm_epsilon"]
        n = config["n_positions"]
        self.bias = torch.tril(torch.ones((n, n), dtype=torch.bool)).view(1, 1, n, n)

    def ln(self, x, name):
        return torch.nn.functional.layer_norm(x, x.shape[-1:], self.p[name + ".weight"], self.p[name + ".bias"], self.eps)

    def conv1d(self, x, name):
        return torch.addmm(self.p[name + ".bias"], x.reshape(-1, x.size(-1)), self.p[name + ".weight"]).view(
            *x.shape[:-1], -1)

    def split_heads(self, x):
        b, t, e = x.shape
        return x.view(b, t, self.n_head, e // self.n_head).permute(0, 2, 1, 3)

    def attn(self, x, i, mask, past):
        pre = f"transformer.h.{i}.attn"
        q, k, v = self.conv1d(x, pre + ".c_attn").split(x.size(-1), dim=2)
        q, k, v = self.split_heads(q), self.split_heads(k), self.split_heads(v)
        if past is not None:
            k = torch.cat((past[0], k), dim=-2)
            v = torch.cat((past[1], v), dim=-2)
        present = (k, v)
        w = torch.matmul(q, k.transpose(-1, -2))
        w = w / torch.full([], v.size(-1) ** 0.5, dtype=w.dtype)
        ql, kl = q.size(-2), k.size(-2)
        causal = self.bias[:, :, kl - ql:kl, :kl]
        w = torch.where(causal, w, torch.full([], F32_MIN, dtype=w.dtype))
        if mask is not None:
            w = w + mask
        w = torch.softmax(w, dim=-1)
        o = torch.matmul(w, v).permute(0, 2, 1, 3).contiguous()
        o = o.view(*o.shape[:2], -1)
        return self.conv1d(o, pre + ".c_proj"), present

    def forward(self, input_ids, position_ids, attention_mask, past):
        """Logits [B, T, V] and the new cache (a list of (key, value) per layer)."""
        h = self.p["transformer.wte.weight"][input_ids] + self.p["transformer.wpe.weight"][position_ids]
        mask = None
        if attention_mask is not None:
            mask = (1.0 - attention_mask[:, None, None, :].to(h.dtype)) * F32_MIN
        presents = []
        for i in range(self.n_layer):
            pre = f"transformer.h.{i}"
            a, present = self.attn(self.ln(h, pre + ".ln_1"), i, mask, None if past is None else past[i])
            presents.append(present)
            h = h + a
            m = self.conv1d(self.ln(h, pre + ".ln_2"), pre + ".mlp.c_fc")
            m = 0.5 * m * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (m + 0.044715 * torch.pow(m, 3.0))))
            h = h + self.conv1d(m, pre + ".mlp.c_proj")
        h = self.ln(h, "transformer.ln_f")
        return h @ self.p["transformer.wte.weight"].T, presents


def left_pad(prompts, pad_id):
    width = max(len(p) for p in prompts)
    ids = [[pad_id] * (width - len(p)) + p for p in prompts]
    mask = [[0] * (width - len(p)) + [1] * len(p) for p in prompts]
    return torch.tensor(ids), torch.tensor(mask)


def generate(model, input_ids, attention_mask, cfg):
    """GenerationMixin.generate -> _sample (greedy only), with use_cache=True.

    Returns the sequences [B, T + n] and the processed scores of each step
    [n, B, V] (output_scores)."""
    eos = cfg.get("eos_token_id")
    if isinstance(eos, int):
        eos = [eos]
    pad = cfg.get("pad_token_id")
    if pad is None and eos:
        pad = eos[0]  # "Setting `pad_token_id` to `eos_token_id` for open-end generation."
    max_length = cfg["max_new_tokens"] + input_ids.shape[1]
    batch = input_ids.shape[0]
    unfinished = torch.ones(batch, dtype=torch.long)
    past = None
    scores_per_step = []
    while True:
        position_ids = attention_mask.long().cumsum(-1) - 1
        position_ids.masked_fill_(attention_mask == 0, 1)
        step_ids = input_ids if past is None else input_ids[:, -1:]
        position_ids = position_ids[:, -step_ids.shape[1]:]
        logits, past = model.forward(step_ids, position_ids, attention_mask, past)
        scores = pipeline(input_ids, logits[:, -1, :].clone(), cfg)
        scores_per_step.append(scores)
        next_tokens = torch.argmax(scores, dim=-1)
        if eos:
            next_tokens = next_tokens * unfinished + pad * (1 - unfinished)
        input_ids = torch.cat([input_ids, next_tokens[:, None]], dim=-1)
        attention_mask = torch.cat([attention_mask, attention_mask.new_ones((batch, 1))], dim=-1)
        done = torch.full((batch,), input_ids.shape[1] >= max_length)
        if eos:
            done = done | torch.isin(input_ids[:, -1], torch.tensor(eos))
        unfinished = unfinished & ~done
        if unfinished.max() == 0:
            break
    return input_ids, torch.stack(scores_per_step)


# --- the cases ---------------------------------------------------------------

def processor_cases(tensors):
    """Fixed logits through each processor alone and through the pipeline."""
    g = torch.Generator().manual_seed(1234)
    vocab = 40
    logits = torch.randn((5, vocab), generator=g) * 3
    # Row 1: ties. Five tokens share the 3rd-highest value, two the highest.
    logits[1] = torch.randn(vocab, generator=g)
    logits[1, [3, 17]] = 4.0
    logits[1, [0, 8, 21, 30, 39]] = 2.5
    # Row 2: tokens already removed (-inf) and a dominant token.
    logits[2, [1, 2, 5, 33]] = -float("inf")
    logits[2, 7] = 12.0
    # Row 3: all equal (top-p keeps the stable-sort tail; top-k keeps all ties).
    logits[3] = 0.5
    # Row 4: negative and positive logits of repeated tokens.
    logits[4, [2, 4, 6]] = torch.tensor([-3.0, 0.0, 3.0])
    input_ids = torch.tensor([
        [0, 5, 5, 9, 12, 39],
        [3, 3, 3, 0, 21, 11],
        [7, 1, 7, 2, 0, 0],
        [0, 1, 2, 3, 4, 5],
        [2, 4, 6, 2, 4, 6],
    ])
    tensors["proc.logits"] = logits
    tensors["proc.input_ids"] = input_ids

    cases = []

    def add(name, kind, params, out):
        tensors["proc." + name] = out
        cases.append({"name": name, "kind": kind, "params": params})

    for pen in (1.3, 0.7):
        add(f"repetition_penalty_{pen}", "repetition_penalty", {"penalty": pen},
            repetition_penalty(input_ids, logits.clone(), pen))
    for t in (0.7, 1.5):
        add(f"temperature_{t}", "temperature", {"temperature": t}, temperature(logits, t))
    for k, keep in ((1, 1), (3, 1), (10, 1), (2, 5), (50, 1)):
        add(f"top_k_{k}_keep{keep}", "top_k", {"top_k": k, "min_tokens_to_keep": keep}, top_k(logits, k, keep))
    for p, keep in ((0.9, 1), (0.5, 1), (0.1, 1), (0.3, 4), (1.0, 1), (0.0, 1), (0.95, 3)):
        add(f"top_p_{p}_keep{keep}", "top_p", {"top_p": p, "min_tokens_to_keep": keep}, top_p(logits, p, keep))
    pipelines = [
        {"repetition_penalty": 1.3, "do_sample": True, "temperature": 0.7, "top_k": 10, "top_p": 0.9},
        {"repetition_penalty": 1.3, "do_sample": False, "temperature": 0.7, "top_k": 10, "top_p": 0.9},
        {"do_sample": True},
        {"repetition_penalty": 0.8, "do_sample": True, "temperature": 2.0, "top_k": 0, "top_p": 0.6},
    ]
    for i, cfg in enumerate(pipelines):
        add(f"pipeline_{i}", "pipeline", cfg, pipeline(input_ids, logits.clone(), cfg))
    return cases


def generation_cases(model, tensors, expected):
    prompts = [
        [394, 338, 414, 480, 258, 358, 259, 287],  # gen_input_ids
        [35, 276, 336, 297, 81, 88, 25, 277, 435, 258, 428, 83, 13],
        [441, 297, 367, 0, 380, 287, 288, 390, 13],
        [54, 264, 67, 82, 315, 418],
    ]
    # The reference folder's greedy continuation, through the same code path.
    ids, _ = generate(model, expected["gen_input_ids"], torch.ones_like(expected["gen_input_ids"]),
                      {"max_new_tokens": 12, "eos_token_id": 519})
    assert torch.equal(ids, expected["gen_output_ids"]), (ids, expected["gen_output_ids"])

    configs = [
        ("greedy", {"max_new_tokens": 10, "eos_token_id": 519}),
        # Rows reach 131 or 92 at different steps; finished rows get pad 0.
        ("eos_list", {"max_new_tokens": 10, "eos_token_id": [131, 92], "pad_token_id": 0}),
        ("eos_default_pad", {"max_new_tokens": 6, "eos_token_id": 281}),
        ("repetition_penalty", {"max_new_tokens": 10, "eos_token_id": 519, "repetition_penalty": 1.5}),
    ]
    cases = []
    for name, cfg in configs:
        input_ids, mask = left_pad(prompts, 519)
        seqs, scores = generate(model, input_ids, mask, cfg)
        alone = []
        for p in prompts:
            s, _ = generate(model, torch.tensor([p]), torch.ones((1, len(p)), dtype=torch.long), cfg)
            alone.append(s[0].tolist())
        tensors[f"gen.{name}.scores"] = scores
        cases.append({"name": name, "config": cfg, "prompts": prompts, "sequences": seqs.tolist(),
                      "alone": alone, "scores": f"gen.{name}.scores"})
    return cases


def main():
    with open(os.path.join(REF, "config.json")) as f:
        config = json.load(f)
    params = read_safetensors(os.path.join(REF, "model.safetensors"))
    expected = read_safetensors(os.path.join(REF, "expected.safetensors"))
    model = GPT2(params, config)
    torch.set_grad_enabled(False)

    tensors = {}
    out = {
        "about": "made by make_generation_ref.py; tensors in generation_ref.safetensors",
        "processors": processor_cases(tensors),
        "generation": generation_cases(model, tensors, expected),
    }
    with open(os.path.join(HERE, "generation_ref.json"), "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    write_safetensors(os.path.join(HERE, "generation_ref.safetensors"), tensors)


if __name__ == "__main__":
    main()
