// Package interpret looks inside the course's BERT models and tries to break
// them: attention views and rollout, gradient saliency and integrated
// gradients, activation caching and patching, fact-recall quizzes and causal
// tracing, the logit lens, linear probes and PCA projections (looking
// inside); HotFlip and greedy
// word-substitution attacks with TextAttack's metrics, CheckList-style
// behavioural tests, fairness gaps and a membership-inference attack (breaking
// it).
//
// Everything runs on the live Go model through two seams of package bert: the
// encoder's layer hooks (bert.Encoder.AddHook), which read or replace the
// hidden state between layers, and the reported attentions and hidden states
// (bert.Inputs.OutputAttentions / OutputHiddenStates). The output being
// explained is a Target: a function from a batch of inputs to one score per
// row (a class logit, a class probability, the probability of a token at a
// masked position).
//
// Every entry point puts the model in evaluation mode (dropout off), and the
// gradient-based methods leave the model's parameter gradients untouched.
// Long loops show a display.Progress bar and stop with display.ErrInterrupted
// when the notebook's stop button is pressed.
package interpret
