package workbench

import (
	"strings"
	"testing"
)

func TestReexportsRenderLikeDisplay(t *testing.T) {
	if got := HTML("<b>x</b>").MIMEBundle().Data["text/html"]; got != "<b>x</b>" {
		t.Fatalf("HTML bundle = %v", got)
	}
	if !strings.Contains(Table([]string{"a"}, [][]any{{1}}).String(), "a\n-\n1") {
		t.Fatalf("Table text = %q", Table([]string{"a"}, [][]any{{1}}).String())
	}
}

func TestAssertPanicsWithTheMessage(t *testing.T) {
	defer func() {
		if r := recover(); r != "assertion failed: loss 3 did not fall" {
			t.Fatalf("recovered %v", r)
		}
	}()
	Assert(true, "never shown")
	Assert(false, "loss %d did not fall", 3)
}

func TestAssertCloseUsesIsCloseRule(t *testing.T) {
	AssertClose("x", 1.00001, 1, 0, 1e-4)
	defer func() {
		r := recover()
		if r == nil || !strings.Contains(r.(string), "x = 1.1, want 1") {
			t.Fatalf("recovered %v", r)
		}
	}()
	AssertClose("x", 1.1, 1, 1e-3, 1e-3)
}
