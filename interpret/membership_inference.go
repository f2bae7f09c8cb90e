package interpret

import (
	"fmt"
	"math"
	"sort"

	"github.com/turinglab/turinglab/display"
	"github.com/turinglab/turinglab/plots"
)

// MembershipResult is a loss-threshold membership-inference attack (Yeom et
// al. 2018): guess "was in the training set" when an example's loss is below
// a threshold. Sweeping the threshold gives the ROC curve; an AUC of 0.5
// means the model leaks nothing, 1 that training examples are recognisable.
type MembershipResult struct {
	// FPR and TPR trace the ROC curve from (0, 0) to (1, 1), one point per
	// distinct threshold.
	FPR, TPR []float64
	AUC      float64
	// Advantage is max (TPR − FPR), the attacker's best membership advantage,
	// reached at loss threshold Threshold.
	Advantage, Threshold float64
	// MemberLoss and NonMemberLoss are the mean losses of the two sets.
	MemberLoss, NonMemberLoss float64
}

// LossThresholdAttack runs the attack on the per-example losses of training
// examples (members) and held-out ones (non-members).
func LossThresholdAttack(members, nonMembers []float64) (*MembershipResult, error) {
	if len(members) == 0 || len(nonMembers) == 0 {
		return nil, fmt.Errorf("interpret: membership inference needs members and non-members, got %d and %d", len(members), len(nonMembers))
	}
	type point struct {
		loss   float64
		member bool
	}
	var ps []point
	for _, l := range members {
		ps = append(ps, point{l, true})
	}
	for _, l := range nonMembers {
		ps = append(ps, point{l, false})
	}
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].loss < ps[j].loss })
	P, N := float64(len(members)), float64(len(nonMembers))
	r := &MembershipResult{FPR: []float64{0}, TPR: []float64{0}, Threshold: math.Inf(-1)}
	var tp, fp float64
	for i := 0; i < len(ps); {
		j := i
		for j < len(ps) && ps[j].loss == ps[i].loss { // ties move together
			if ps[j].member {
				tp++
			} else {
				fp++
			}
			j++
		}
		tpr, fpr := tp/P, fp/N
		// Trapezoid area of the step (ties give a diagonal, i.e. ½ credit).
		r.AUC += (fpr - r.FPR[len(r.FPR)-1]) * (tpr + r.TPR[len(r.TPR)-1]) / 2
		r.FPR, r.TPR = append(r.FPR, fpr), append(r.TPR, tpr)
		if tpr-fpr > r.Advantage {
			r.Advantage, r.Threshold = tpr-fpr, ps[i].loss
		}
		i = j
	}
	r.MemberLoss, r.NonMemberLoss = mean(members), mean(nonMembers)
	return r, nil
}

func mean(v []float64) float64 {
	var s float64
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}

// ROCPlot draws the ROC curves of several attacks (e.g. before and after a
// mitigation) against the chance diagonal.
func ROCPlot(names []string, results []*MembershipResult) *plots.Line {
	l := plots.NewLine("membership inference ROC")
	for i, r := range results {
		l.Add(fmt.Sprintf("%s (AUC %.3f)", names[i], r.AUC), r.FPR, r.TPR)
	}
	l.Add("chance", []float64{0, 1}, []float64{0, 1})
	l.XLabel, l.YLabel = "false positive rate", "true positive rate"
	return l
}

// MIMEBundle shows the ROC curve.
func (r *MembershipResult) MIMEBundle() display.Bundle {
	return ROCPlot([]string{"loss threshold"}, []*MembershipResult{r}).MIMEBundle()
}
