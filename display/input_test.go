package display

import (
	"errors"
	"testing"
)

// promptSink is a sink that answers prompts, as the kernel's does.
type promptSink struct {
	TerminalSink
	asked    []string
	password []bool
	answer   string
	err      error
}

func (p *promptSink) Prompt(prompt string, password bool) (string, error) {
	p.asked = append(p.asked, prompt)
	p.password = append(p.password, password)
	return p.answer, p.err
}

func TestInputAsksThePromptingSink(t *testing.T) {
	p := &promptSink{answer: "Ada"}
	prev := SetSink(p)
	defer SetSink(prev)
	if got, err := Input("name? "); err != nil || got != "Ada" {
		t.Fatalf("Input = %q, %v", got, err)
	}
	if got, err := Password("token: "); err != nil || got != "Ada" {
		t.Fatalf("Password = %q, %v", got, err)
	}
	if len(p.asked) != 2 || p.asked[0] != "name? " || p.password[0] || !p.password[1] {
		t.Fatalf("prompts %q, password flags %v", p.asked, p.password)
	}
	p.err = errors.New("no stdin")
	if _, err := Input("x? "); err == nil || err.Error() != "no stdin" {
		t.Fatalf("the sink's error is lost: %v", err)
	}
}
