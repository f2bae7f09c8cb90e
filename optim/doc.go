// Package optim holds the optimizers that turn gradients into parameter updates
// (SGD with momentum and Nesterov, Adam, AdamW), learning-rate schedules, and
// gradient clipping.
//
// Every update rule is PyTorch's, step for step, so a model trained here follows
// the same trajectory as in torch (up to float32 rounding): the reference AdamW
// steps in testdata/bert-ref-small are reproduced with these rules.
// Hyperparameters are float64 and are rounded to float32 where torch rounds them
// (when a Python float meets a float32 tensor); the per-element arithmetic is float32.
//
// Files: group.go (parameter groups and the no-decay split), optimizer.go (the
// Optimizer interface), sgd.go, adam.go (Adam and AdamW), clip.go (gradient
// clipping), dp_sgd.go (DP-SGD's private gradient: per-example clipping and
// Gaussian noise), schedule.go (learning-rate schedules), state.go (saving
// optimizer state).
package optim
