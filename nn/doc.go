// Package nn builds neural networks out of autograd tensors: the Module
// interface (named parameters and a train/eval switch), the standard layers
// (Linear, Embedding, LayerNorm, Dropout, activations), containers (ModuleList,
// Sequential), state dicts, and checkpoints in the safetensors format.
//
// Parameter names are hierarchical and dotted, exactly as in PyTorch and
// HuggingFace state dicts ("encoder.layer.0.attention.self.query.weight"), so a
// model here and its PyTorch twin load each other's checkpoints one to one.
//
// Files: module.go (the interfaces and the tree helpers), repr.go (torch-like
// printing), one file per layer (linear.go, embedding.go, layernorm.go,
// dropout.go, activation.go), containers.go (ModuleList, Sequential),
// statedict.go (StateDict, prefixes), load.go (the one state-dict loader:
// LoadStateDict, LoadOptions with HF's renaming and base-model prefix rules,
// LoadReport) and checkpoint.go (safetensors files).
package nn
