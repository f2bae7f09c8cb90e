package train

import (
	"fmt"
	"html"
	"strings"

	"github.com/turinglab/turinglab/display"
)

// TagScheme is how a tag set encodes its labels, which decides how tagging
// is scored: entity spans (BIO, BIOES) by entity-level F1, anything else
// (part-of-speech tags, chunk labels without prefixes) by token accuracy.
type TagScheme int

const (
	// PlainTags are per-word labels with no span prefixes (e.g. NOUN, VERB).
	PlainTags TagScheme = iota
	// BIOTags mark entity spans with B- (begin) and I- (inside), O outside.
	BIOTags
	// BIOESTags add E- (end) and S- (single-word entity) to BIO.
	BIOESTags
)

// String names the scheme.
func (s TagScheme) String() string {
	switch s {
	case PlainTags:
		return "plain tags"
	case BIOTags:
		return "BIO"
	case BIOESTags:
		return "BIOES"
	}
	return fmt.Sprintf("TagScheme(%d)", int(s))
}

// DetectTagScheme reads the scheme from a tag set: BIO when every tag is O or
// starts with B- or I- (and some with B-), BIOES when E- and S- also occur,
// plain otherwise.
func DetectTagScheme(tags []string) TagScheme {
	seen := map[string]bool{}
	for _, t := range tags {
		if t == "O" {
			continue
		}
		prefix, typ, ok := strings.Cut(t, "-")
		if !ok || typ == "" || !strings.Contains("BIES", prefix) || len(prefix) != 1 {
			return PlainTags
		}
		seen[prefix] = true
	}
	switch {
	case !seen["B"] && !seen["S"]:
		return PlainTags
	case seen["E"] || seen["S"]:
		return BIOESTags
	}
	return BIOTags
}

// TagReport scores predicted tags against gold ones with the metric the tag
// scheme calls for — entity-level precision, recall and F1 (seqeval) for
// BIO/BIOES, token accuracy otherwise — and always gives token accuracy and
// each tag's accuracy (the share of words with that gold tag tagged right).
type TagReport struct {
	Scheme   TagScheme
	Entities EntityReport // only for BIO and BIOES
	Accuracy float64      // token accuracy over all words
	Tags     []string     // the gold tags seen, in first-seen order
	PerTag   []float64    // PerTag[i] is the accuracy on words whose gold tag is Tags[i]
	Support  []int        // Support[i] is how many words have gold tag Tags[i]
}

// ScoreTags scores tag sequences; the scheme comes from labels (the task's tag
// set), or from the gold tags when labels is empty.
func ScoreTags(predicted, gold [][]string, labels []string) TagReport {
	if len(predicted) != len(gold) {
		panic(fmt.Sprintf("train.ScoreTags: %d predicted sentences for %d gold ones", len(predicted), len(gold)))
	}
	if len(labels) == 0 {
		for _, s := range gold {
			labels = append(labels, s...)
		}
	}
	r := TagReport{Scheme: DetectTagScheme(labels)}
	index := map[string]int{}
	var correctPer []int
	correct, total := 0, 0
	for i := range gold {
		if len(predicted[i]) != len(gold[i]) {
			panic(fmt.Sprintf("train.ScoreTags: sentence %d has %d predicted tags for %d words", i, len(predicted[i]), len(gold[i])))
		}
		for j, g := range gold[i] {
			k, ok := index[g]
			if !ok {
				k = len(r.Tags)
				index[g] = k
				r.Tags = append(r.Tags, g)
				r.Support = append(r.Support, 0)
				correctPer = append(correctPer, 0)
			}
			r.Support[k]++
			total++
			if predicted[i][j] == g {
				correct++
				correctPer[k]++
			}
		}
	}
	r.Accuracy = float64(correct) / float64(max(total, 1))
	r.PerTag = make([]float64, len(r.Tags))
	for k := range r.Tags {
		r.PerTag[k] = float64(correctPer[k]) / float64(r.Support[k])
	}
	if r.Scheme != PlainTags {
		r.Entities = EntityF1(predicted, gold)
	}
	return r
}

// Metric says which headline metric the report uses and why.
func (r TagReport) Metric() string {
	if r.Scheme == PlainTags {
		return "token accuracy (the tags have no B-/I- span prefixes)"
	}
	return fmt.Sprintf("entity-level F1 (seqeval; %v tags)", r.Scheme)
}

// Metrics returns the report as an EvalFunc's metrics: "accuracy" always,
// and "f1", "precision" and "recall" of entities for BIO/BIOES tags.
func (r TagReport) Metrics() map[string]float64 {
	m := map[string]float64{"accuracy": r.Accuracy}
	if r.Scheme != PlainTags {
		m["f1"], m["precision"], m["recall"] = r.Entities.Micro.F1, r.Entities.Micro.Precision, r.Entities.Micro.Recall
	}
	return m
}

// String shows the metric used, token accuracy, per-tag accuracy and, for
// entity tags, the entity report.
func (r TagReport) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "scored by %s\ntoken accuracy %.4f\n", r.Metric(), r.Accuracy)
	if r.Scheme != PlainTags {
		b.WriteString(r.Entities.String())
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "%-12s %9s %8s\n", "tag", "accuracy", "words")
	for i, t := range r.Tags {
		fmt.Fprintf(&b, "%-12s %9.4f %8d\n", t, r.PerTag[i], r.Support[i])
	}
	return b.String()
}

// MIMEBundle shows the report as preformatted text in the notebook.
func (r TagReport) MIMEBundle() display.Bundle {
	s := r.String()
	return display.Bundle{Data: map[string]any{display.MIMEText: s, display.MIMEHTML: "<pre>" + html.EscapeString(s) + "</pre>"}}
}
