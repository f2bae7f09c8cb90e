package data

import (
	"fmt"
	"strings"
)

// AdditionFormat is how an addition problem's answer is written out: the sum
// alone, or the sum after a scratchpad of digit-by-digit steps.
type AdditionFormat int

const (
	// AdditionDirect writes the sum right after the question: "47+85=132.".
	// The first digit of the answer depends on every carry, so the model
	// must do the whole addition in the single forward pass that predicts it.
	AdditionDirect AdditionFormat = iota
	// AdditionScratchpad first writes one step per digit, least significant
	// first, each "a+b+carry=two-digit sum", then the sum:
	// "47+85=[7+5+0=12;4+8+1=13]132.". Every step needs only the digits it
	// copies and the carry of the step just before it.
	AdditionScratchpad
)

// String names the format.
func (f AdditionFormat) String() string {
	switch f {
	case AdditionDirect:
		return "direct"
	case AdditionScratchpad:
		return "scratchpad"
	}
	return fmt.Sprintf("AdditionFormat(%d)", int(f))
}

// AdditionAlphabet is every character an addition text uses; a character's
// index is its token id in AdditionTokenize. "." ends every answer.
const AdditionAlphabet = "0123456789+=[];."

// AdditionEnd is the character that ends an answer (the end-of-sequence token).
const AdditionEnd = '.'

// AdditionProblem is one sum a+b of two numbers with the same number of digits.
type AdditionProblem struct {
	A, B   int
	Digits int // digits of each operand
}

// Prompt is the question: "47+85=".
func (p AdditionProblem) Prompt() string { return fmt.Sprintf("%d+%d=", p.A, p.B) }

// Sum is the correct answer, a+b.
func (p AdditionProblem) Sum() int { return p.A + p.B }

// Scratchpad is the intermediate steps of the column addition, least
// significant digit first, with brackets: "[7+5+0=12;4+8+1=13]". Step i adds
// digit i of a, digit i of b and the carry into column i, and writes the
// column's two-digit sum: its tens digit is the carry into column i+1, its
// ones digit is digit i of the answer.
func (p AdditionProblem) Scratchpad() string {
	var b strings.Builder
	b.WriteByte('[')
	a, c, carry := p.A, p.B, 0
	for i := 0; i < p.Digits; i++ {
		if i > 0 {
			b.WriteByte(';')
		}
		da, db := a%10, c%10
		s := da + db + carry
		fmt.Fprintf(&b, "%d+%d+%d=%d%d", da, db, carry, s/10, s%10)
		a, c, carry = a/10, c/10, s/10
	}
	b.WriteByte(']')
	return b.String()
}

// Answer is what follows the prompt in the given format, ending with ".".
func (p AdditionProblem) Answer(f AdditionFormat) string {
	if f == AdditionScratchpad {
		return fmt.Sprintf("%s%d.", p.Scratchpad(), p.Sum())
	}
	return fmt.Sprintf("%d.", p.Sum())
}

// Text is the whole training text: the prompt followed by the answer.
func (p AdditionProblem) Text(f AdditionFormat) string { return p.Prompt() + p.Answer(f) }

// AdditionProblems draws n problems whose operands both have the given number
// of digits (no leading zeros; 1-digit operands include 0), deterministically
// for seed.
func AdditionProblems(n, digits int, seed uint64) ([]AdditionProblem, error) {
	if digits < 1 || digits > 9 {
		return nil, fmt.Errorf("data.AdditionProblems: digits must be 1..9, got %d", digits)
	}
	lo, hi := 1, 10
	for i := 1; i < digits; i++ {
		lo, hi = lo*10, hi*10
	}
	if digits == 1 {
		lo = 0
	}
	rng := newRand(seed)
	out := make([]AdditionProblem, n)
	for i := range out {
		out[i] = AdditionProblem{A: lo + rng.IntN(hi-lo), B: lo + rng.IntN(hi-lo), Digits: digits}
	}
	return out, nil
}

// AdditionTokenize maps an addition text to token ids, one per character (the
// character's index in AdditionAlphabet).
func AdditionTokenize(text string) ([]int, error) {
	ids := make([]int, 0, len(text))
	for i, r := range text {
		id := strings.IndexRune(AdditionAlphabet, r)
		if id < 0 {
			return nil, fmt.Errorf("data.AdditionTokenize: character %q at %d of %q is not in the alphabet %q", r, i, text, AdditionAlphabet)
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// AdditionDetokenize maps token ids back to text; ids outside the alphabet
// become "?".
func AdditionDetokenize(ids []int) string {
	var b strings.Builder
	for _, id := range ids {
		if id < 0 || id >= len(AdditionAlphabet) {
			b.WriteByte('?')
			continue
		}
		b.WriteByte(AdditionAlphabet[id])
	}
	return b.String()
}

// ParseAdditionAnswer reads the final sum from a generated answer in either
// format: the digits after the scratchpad's "]" (if any) up to the first ".".
// ok is false when there is no such number.
func ParseAdditionAnswer(answer string) (sum int, ok bool) {
	if i := strings.LastIndexByte(answer, ']'); i >= 0 {
		answer = answer[i+1:]
	}
	end := strings.IndexByte(answer, AdditionEnd)
	if end <= 0 || end > 10 {
		return 0, false
	}
	for _, r := range answer[:end] {
		if r < '0' || r > '9' {
			return 0, false
		}
		sum = sum*10 + int(r-'0')
	}
	return sum, true
}
