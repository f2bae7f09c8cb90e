package optim

import (
	"strconv"
	"strings"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/nn"
)

// ParamGroup is a set of parameters sharing a learning rate and weight decay, as
// in torch's param_groups. A schedule changes LR; InitialLR remembers the value
// the schedule multiplies.
type ParamGroup struct {
	// Params are the tensors updated by this group.
	Params []*autograd.Tensor
	// Names optionally names each parameter (same length as Params, or empty);
	// used for optimizer-state files and error messages.
	Names []string
	// LR is the current learning rate.
	LR float64
	// WeightDecay is the group's weight decay (L2 for SGD and Adam, decoupled for AdamW).
	WeightDecay float64
	// InitialLR is the learning rate when a schedule was attached (0 before).
	InitialLR float64
}

// NewGroup makes a group of params with its own learning rate and weight decay.
// An lr of 0 means "use the optimizer's learning rate".
func NewGroup(params []*autograd.Tensor, lr, weightDecay float64) *ParamGroup {
	return &ParamGroup{Params: params, LR: lr, WeightDecay: weightDecay}
}

// NamedGroup is NewGroup for named parameters (names go into Names).
func NamedGroup(params []nn.NamedParameter, lr, weightDecay float64) *ParamGroup {
	g := &ParamGroup{LR: lr, WeightDecay: weightDecay}
	for _, p := range params {
		g.Params = append(g.Params, p.Tensor)
		g.Names = append(g.Names, p.Name)
	}
	return g
}

// NoDecay reports whether a parameter should be exempt from weight decay under
// the HuggingFace Trainer convention: biases and LayerNorm weights, the
// latter recognised by HF's module names (BERT's "LayerNorm", "layer_norm",
// GPT-2's "ln_1", "ln_2", "ln_f").
func NoDecay(name string) bool {
	if strings.HasSuffix(name, "bias") ||
		strings.Contains(name, "LayerNorm.weight") ||
		strings.Contains(name, "layer_norm.weight") {
		return true
	}
	module, isWeight := strings.CutSuffix(name, ".weight")
	if i := strings.LastIndexByte(module, '.'); i >= 0 {
		module = module[i+1:]
	}
	return isWeight && strings.HasPrefix(module, "ln_")
}

// DecayGroups splits the trainable parameters (those requiring gradients) into
// the two groups HF's Trainer builds: everything else with weightDecay, then
// biases and LayerNorm weights with decay 0. Both use the optimizer's learning rate.
// Empty groups are left out.
func DecayGroups(params []nn.NamedParameter, weightDecay float64) []*ParamGroup {
	var decay, noDecay []nn.NamedParameter
	for _, p := range params {
		if !p.Tensor.RequiresGrad() {
			continue
		}
		if NoDecay(p.Name) {
			noDecay = append(noDecay, p)
		} else {
			decay = append(decay, p)
		}
	}
	var groups []*ParamGroup
	if len(decay) > 0 {
		groups = append(groups, NamedGroup(decay, 0, weightDecay))
	}
	if len(noDecay) > 0 {
		groups = append(groups, NamedGroup(noDecay, 0, 0))
	}
	return groups
}

// paramName names parameter i of group g for messages.
func (g *ParamGroup) paramName(i int) string {
	if i < len(g.Names) && g.Names[i] != "" {
		return g.Names[i]
	}
	return "#" + strconv.Itoa(i)
}
