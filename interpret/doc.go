// Package interpret looks inside the course's BERT models and tries to break
// them: attention views and rollout, gradient saliency and integrated
// gradients, activation caching and patching, fact-recall quizzes and causal
// tracing, the logit lens, linear probes and PCA projections (looking
// inside); HotFlip and greedy
// word-substitution attacks with TextAttack's metrics, CheckList-style
// behavioural tests, fairness gaps and a membership-inference attack (breaking
// it).
//
// Everything runs on the live Go model through its own seams, never a copy
// of its forward pass: the layer hooks (bert.Encoder.AddHook,
// gpt2.Model.AddHook), which read or replace the hidden state between
// layers, the sub-layer hooks (bert.Encoder.AddSublayerHook,
// gpt2.Model.AddSublayerHook), which read or replace each layer's attention
// and MLP output before its residual add, and the reported attentions and
// hidden states. The model is found in any module tree by module path
// (EncoderOf, DecoderOf).
//
// GPT-2 has its own entry points on a NextToken target (the logit or
// probability of the next token): GPTAttentions, GPTLogitLens (the residual
// stream through ln_f and the tied head), GPTIntegratedGradients (w.r.t.
// the input embeddings) and GPTCausalTrace (ROME's own setting), files
// gpt_*.go. The output being
// explained is a Target: a function from a batch of inputs to one score per
// row (a class logit, a class probability, the probability of a token at a
// masked position).
//
// Every entry point puts the model in evaluation mode (dropout off), and the
// gradient-based methods leave the model's parameter gradients untouched.
// Long loops show a display.Progress bar and stop with display.ErrInterrupted
// when the notebook's stop button is pressed.
package interpret
