// Package hf holds what the two HuggingFace model families, bert and gpt2,
// do alike, so that each is written once: where a checkpoint folder's files
// are (files.go), config.json's plumbing (config.go), building a model from a
// checkpoint and HF's warning about weights it lacked (checkpoint.go),
// batching rows of ids (inputs.go), the setters behind nn.Parent's SetChild
// (children.go) and the hook lists of the forward passes (hooks.go).
//
// It sits between nn (layer 3) and the models (layer 5): it imports nn,
// safetensors and autograd, and only bert and gpt2 import it. What each
// family says differently (its key names, defaults, error prefix) stays in
// its own package; the helpers take it as an argument.
package hf
