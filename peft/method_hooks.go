package peft

import (
	"github.com/turinglab/turinglab/nn"
	"github.com/turinglab/turinglab/safetensors"
)

// methodSaved returns the tensors a method saves besides its layers'
// (prompt learning's "prompt_embeddings").
func (m *Model) methodSaved(a *adapter) []nn.NamedParameter { return nil }

// beforeSave lets a method adjust what is written (AdaLoRA prunes masked
// ranks).
func (m *Model) beforeSave(a *adapter, sd *[]nn.NamedParameter) error { return nil }

// beforeLoad lets a method adjust a config to the file before the adapter is
// built (AdaLoRA's pruned ranks, prefix tuning's projected prefixes).
func (m *Model) beforeLoad(cfg Config, f *safetensors.File) error { return nil }

// afterLoad lets a method finish a loaded adapter.
func (m *Model) afterLoad(a *adapter) {}
