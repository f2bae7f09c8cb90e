package train

import (
	"fmt"
	"html"
	"math"
	"strings"

	"github.com/turinglab/turinglab/display"
)

// Accuracy is the fraction of predictions equal to the gold labels.
func Accuracy(predicted, gold []int) float64 {
	checkSameLength("Accuracy", predicted, gold)
	if len(gold) == 0 {
		return 0
	}
	correct := 0
	for i := range gold {
		if predicted[i] == gold[i] {
			correct++
		}
	}
	return float64(correct) / float64(len(gold))
}

func checkSameLength(op string, predicted, gold []int) {
	if len(predicted) != len(gold) {
		panic(fmt.Sprintf("train.%s: %d predictions for %d gold labels", op, len(predicted), len(gold)))
	}
}

// Scores are precision, recall and F1 of one class (or an average), with the
// number of gold examples they are about.
type Scores struct {
	Precision, Recall, F1 float64
	Support               int
}

// Report is scikit-learn's classification_report as a value: per-class scores,
// accuracy, and macro/weighted averages. It shows as sklearn's text layout and
// as an HTML table.
type Report struct {
	Labels   []string
	PerClass []Scores
	Accuracy float64
	Macro    Scores // unweighted mean over classes
	Weighted Scores // mean weighted by support
	Micro    Scores // from pooled counts (equals accuracy for single-label data)
	Total    int
}

// ClassificationReport scores predictions against gold labels for classes
// 0..len(labels)-1. A precision or recall with a zero denominator is 0, as
// sklearn's default zero_division does.
func ClassificationReport(predicted, gold []int, labels []string) Report {
	checkSameLength("ClassificationReport", predicted, gold)
	k := len(labels)
	tp, predCount, goldCount := make([]int, k), make([]int, k), make([]int, k)
	for i := range gold {
		p, g := predicted[i], gold[i]
		if p < 0 || p >= k || g < 0 || g >= k {
			panic(fmt.Sprintf("train.ClassificationReport: label %d or %d outside 0..%d (labels %q)", p, g, k-1, labels))
		}
		predCount[p]++
		goldCount[g]++
		if p == g {
			tp[p]++
		}
	}
	r := Report{Labels: labels, PerClass: make([]Scores, k), Total: len(gold), Accuracy: Accuracy(predicted, gold)}
	sumTP := 0
	for c := 0; c < k; c++ {
		r.PerClass[c] = scores(tp[c], predCount[c], goldCount[c])
		sumTP += tp[c]
		r.Macro.Precision += r.PerClass[c].Precision / float64(k)
		r.Macro.Recall += r.PerClass[c].Recall / float64(k)
		r.Macro.F1 += r.PerClass[c].F1 / float64(k)
		if r.Total > 0 {
			w := float64(goldCount[c]) / float64(r.Total)
			r.Weighted.Precision += w * r.PerClass[c].Precision
			r.Weighted.Recall += w * r.PerClass[c].Recall
			r.Weighted.F1 += w * r.PerClass[c].F1
		}
	}
	r.Macro.Support, r.Weighted.Support = r.Total, r.Total
	r.Micro = scores(sumTP, r.Total, r.Total)
	return r
}

// scores computes precision, recall and F1 from true positives and the numbers
// of predicted and gold items.
func scores(truePositives, predicted, gold int) Scores {
	s := Scores{Support: gold}
	if predicted > 0 {
		s.Precision = float64(truePositives) / float64(predicted)
	}
	if gold > 0 {
		s.Recall = float64(truePositives) / float64(gold)
	}
	if s.Precision+s.Recall > 0 {
		s.F1 = 2 * s.Precision * s.Recall / (s.Precision + s.Recall)
	}
	return s
}

// String lays the report out exactly as sklearn's classification_report with
// digits=2.
func (r Report) String() string {
	width := len("weighted avg")
	for _, l := range r.Labels {
		width = max(width, len(l))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%*s  %9s %9s %9s %9s\n\n", width, "", "precision", "recall", "f1-score", "support")
	row := func(name string, s Scores) {
		fmt.Fprintf(&b, "%*s  %9.2f %9.2f %9.2f %9d\n", width, name, s.Precision, s.Recall, s.F1, s.Support)
	}
	for c, l := range r.Labels {
		row(l, r.PerClass[c])
	}
	b.WriteString("\n")
	fmt.Fprintf(&b, "%*s  %9s %9s %9.2f %9d\n", width, "accuracy", "", "", r.Accuracy, r.Total)
	row("macro avg", r.Macro)
	row("weighted avg", r.Weighted)
	return b.String()
}

// MIMEBundle shows the report as an HTML table, with sklearn's text as fallback.
func (r Report) MIMEBundle() display.Bundle {
	var b strings.Builder
	b.WriteString("<table><thead><tr><th></th><th>precision</th><th>recall</th><th>f1-score</th><th>support</th></tr></thead><tbody>")
	row := func(name string, s Scores) {
		fmt.Fprintf(&b, "<tr><th>%s</th><td>%.3f</td><td>%.3f</td><td>%.3f</td><td>%d</td></tr>", html.EscapeString(name), s.Precision, s.Recall, s.F1, s.Support)
	}
	for c, l := range r.Labels {
		row(l, r.PerClass[c])
	}
	fmt.Fprintf(&b, "<tr><th>accuracy</th><td></td><td></td><td>%.3f</td><td>%d</td></tr>", r.Accuracy, r.Total)
	row("macro avg", r.Macro)
	row("weighted avg", r.Weighted)
	b.WriteString("</tbody></table>")
	return display.Bundle{Data: map[string]any{display.MIMEText: r.String(), display.MIMEHTML: b.String()}}
}

// Perplexity is exp of a mean cross-entropy in nats: the effective number of
// equally likely choices the model hesitates between.
func Perplexity(meanLoss float64) float64 {
	return math.Exp(meanLoss)
}
