#!/usr/bin/python3
"""Reference values for peft on GPT-2 (peft/gpt2_test.go).

peft cannot be installed here, so this script implements, in plain torch,
what PEFT 0.13's lora.Linear does on a transformers Conv1D target (GPT-2's
c_attn, weight [in, out]) with fan_in_fan_out=True, following
peft/tuners/lora/layer.py:

  * forward:  result = base_layer(x) + lora_B(lora_A(dropout(x))) * scaling
    (lora_A [r, in] and lora_B [out, r] are nn.Linear weights whatever the
    base layer's layout: no transpose in the forward pass);
  * get_delta_weight: transpose(lora_B.weight @ lora_A.weight,
    fan_in_fan_out) * scaling, i.e. [in, out] for a Conv1D;
  * merge: base_layer.weight += delta; unmerge: base_layer.weight -= delta;

and PEFT's prompt learning for a causal LM (PeftModelForCausalLM.forward):
prefix tuning's get_prompt (the table viewed as [B, P, 2·layers, heads,
head_dim], permuted to [2·layers, B, heads, P, head_dim], split in pairs
(key, value) per layer) passed as past_key_values with ones put before the
attention mask, and prompt tuning's inputs_embeds = [prompts; wte[ids]].

The GPT-2 forward is make_generation_ref.py's (modeling_gpt2.py, eager), on
testdata/gpt2-ref-small, extended by inputs_embeds.

Run:  /usr/bin/python3 peft/testdata/make_gpt2_ref.py
Writes peft/testdata/gpt2-lora/ and gpt2-prefix/ (adapter_config.json and
adapter_model.safetensors as PEFT writes them for GPT-2) and
peft/testdata/gpt2_ref.safetensors (inputs and expected outputs).
"""

import json
import math
import os
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "gpt2", "testdata"))
import make_generation_ref as g  # noqa: E402

R, ALPHA, P = 4, 8, 3


class LoraConv1D(torch.nn.Module):
    """PEFT's lora.Linear around a Conv1D (fan_in_fan_out=True), dropout 0."""

    def __init__(self, weight, bias, a, b, r, alpha):
        super().__init__()
        self.weight, self.bias = weight.clone(), bias.clone()  # Conv1D: [in, out]
        self.lora_A, self.lora_B = a, b  # [r, in], [out, r]
        self.scaling = alpha / r
        self.fan_in_fan_out = True
        self.merged = False

    def get_delta_weight(self):
        w = self.lora_B @ self.lora_A
        return (w.T if self.fan_in_fan_out else w) * self.scaling

    def merge(self):
        self.weight += self.get_delta_weight()
        self.merged = True

    def unmerge(self):
        self.weight -= self.get_delta_weight()
        self.merged = False

    def forward(self, x):
        result = torch.addmm(self.bias, x.reshape(-1, x.size(-1)), self.weight).view(*x.shape[:-1], -1)
        if not self.merged:
            result = result + (x @ self.lora_A.T) @ self.lora_B.T * self.scaling
        return result


class GPT2(g.GPT2):
    """make_generation_ref's GPT-2 with LoRA layers and inputs_embeds."""

    def __init__(self, params, config, lora):
        super().__init__(params, config)
        self.lora = lora

    def conv1d(self, x, name):
        if name in self.lora:
            return self.lora[name](x)
        return super().conv1d(x, name)

    def forward_embeds(self, embeds, position_ids):
        """Logits of forward (no mask, no cache) with h = inputs_embeds + wpe."""
        h = embeds + self.p["transformer.wpe.weight"][position_ids]
        for i in range(self.n_layer):
            pre = f"transformer.h.{i}"
            a, _ = self.attn(self.ln(h, pre + ".ln_1"), i, None, None)
            h = h + a
            m = self.conv1d(self.ln(h, pre + ".ln_2"), pre + ".mlp.c_fc")
            m = 0.5 * m * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (m + 0.044715 * torch.pow(m, 3.0))))
            h = h + self.conv1d(m, pre + ".mlp.c_proj")
        h = self.ln(h, "transformer.ln_f")
        return h @ self.p["transformer.wte.weight"].T


def main():
    torch.manual_seed(0)
    config = json.load(open(os.path.join(g.REF, "config.json")))
    params = g.read_safetensors(os.path.join(g.REF, "model.safetensors"))
    expected = g.read_safetensors(os.path.join(g.REF, "expected.safetensors"))
    L, E, H = config["n_layer"], config["n_embd"], config["n_head"]
    ids, mask = expected["input_ids_right"], expected["attention_mask_right"]
    B, T = ids.shape
    positions = torch.arange(T).unsqueeze(0).expand(B, T)
    out = {}

    # LoRA on every c_attn, A and B random (as init_lora_weights=False).
    lora, adapter = {}, {}
    for i in range(L):
        name = f"transformer.h.{i}.attn.c_attn"
        a = torch.randn(R, E) * 0.3
        b = torch.randn(3 * E, R) * 0.3
        lora[name] = LoraConv1D(params[name + ".weight"], params[name + ".bias"], a, b, R, ALPHA)
        adapter[f"base_model.model.{name}.lora_A.weight"] = a
        adapter[f"base_model.model.{name}.lora_B.weight"] = b
    model = GPT2(params, config, lora)
    with torch.no_grad():
        out["lora_logits"], _ = model.forward(ids, positions, mask, None)
        for name, layer in lora.items():
            layer.merge()
            out["merged." + name + ".weight"] = layer.weight.clone()
        out["lora_logits_merged"], _ = model.forward(ids, positions, mask, None)
        for layer in lora.values():
            layer.unmerge()
            assert torch.allclose(layer.weight, params[layer_name(lora, layer) + ".weight"], atol=1e-6)
    write_adapter("gpt2-lora", adapter, {
        "alpha_pattern": {}, "base_model_name_or_path": None, "bias": "none", "fan_in_fan_out": True,
        "inference_mode": True, "init_lora_weights": True, "layers_pattern": None, "layers_to_transform": None,
        "lora_alpha": ALPHA, "lora_dropout": 0.0, "modules_to_save": None, "peft_type": "LORA", "r": R,
        "rank_pattern": {}, "revision": None, "target_modules": ["c_attn"], "task_type": "CAUSAL_LM",
        "use_dora": False, "use_rslora": False})

    # Prefix tuning: a [P, 2·L·E] table, PEFT's get_prompt, past_key_values.
    plain = GPT2(params, config, {})
    table = torch.randn(P, 2 * L * E)
    kv = table.unsqueeze(0).expand(B, P, 2 * L * E).reshape(B, P, 2 * L, H, E // H)
    kv = kv.permute([2, 0, 3, 1, 4]).split(2)
    past = [(pair[0], pair[1]) for pair in kv]
    with torch.no_grad():
        out["prefix_logits"], _ = plain.forward(ids, positions + P, torch.cat([torch.ones(B, P, dtype=mask.dtype), mask], 1), past)
    write_adapter("gpt2-prefix", {"prompt_embeddings": table}, {
        "base_model_name_or_path": None, "encoder_hidden_size": E, "inference_mode": True,
        "num_attention_heads": H, "num_layers": L, "num_transformer_submodules": 1, "num_virtual_tokens": P,
        "peft_type": "PREFIX_TUNING", "prefix_projection": False, "revision": None, "task_type": "CAUSAL_LM",
        "token_dim": E})

    # Prompt tuning: inputs_embeds = [prompts; wte[ids]] for row 0, positions 0..P+T-1.
    prompts = torch.randn(P, E)
    row = ids[:1]
    h = torch.cat([prompts, params["transformer.wte.weight"][row[0]]], 0).unsqueeze(0)
    with torch.no_grad():
        logits = plain.forward_embeds(h, torch.arange(P + T).unsqueeze(0))
        # Check forward_embeds against forward: wte[ids] as embeds is the plain model.
        same = plain.forward_embeds(params["transformer.wte.weight"][row], torch.arange(T).unsqueeze(0))
        ref, _ = plain.forward(row, torch.arange(T).unsqueeze(0), None, None)
        assert torch.allclose(same, ref, atol=1e-5)
    out["prompt_table"], out["prompt_logits"] = prompts, logits

    out["prefix_table"] = table
    for k in ("input_ids_right", "attention_mask_right"):
        out[k] = expected[k]
    g.write_safetensors(os.path.join(HERE, "gpt2_ref.safetensors"), {k: v.contiguous() for k, v in out.items()})


def layer_name(lora, layer):
    return next(k for k, v in lora.items() if v is layer)


def write_adapter(folder, tensors, config):
    d = os.path.join(HERE, folder)
    os.makedirs(d, exist_ok=True)
    g.write_safetensors(os.path.join(d, "adapter_model.safetensors"), tensors)
    with open(os.path.join(d, "adapter_config.json"), "w") as f:
        json.dump(config, f, indent=2, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
