package interpret

import (
	"fmt"
	"html"
	"sort"
	"strings"

	"github.com/turinglab/turinglab/display"
)

// The three CheckList test types (Ribeiro et al. 2020).
const (
	// MFT, a minimum functionality test: simple cases with a known label.
	MFT = "MFT"
	// INV, an invariance test: a label-preserving perturbation must not
	// change the prediction.
	INV = "INV"
	// DIR, a directional expectation test: a perturbation must move the
	// prediction in a known direction.
	DIR = "DIR"
)

// Perturbation turns a text into zero or more perturbed versions.
type Perturbation func(text string) []string

// Expectation judges a DIR case from the class probabilities before and
// after the perturbation; it returns true when the model behaves.
type Expectation func(before, after []float64) bool

// BehaviourTest is one CheckList test: a name, its type and its cases.
type BehaviourTest struct {
	Name, Kind string
	Cases      []TestCase
	// Expect judges DIR cases.
	Expect Expectation
}

// TestCase is one input of a test: for MFT a text and its label, for INV
// and DIR a text and its perturbations.
type TestCase struct {
	Text      string
	Label     int
	Perturbed []string
}

// Expand fills a template's {slots} with every combination of the given
// words, slots in alphabetical order (CheckList's editor.template).
func Expand(template string, fills map[string][]string) ([]string, error) {
	var slots []string
	for k := range fills {
		if !strings.Contains(template, "{"+k+"}") {
			return nil, fmt.Errorf("interpret: template %q has no slot {%s}", template, k)
		}
		slots = append(slots, k)
	}
	sort.Strings(slots)
	out := []string{template}
	for _, s := range slots {
		var next []string
		for _, t := range out {
			for _, w := range fills[s] {
				next = append(next, strings.ReplaceAll(t, "{"+s+"}", w))
			}
		}
		out = next
	}
	for _, t := range out {
		if i := strings.Index(t, "{"); i >= 0 && strings.Contains(t[i:], "}") {
			return nil, fmt.Errorf("interpret: template %q has an unfilled slot in %q", template, t)
		}
	}
	return out, nil
}

// NewMFT makes a minimum functionality test from a template whose every
// expansion has the given label.
func NewMFT(name, template string, fills map[string][]string, label int) (*BehaviourTest, error) {
	texts, err := Expand(template, fills)
	if err != nil {
		return nil, err
	}
	t := &BehaviourTest{Name: name, Kind: MFT}
	for _, s := range texts {
		t.Cases = append(t.Cases, TestCase{Text: s, Label: label})
	}
	return t, nil
}

// NewINV makes an invariance test: each text with its perturbations (texts
// the perturbation leaves unchanged are dropped).
func NewINV(name string, texts []string, perturb Perturbation) *BehaviourTest {
	return &BehaviourTest{Name: name, Kind: INV, Cases: perturbCases(texts, perturb)}
}

// NewDIR makes a directional test: each text with its perturbations, judged
// by expect.
func NewDIR(name string, texts []string, perturb Perturbation, expect Expectation) *BehaviourTest {
	return &BehaviourTest{Name: name, Kind: DIR, Cases: perturbCases(texts, perturb), Expect: expect}
}

func perturbCases(texts []string, perturb Perturbation) []TestCase {
	var out []TestCase
	for _, t := range texts {
		var ps []string
		for _, p := range perturb(t) {
			if p != t {
				ps = append(ps, p)
			}
		}
		if len(ps) > 0 {
			out = append(out, TestCase{Text: t, Label: -1, Perturbed: ps})
		}
	}
	return out
}

// ProbabilityDrops expects the probability of class to fall by more than
// margin (e.g. adding a negation to a positive review).
func ProbabilityDrops(class int, margin float64) Expectation {
	return func(before, after []float64) bool { return after[class] < before[class]-margin }
}

// PredictionBecomes expects the predicted class to become class.
func PredictionBecomes(class int) Expectation {
	return func(_, after []float64) bool { return argmax(after) == class }
}

// TestResult is how one test went.
type TestResult struct {
	Name, Kind    string
	Cases, Failed int
	FailureRate   float64
	// Failures describe up to 5 failing cases.
	Failures []string
}

// SuiteReport is the failure rate of every test of a suite.
type SuiteReport struct{ Results []TestResult }

// RunSuite runs every test on clf. An MFT case fails when the prediction is
// not its label; an INV case when any perturbation changes the prediction;
// a DIR case when any perturbation fails the expectation.
func RunSuite(clf TextClassifier, tests []*BehaviourTest) (*SuiteReport, error) {
	rep := &SuiteReport{}
	bar := display.Progress(len(tests), "behavioural tests")
	defer bar.Done()
	for _, t := range tests {
		if err := display.CheckInterrupt(); err != nil {
			return rep, err
		}
		var texts []string
		for _, c := range t.Cases {
			texts = append(texts, c.Text)
			texts = append(texts, c.Perturbed...)
		}
		probs, err := clf.Probabilities(texts)
		if err != nil {
			return nil, err
		}
		res := TestResult{Name: t.Name, Kind: t.Kind, Cases: len(t.Cases)}
		k := 0
		for _, c := range t.Cases {
			before := probs[k]
			k++
			fail, why := false, ""
			switch t.Kind {
			case MFT:
				if p := argmax(before); p != c.Label {
					fail, why = true, fmt.Sprintf("%q: predicted %d, want %d", c.Text, p, c.Label)
				}
			default:
				for _, p := range c.Perturbed {
					after := probs[k]
					k++
					bad := false
					if t.Kind == INV {
						bad = argmax(after) != argmax(before)
					} else if t.Expect != nil {
						bad = !t.Expect(before, after)
					}
					if bad && !fail {
						fail, why = true, fmt.Sprintf("%q (%d, %.2f) → %q (%d, %.2f)", c.Text, argmax(before), before[argmax(before)], p, argmax(after), after[argmax(after)])
					}
				}
			}
			if fail {
				res.Failed++
				if len(res.Failures) < 5 {
					res.Failures = append(res.Failures, why)
				}
			}
		}
		if res.Cases > 0 {
			res.FailureRate = float64(res.Failed) / float64(res.Cases)
		}
		rep.Results = append(rep.Results, res)
		bar.Add(1)
	}
	return rep, nil
}

// Table lists each test's failure rate with one failing example.
func (r *SuiteReport) Table() display.TableValue {
	var rows [][]any
	for _, t := range r.Results {
		ex := ""
		if len(t.Failures) > 0 {
			ex = t.Failures[0]
		}
		rows = append(rows, []any{t.Name, t.Kind, t.Cases, t.Failed, fmt.Sprintf("%.1f%%", 100*t.FailureRate), ex})
	}
	return display.Table([]string{"test", "type", "cases", "failed", "failure rate", "example failure"}, rows)
}

// HTML lists every test with up to 5 failing examples.
func (r *SuiteReport) HTML() string {
	var b strings.Builder
	for _, t := range r.Results {
		fmt.Fprintf(&b, "<details><summary><b>%s</b> [%s]: %d/%d failed (%.1f%%)</summary><ul>", html.EscapeString(t.Name), t.Kind, t.Failed, t.Cases, 100*t.FailureRate)
		for _, f := range t.Failures {
			fmt.Fprintf(&b, "<li>%s</li>", html.EscapeString(f))
		}
		b.WriteString("</ul></details>")
	}
	return b.String()
}

// MIMEBundle shows the table.
func (r *SuiteReport) MIMEBundle() display.Bundle { return r.Table().MIMEBundle() }

// Result returns the named test's result.
func (r *SuiteReport) Result(name string) (TestResult, error) {
	for _, t := range r.Results {
		if t.Name == name {
			return t, nil
		}
	}
	return TestResult{}, fmt.Errorf("interpret: no test named %q in the report", name)
}
