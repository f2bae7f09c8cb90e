package train

import (
	"math"
	"reflect"
	"strings"
	"testing"
)

func TestAccuracyAndPerplexity(t *testing.T) {
	if got := Accuracy([]int{1, 2, 0, 1}, []int{1, 2, 1, 1}); got != 0.75 {
		t.Fatalf("accuracy %v", got)
	}
	if got := Perplexity(math.Log(7)); math.Abs(got-7) > 1e-12 {
		t.Fatalf("perplexity %v", got)
	}
}

// The numbers and the layout are sklearn's for
// classification_report([0,1,2,2,1,0], [0,2,2,2,1,1], target_names=[...]).
func TestClassificationReportMatchesSklearn(t *testing.T) {
	gold := []int{0, 1, 2, 2, 1, 0}
	pred := []int{0, 2, 2, 2, 1, 1}
	r := ClassificationReport(pred, gold, []string{"negative", "neutral", "positive"})
	want := "" +
		"              precision    recall  f1-score   support\n" +
		"\n" +
		"    negative       1.00      0.50      0.67         2\n" +
		"     neutral       0.50      0.50      0.50         2\n" +
		"    positive       0.67      1.00      0.80         2\n" +
		"\n" +
		"    accuracy                           0.67         6\n" +
		"   macro avg       0.72      0.67      0.66         6\n" +
		"weighted avg       0.72      0.67      0.66         6\n"
	if r.String() != want {
		t.Fatalf("report:\n%s\nwant:\n%s", r.String(), want)
	}
	if math.Abs(r.Micro.F1-r.Accuracy) > 1e-12 {
		t.Fatalf("micro F1 %v must equal accuracy %v for single-label data", r.Micro.F1, r.Accuracy)
	}
	if !strings.Contains(r.MIMEBundle().Data["text/html"].(string), "<th>neutral</th><td>0.500</td>") {
		t.Fatal("html report lacks the neutral row")
	}
}

func TestZeroDivisionIsZero(t *testing.T) {
	r := ClassificationReport([]int{0, 0}, []int{0, 1}, []string{"a", "b"})
	if r.PerClass[1] != (Scores{Support: 1}) {
		t.Fatalf("class never predicted: %+v", r.PerClass[1])
	}
}

func TestConfusionMatrix(t *testing.T) {
	m := NewConfusionMatrix([]int{0, 2, 2, 2, 1, 1}, []int{0, 1, 2, 2, 1, 0}, []string{"neg", "neu", "pos"})
	want := [][]int{{1, 1, 0}, {0, 1, 1}, {0, 0, 2}}
	if !reflect.DeepEqual(m.Counts, want) {
		t.Fatalf("counts %v, want %v", m.Counts, want)
	}
	if !strings.Contains(m.MIMEBundle().Data["text/html"].(string), "<td><b>2</b></td>") {
		t.Fatal("diagonal not emphasised")
	}
	if m.Float64()[2][2] != 2 {
		t.Fatal("Float64 wrong")
	}
}

func TestEntitiesFollowConlleval(t *testing.T) {
	tags := []string{"B-PER", "I-PER", "O", "I-LOC", "I-LOC", "B-LOC", "B-ORG", "I-PER"}
	want := []Entity{{"PER", 0, 2}, {"LOC", 3, 5}, {"LOC", 5, 6}, {"ORG", 6, 7}, {"PER", 7, 8}}
	if got := Entities(tags); !reflect.DeepEqual(got, want) {
		t.Fatalf("entities %v, want %v", got, want)
	}
}

// seqeval: f1_score([['B-PER','I-PER','O','B-LOC']], [['B-PER','O','O','B-LOC']])
// -> the PER span is wrong (boundary), LOC right: P = R = 0.5.
func TestEntityF1ExactSpans(t *testing.T) {
	gold := [][]string{{"B-PER", "I-PER", "O", "B-LOC"}, {"B-ORG", "O"}}
	pred := [][]string{{"B-PER", "O", "O", "B-LOC"}, {"B-ORG", "O"}}
	r := EntityF1(pred, gold)
	if math.Abs(r.Micro.Precision-2.0/3) > 1e-12 || math.Abs(r.Micro.Recall-2.0/3) > 1e-12 {
		t.Fatalf("micro %+v", r.Micro)
	}
	if !reflect.DeepEqual(r.Types, []string{"LOC", "ORG", "PER"}) || r.PerType[2].F1 != 0 {
		t.Fatalf("per type %v %+v", r.Types, r.PerType)
	}
	if !strings.Contains(r.String(), "micro avg") {
		t.Fatal("report lacks the micro average")
	}
}
