package peft

import (
	"fmt"
	"sort"
	"strings"

	"github.com/turinglab/turinglab/display"
	"github.com/turinglab/turinglab/nn"
)

// TrainableParameters returns the number of trainable parameters and of all
// parameters of the model (base, every adapter and every head copy, tied
// tensors once), PEFT's get_nb_trainable_parameters.
func (m *Model) TrainableParameters() (trainable, all int) {
	return nn.CountParameters(m)
}

// TrainableSummary is the line PEFT's print_trainable_parameters prints,
// character for character:
//
//	trainable params: 1,234 || all params: 56,789 || trainable%: 2.1730
func (m *Model) TrainableSummary() string {
	tr, all := m.TrainableParameters()
	pct := 0.0
	if all > 0 {
		pct = 100 * float64(tr) / float64(all)
	}
	return fmt.Sprintf("trainable params: %s || all params: %s || trainable%%: %.4f", thousands(tr), thousands(all), pct)
}

// PrintTrainableParameters prints TrainableSummary, as PEFT does.
func (m *Model) PrintTrainableParameters() { fmt.Println(m.TrainableSummary()) }

// thousands formats n with comma separators, Python's "{:,d}".
func thousands(n int) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// TrainableTable lists, per module (a layer, with its adapter parameters
// counted under it), the number of parameters, how many are trainable and
// their share of the whole model's parameters, with a total row. It shows as
// an HTML table in a notebook.
func (m *Model) TrainableTable() display.TableValue {
	type row struct{ all, tr int }
	rows := map[string]*row{}
	var order []string
	seen := map[any]bool{}
	total, totalTr := 0, 0
	for _, p := range m.NamedParameters("") {
		if seen[p.Tensor] {
			continue
		}
		seen[p.Tensor] = true
		mod := moduleOf(p.Name)
		r := rows[mod]
		if r == nil {
			r = &row{}
			rows[mod] = r
			order = append(order, mod)
		}
		n := p.Tensor.Numel()
		r.all += n
		total += n
		if p.Tensor.RequiresGrad() {
			r.tr += n
			totalTr += n
		}
	}
	sort.SliceStable(order, func(i, j int) bool { return rows[order[i]].tr > rows[order[j]].tr })
	var out [][]any
	for _, mod := range order {
		r := rows[mod]
		out = append(out, []any{mod, r.all, r.tr, fmt.Sprintf("%.4f", 100*float64(r.tr)/float64(total))})
	}
	out = append(out, []any{"total", total, totalTr, fmt.Sprintf("%.4f", 100*float64(totalTr)/float64(total))})
	return display.Table([]string{"module", "params", "trainable", "trainable % of model"}, out)
}

// moduleOf names the layer a parameter belongs to: its name without the
// "base_model.model." prefix and without the adapter part or the final
// weight/bias ("bert.encoder.layer.0.attention.self.query" for its LoRA A).
func moduleOf(name string) string {
	name = strings.TrimPrefix(name, "base_model.model.")
	for _, marker := range []string{".lora_", ".ia3_l", ".adapter_", ".original_module", ".modules_to_save", ".ranknum"} {
		if i := strings.Index(name, marker); i >= 0 {
			return name[:i]
		}
	}
	if i := strings.LastIndex(name, "."); i >= 0 {
		return name[:i]
	}
	return name
}
