// Package gpt2 is GPT-2 in Go, exact to HuggingFace transformers'
// GPT2LMHeadModel (eager attention, transformers 4.44): the model, its
// checkpoints in the HF layout, and the cache-aware forward pass that
// generation builds on. The tokenizer is package tokenizer's GPT2.
//
// Read it in this order:
//
//   - config.go: Config, config.json (GPT2Config's keys and defaults);
//     generation_config.go: generation_config.json.
//   - init.go: HF's _init_weights for GPT-2, with the scaled c_proj init.
//   - attention.go: Attention (fused c_attn in HF's Conv1D layout [in, out],
//     causal + padding masks, the key/value cache); the core it runs is
//     nn.ScaledDotProductAttention, shared with BERT.
//   - mlp.go: MLP (c_fc, gelu_new, c_proj); block.go: Block, pre-LN
//     (h + attn(ln_1(h)), then h + mlp(ln_2(h))).
//   - cache.go: Cache, the per-layer keys and values (HF's past_key_values).
//   - hooks.go: the seams interpretability uses: the residual stream between
//     blocks and each block's attention and MLP outputs.
//   - model.go: Model (HF's GPT2Model: wte + wpe, the blocks, ln_f) and
//     Inputs; positions.go: position ids as HF derives them.
//   - lm_head_model.go: LMHeadModel (GPT2LMHeadModel): the LM head tied to
//     wte, the shifted causal-LM loss.
//   - checkpoint.go: HF checkpoint directories both ways.
//   - generate.go: LMHeadModel.Generate, HF's generate() for greedy search
//     and sampling (KV cache, left padding, EOS and pad, the stop button);
//     logits_process.go: the logits processors in HF's order (repetition
//     penalty, temperature, top-k, top-p); token_choice.go: arg max and
//     seeded sampling; streamer.go: HF's TextStreamer and a notebook
//     output that grows in place while tokens arrive.
//
// Like a new torch module, a model built from a config starts in training
// mode (dropout on); one loaded from a checkpoint comes back in evaluation
// mode, as from_pretrained returns it.
package gpt2
