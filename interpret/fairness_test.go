package interpret

import (
	"math"
	"strings"
	"testing"

	"github.com/turinglab/turinglab/data"
)

func TestFairnessOfABiasedModel(t *testing.T) {
	groups := []string{"young", "old"}
	ex := []GroupExample{
		{data.Example{Text: "The young critic said it was good.", Label: 1}, 0},
		{data.Example{Text: "The old critic said it was good.", Label: 1}, 1},
		{data.Example{Text: "The young critic said it was bad.", Label: 0}, 0},
		{data.Example{Text: "The old critic said it was bad.", Label: 0}, 1},
	}
	// The model predicts positive exactly when "young" appears.
	r, err := Fairness(keywordModel{"young"}, ex, groups, 1)
	if err != nil {
		t.Fatal(err)
	}
	if r.DemographicParityGap != 1 || r.TPRGap != 1 || r.FPRGap != 1 || r.Accuracy != 0.5 || math.Abs(r.CounterfactualGap-0.7) > 1e-12 {
		t.Fatalf("report %+v", r)
	}
	// A model that ignores identity is fair on every metric.
	r, _ = Fairness(keywordModel{"good"}, ex, groups, 1)
	if r.DemographicParityGap != 0 || r.TPRGap != 0 || r.FPRGap != 0 || r.CounterfactualGap != 0 || r.Accuracy != 1 {
		t.Fatalf("report %+v", r)
	}
}

func TestIdentityDataAndAugmentation(t *testing.T) {
	groups := []string{"young", "old"}
	ex := IdentityData(IdentityOptions{Seed: 1, N: 400, Skew: 0.9})
	var posYoung, pos float64
	for _, e := range ex {
		if !strings.Contains(strings.ToLower(e.Text), groups[e.Group]) {
			t.Fatalf("%q does not mention %s", e.Text, groups[e.Group])
		}
		if e.Label == 1 {
			pos++
			if e.Group == 0 {
				posYoung++
			}
		}
	}
	if frac := posYoung / pos; frac < 0.8 || frac > 0.97 {
		t.Fatalf("skew 0.9 gave %v of positives in group 0", frac)
	}
	aug, err := CounterfactualAugment(ex[:3], groups)
	if err != nil {
		t.Fatal(err)
	}
	if len(aug) != 6 || aug[1].Group == aug[0].Group || aug[1].Label != aug[0].Label ||
		aug[1].Text != SwapIdentity(aug[0].Text, groups, aug[0].Group, aug[1].Group) {
		t.Fatalf("augmented %+v", aug)
	}
	if got := SwapIdentity("Young people and the young critic", groups, 0, 1); got != "Old people and the old critic" {
		t.Fatalf("swap %q", got)
	}
}
