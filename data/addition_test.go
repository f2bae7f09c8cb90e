package data

import (
	"strings"
	"testing"
)

func TestAdditionFormats(t *testing.T) {
	p := AdditionProblem{A: 47, B: 85, Digits: 2}
	if got := p.Text(AdditionDirect); got != "47+85=132." {
		t.Errorf("direct text %q, want 47+85=132.", got)
	}
	if got := p.Text(AdditionScratchpad); got != "47+85=[7+5+0=12;4+8+1=13]132." {
		t.Errorf("scratchpad text %q", got)
	}
	if got := (AdditionProblem{A: 3, B: 4, Digits: 1}).Scratchpad(); got != "[3+4+0=07]" {
		t.Errorf("one-digit scratchpad %q, want [3+4+0=07]", got)
	}
}

func TestAdditionProblemsHaveTheirDigits(t *testing.T) {
	for d := 1; d <= 6; d++ {
		ps, err := AdditionProblems(200, d, 3)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range ps {
			for _, x := range []int{p.A, p.B} {
				if n := len(fmtInt(x)); n != d {
					t.Fatalf("%d-digit problem has operand %d", d, x)
				}
			}
		}
		again, _ := AdditionProblems(200, d, 3)
		if again[17] != ps[17] {
			t.Fatalf("AdditionProblems is not deterministic for a seed")
		}
	}
	if _, err := AdditionProblems(1, 0, 1); err == nil {
		t.Error("0 digits accepted")
	}
}

// fmtInt writes x ≥ 0 in decimal, independently of fmt.
func fmtInt(x int) string {
	if x == 0 {
		return "0"
	}
	var b []byte
	for ; x > 0; x /= 10 {
		b = append([]byte{byte('0' + x%10)}, b...)
	}
	return string(b)
}

func TestAdditionScratchpadIsTheColumnAddition(t *testing.T) {
	ps, _ := AdditionProblems(300, 5, 9)
	for _, p := range ps {
		sum, ok := ParseAdditionAnswer(p.Answer(AdditionScratchpad))
		if !ok || sum != p.Sum() {
			t.Fatalf("%s: parsed %d, %v", p.Text(AdditionScratchpad), sum, ok)
		}
		// The ones digits of the steps, most significant first, with the last carry, are the sum.
		steps := strings.Split(strings.Trim(p.Scratchpad(), "[]"), ";")
		digits := ""
		for i, s := range steps {
			two := s[strings.IndexByte(s, '=')+1:]
			digits = two[1:] + digits
			if i == len(steps)-1 && two[0] == '1' {
				digits = "1" + digits
			}
		}
		if digits != fmtInt(p.Sum()) {
			t.Fatalf("%s: steps give %s", p.Scratchpad(), digits)
		}
	}
}

func TestAdditionTokens(t *testing.T) {
	text := "47+85=[7+5+0=12;4+8+1=13]132."
	ids, err := AdditionTokenize(text)
	if err != nil {
		t.Fatal(err)
	}
	if back := AdditionDetokenize(ids); back != text {
		t.Errorf("round trip %q", back)
	}
	if _, err := AdditionTokenize("4 + 5"); err == nil || !strings.Contains(err.Error(), "' '") {
		t.Errorf("a space gave %v", err)
	}
	for _, bad := range []string{"", "13", "1+3.", "]."} {
		if _, ok := ParseAdditionAnswer(bad); ok {
			t.Errorf("ParseAdditionAnswer(%q) ok", bad)
		}
	}
}
