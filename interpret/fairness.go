package interpret

import (
	"fmt"
	"math"

	"github.com/turinglab/turinglab/display"
)

// FairnessReport holds the group-fairness metrics of a classifier on
// examples that mention identity groups, for one "positive" class.
type FairnessReport struct {
	Groups []string
	// CounterfactualGap is the counterfactual token fairness gap (Garg et al.
	// 2019): the mean |f(x) − f(x′)| of the positive-class probability over
	// every example x and every swap x′ of its identity term.
	CounterfactualGap float64
	// PositiveRate, TPR and FPR are per group: P(ŷ = pos), P(ŷ = pos | y =
	// pos), P(ŷ = pos | y ≠ pos).
	PositiveRate, TPR, FPR []float64
	// DemographicParityGap is max − min of PositiveRate; TPRGap and FPRGap
	// (the equalised-odds gaps, Hardt et al. 2016) are max − min of TPR and
	// FPR.
	DemographicParityGap, TPRGap, FPRGap float64
	Accuracy                             float64
}

// Fairness measures clf on examples against the group list (the identity
// terms, used for the counterfactual swaps).
func Fairness(clf TextClassifier, examples []GroupExample, groups []string, positive int) (*FairnessReport, error) {
	if len(examples) == 0 || len(groups) < 2 {
		return nil, fmt.Errorf("interpret: fairness needs examples and at least 2 groups, got %d and %d", len(examples), len(groups))
	}
	var texts []string
	for i, e := range examples {
		if e.Group < 0 || e.Group >= len(groups) {
			return nil, fmt.Errorf("interpret: example %d has group %d, there are %d groups", i, e.Group, len(groups))
		}
		texts = append(texts, e.Text)
		for g := range groups {
			if g != e.Group {
				texts = append(texts, SwapIdentity(e.Text, groups, e.Group, g))
			}
		}
	}
	probs, err := clf.Probabilities(texts)
	if err != nil {
		return nil, err
	}
	if positive < 0 || positive >= len(probs[0]) {
		return nil, fmt.Errorf("interpret: positive class %d out of range: the classifier has %d classes", positive, len(probs[0]))
	}
	G := len(groups)
	r := &FairnessReport{Groups: groups, PositiveRate: make([]float64, G), TPR: make([]float64, G), FPR: make([]float64, G)}
	n, npos, nneg := make([]float64, G), make([]float64, G), make([]float64, G)
	var gap float64
	var swaps, correct int
	k := 0
	for _, e := range examples {
		p := probs[k]
		k++
		for g := 0; g < G-1; g++ {
			gap += math.Abs(p[positive] - probs[k][positive])
			swaps++
			k++
		}
		pred := argmax(p) == positive
		gold := e.Label == positive
		if argmax(p) == e.Label {
			correct++
		}
		n[e.Group]++
		if pred {
			r.PositiveRate[e.Group]++
		}
		if gold {
			npos[e.Group]++
			if pred {
				r.TPR[e.Group]++
			}
		} else {
			nneg[e.Group]++
			if pred {
				r.FPR[e.Group]++
			}
		}
	}
	for g := 0; g < G; g++ {
		r.PositiveRate[g] /= math.Max(1, n[g])
		r.TPR[g] /= math.Max(1, npos[g])
		r.FPR[g] /= math.Max(1, nneg[g])
	}
	r.CounterfactualGap = gap / float64(swaps)
	r.DemographicParityGap = spread(r.PositiveRate)
	r.TPRGap, r.FPRGap = spread(r.TPR), spread(r.FPR)
	r.Accuracy = float64(correct) / float64(len(examples))
	return r, nil
}

// spread is max − min.
func spread(v []float64) float64 {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, x := range v {
		lo, hi = math.Min(lo, x), math.Max(hi, x)
	}
	return hi - lo
}

// FairnessTable compares reports (e.g. before and after mitigation).
func FairnessTable(names []string, reports []*FairnessReport) display.TableValue {
	var rows [][]any
	for i, r := range reports {
		rows = append(rows, []any{names[i], fmt.Sprintf("%.3f", r.Accuracy), fmt.Sprintf("%.3f", r.CounterfactualGap),
			fmt.Sprintf("%.3f", r.DemographicParityGap), fmt.Sprintf("%.3f", r.TPRGap), fmt.Sprintf("%.3f", r.FPRGap)})
	}
	return display.Table([]string{"model", "accuracy", "counterfactual gap", "demographic parity gap", "TPR gap", "FPR gap"}, rows)
}

// MIMEBundle shows the report as a one-row table.
func (r *FairnessReport) MIMEBundle() display.Bundle {
	return FairnessTable([]string{"model"}, []*FairnessReport{r}).MIMEBundle()
}
