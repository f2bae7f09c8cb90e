package interpret

import (
	"math"
	"testing"
)

func TestLossThresholdAttackKnownAUC(t *testing.T) {
	r, err := LossThresholdAttack([]float64{0.1, 0.2}, []float64{0.3, 0.4})
	if err != nil {
		t.Fatal(err)
	}
	if r.AUC != 1 || r.Advantage != 1 || r.Threshold != 0.2 {
		t.Fatalf("separable: %+v", r)
	}
	// Pairs (member, non-member): (1,2)→1, (1,3)→1, (2,2)→½, (2,3)→1: AUC 3.5/4.
	r, _ = LossThresholdAttack([]float64{1, 2}, []float64{2, 3})
	if math.Abs(r.AUC-0.875) > 1e-12 {
		t.Fatalf("ties: AUC %v", r.AUC)
	}
	r, _ = LossThresholdAttack([]float64{1, 2, 3}, []float64{1, 2, 3})
	if math.Abs(r.AUC-0.5) > 1e-12 || r.Advantage != 0 {
		t.Fatalf("identical: %+v", r)
	}
	if n := len(r.FPR); r.FPR[n-1] != 1 || r.TPR[n-1] != 1 {
		t.Fatal("ROC must end at (1, 1)")
	}
	if _, err := LossThresholdAttack(nil, []float64{1}); err == nil {
		t.Fatal("empty members accepted")
	}
}
