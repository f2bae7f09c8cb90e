package interpret

import (
	"fmt"
	"html"
	"strings"

	"github.com/turinglab/turinglab/data"
	"github.com/turinglab/turinglab/display"
)

// The outcome of attacking one example, as TextAttack names them.
const (
	AttackSucceeded = "succeeded" // the prediction flipped within the constraints
	AttackFailed    = "failed"    // the constraints ran out first
	AttackSkipped   = "skipped"   // the model was already wrong: nothing to attack
)

// AttackOptions are an attack's constraints and search budget; zero values
// mean the defaults.
type AttackOptions struct {
	// MaxWordFraction is the largest share of an example's words that may be
	// changed; 0 means 0.25.
	MaxWordFraction float64
	// MaxWords, when positive, also caps the number of changed words (the
	// attack budget in words, whatever the example's length).
	MaxWords int
	// MinCosine is the smallest cosine similarity between the embeddings of
	// a word and its substitute; 0 means 0.5.
	MinCosine float64
	// Candidates is how many nearest neighbours of a word are tried; 0 means 20.
	Candidates int
	// TopN is how many of HotFlip's best first-order swaps (one per word
	// position) are checked with the real model at each step (TextAttack's
	// WordSwapGradientBased top_n under a greedy search); 0 means 5.
	TopN int
}

func (o AttackOptions) withDefaults() AttackOptions {
	if o.MaxWordFraction == 0 {
		o.MaxWordFraction = 0.25
	}
	if o.MinCosine == 0 {
		o.MinCosine = 0.5
	}
	if o.Candidates == 0 {
		o.Candidates = 20
	}
	if o.TopN == 0 {
		o.TopN = 5
	}
	return o
}

// budget is how many of n words may change (at least one).
func (o AttackOptions) budget(n int) int {
	b := max(1, int(o.MaxWordFraction*float64(n)))
	if o.MaxWords > 0 {
		b = min(b, o.MaxWords)
	}
	return b
}

// AttackResult is one attacked example.
type AttackResult struct {
	Original, Perturbed string
	Label               int // the gold label
	OriginalPrediction  int
	FinalPrediction     int
	Status              string
	// Changed are the (word-piece) indexes of the substituted words, Words the
	// example's number of words.
	Changed []int
	Words   int
	// Queries counts model evaluations (forward passes per text).
	Queries int
	// OriginalProb and FinalProb are the probability of the gold label before
	// and after.
	OriginalProb, FinalProb float64

	before, after []textPiece
}

// beginAttack is the first step every attack takes on an example: it splits
// the text into words, asks the classifier once for the original prediction
// and records it. done is true when the model is already wrong (the example
// is skipped, as TextAttack does), so there is nothing to attack.
func beginAttack(clf TextClassifier, ex data.Example) (r AttackResult, words []int, done bool, err error) {
	pieces := splitWords(ex.Text)
	words = wordIndexes(pieces)
	r = AttackResult{Original: ex.Text, Perturbed: ex.Text, Label: ex.Label, Words: len(words), before: pieces, after: pieces}
	p, err := clf.Probabilities([]string{ex.Text})
	if err != nil {
		return r, words, true, err
	}
	if ex.Label < 0 || ex.Label >= len(p[0]) {
		return r, words, true, fmt.Errorf("interpret: example %q has label %d, the classifier has %d classes", ex.Text, ex.Label, len(p[0]))
	}
	r.Queries = 1
	r.OriginalPrediction, r.FinalPrediction = argmax(p[0]), argmax(p[0])
	r.OriginalProb, r.FinalProb = p[0][ex.Label], p[0][ex.Label]
	if r.OriginalPrediction != ex.Label {
		r.Status = AttackSkipped
		return r, words, true, nil
	}
	return r, words, false, nil
}

// HTML shows the example before and after, changed words marked.
func (r *AttackResult) HTML() string {
	mark := func(ps []textPiece, color string) string {
		var b strings.Builder
		for i, p := range ps {
			changed := false
			for _, c := range r.Changed {
				changed = changed || c == i
			}
			if changed {
				fmt.Fprintf(&b, `<span style="background:%s;font-weight:bold">%s</span>`, color, html.EscapeString(p.Text))
			} else {
				b.WriteString(html.EscapeString(p.Text))
			}
		}
		return b.String()
	}
	return fmt.Sprintf(`<div style="font-family:sans-serif;margin:4px 0"><b>%s</b> (label %d, P %.2f → %.2f, %d queries)<br>before: %s<br>after: %s</div>`,
		r.Status, r.Label, r.OriginalProb, r.FinalProb, r.Queries, mark(r.before, "#fcc"), mark(r.after, "#cfc"))
}

// AttackSummary is TextAttack's attack report over a set of examples.
type AttackSummary struct {
	Attack                     string
	Succeeded, Failed, Skipped int
	OriginalAccuracy           float64 // (failed + succeeded) / total
	AccuracyUnderAttack        float64 // failed / total
	SuccessRate                float64 // succeeded / (succeeded + failed)
	AvgPerturbedWordPct        float64 // mean % of words changed, over successful attacks
	AvgWords                   float64 // mean words per attacked example
	AvgQueries                 float64 // mean queries over attacked (not skipped) examples
}

// Summarize computes TextAttack's metrics: examples the model already gets
// wrong are skipped, not counted as successes.
func Summarize(name string, results []AttackResult) AttackSummary {
	s := AttackSummary{Attack: name}
	var pct, words, queries float64
	for _, r := range results {
		switch r.Status {
		case AttackSucceeded:
			s.Succeeded++
			pct += 100 * float64(len(r.Changed)) / float64(max(1, r.Words))
		case AttackFailed:
			s.Failed++
		default:
			s.Skipped++
			continue
		}
		words += float64(r.Words)
		queries += float64(r.Queries)
	}
	n := float64(len(results))
	attacked := float64(s.Succeeded + s.Failed)
	if n > 0 {
		s.OriginalAccuracy = attacked / n
		s.AccuracyUnderAttack = float64(s.Failed) / n
	}
	if attacked > 0 {
		s.SuccessRate = float64(s.Succeeded) / attacked
		s.AvgWords = words / attacked
		s.AvgQueries = queries / attacked
	}
	if s.Succeeded > 0 {
		s.AvgPerturbedWordPct = pct / float64(s.Succeeded)
	}
	return s
}

// SummaryTable puts several attacks' summaries side by side.
func SummaryTable(summaries ...AttackSummary) display.TableValue {
	rows := [][]any{}
	for _, s := range summaries {
		rows = append(rows, []any{s.Attack, s.Succeeded, s.Failed, s.Skipped,
			fmt.Sprintf("%.1f%%", 100*s.OriginalAccuracy), fmt.Sprintf("%.1f%%", 100*s.AccuracyUnderAttack),
			fmt.Sprintf("%.1f%%", 100*s.SuccessRate), fmt.Sprintf("%.1f%%", s.AvgPerturbedWordPct),
			fmt.Sprintf("%.1f", s.AvgWords), fmt.Sprintf("%.1f", s.AvgQueries)})
	}
	return display.Table([]string{"attack", "succeeded", "failed", "skipped", "original accuracy", "accuracy under attack",
		"attack success rate", "avg perturbed words", "avg words", "avg queries"}, rows)
}

// MIMEBundle shows the summary as a table.
func (s AttackSummary) MIMEBundle() display.Bundle { return SummaryTable(s).MIMEBundle() }

// ExamplesHTML shows up to n results with the given status ("" for any).
func ExamplesHTML(results []AttackResult, status string, n int) display.HTML {
	var b strings.Builder
	for i := range results {
		if n <= 0 {
			break
		}
		if status == "" || results[i].Status == status {
			b.WriteString(results[i].HTML())
			n--
		}
	}
	return display.HTML(b.String())
}
