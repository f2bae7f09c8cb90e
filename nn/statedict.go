package nn

import "strings"

// StateDict returns the model's parameters under their state-dict names, in the
// module's order. The tensors are the live parameters, not copies (as in torch):
// save them before training further if you need a snapshot.
func StateDict(m Module) []NamedParameter {
	return m.NamedParameters("")
}

// WithPrefix returns sd with every name prefixed (Join(prefix, name)), e.g. to
// load a bare BertModel checkpoint into a model that holds it under "bert".
func WithPrefix(sd []NamedParameter, prefix string) []NamedParameter {
	out := make([]NamedParameter, len(sd))
	for i, p := range sd {
		out[i] = NamedParameter{Join(prefix, p.Name), p.Tensor}
	}
	return out
}

// StripPrefix returns the entries of sd whose names start with prefix + ".",
// with that prefix removed, e.g. the "bert." part of a BertForPreTraining
// checkpoint for a bare BertModel. Other entries are dropped.
func StripPrefix(sd []NamedParameter, prefix string) []NamedParameter {
	var out []NamedParameter
	for _, p := range sd {
		if strings.HasPrefix(p.Name, prefix+".") {
			out = append(out, NamedParameter{p.Name[len(prefix)+1:], p.Tensor})
		}
	}
	return out
}
