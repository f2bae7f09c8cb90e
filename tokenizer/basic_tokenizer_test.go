package tokenizer

import (
	"reflect"
	"testing"
)

func TestBasicTokenizerUncased(t *testing.T) {
	b := NewBasicTokenizer(true)
	cases := []struct {
		text string
		want []string
	}{
		// CJK ideographs, also outside the Basic Multilingual Plane
		// (Extension B U+20000, Compatibility Supplement U+2F800); kana is
		// not split.
		{"a𠀀b 丽x 我们 かな", []string{"a", "𠀀", "b", "丽", "x", "我", "们", "かな"}},
		// accents, precomposed and combining; uppercase accented letters
		{"Café Cafe\u0301 ÉCOLE naïve Ångström", []string{"cafe", "cafe", "ecole", "naive", "angstrom"}},
		// Python str.lower: İ -> i + combining dot (then stripped);
		// final sigma only at the end of a word
		{"İSTANBUL ΟΔΟΣ ΣΑΣ Σ'Α", []string{"istanbul", "οδος", "σας", "σ", "'", "α"}},
		// control and format characters dropped, Unicode spaces split
		{"a\x00b\x07c\u200bd\u00ade\ufeff\ufffdf g\u00a0h\u3000i\u2028j", []string{"abcdef", "g", "h", "i", "j"}},
		// punctuation: ASCII symbols count too, Unicode P* as well, € does not
		{"state-of-the-art $5 a^b «q» x€y", []string{"state", "-", "of", "-", "the", "-", "art", "$", "5", "a", "^", "b", "«", "q", "»", "x€y"}},
		// more of Python's lower + NFD, as computed by HF's BasicTokenizer on
		// Python 3.11: capital sharp s, Kelvin and Ohm signs, titlecase
		// digraph; Greek with iota subscript and final sigma; Hangul
		// syllables decompose into jamo; compatibility characters stay;
		// U+2028 splits, U+0085 and U+180E are dropped; math bold A stays
		{"\u1e9etra\u00dfe \u212aelvin \u2126mega \u01c5emal", []string{"\u00dftra\u00dfe", "kelvin", "\u03c9mega", "\u01c6emal"}},
		{"\u1fbc \u038c\u03a3\u039f\u03a3 \u0391\u03a3'", []string{"\u03b1", "\u03bf\u03c3\u03bf\u03c2", "\u03b1\u03c2", "'"}},
		{"\ud55c\uad6d \ufb01ne \u2460", []string{"\u1112\u1161\u11ab\u1100\u116e\u11a8", "\ufb01ne", "\u2460"}},
		{"x\u2028y\u0085z\u180ew", []string{"x", "yzw"}},
		{"\U0001D400BC", []string{"\U0001D400bc"}},
		{"", nil},
		{" \t\n\r ", nil},
	}
	for _, c := range cases {
		got := b.Tokenize(c.text)
		if len(got) == 0 && len(c.want) == 0 {
			continue
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("Tokenize(%q)\n got %q\nwant %q", c.text, got, c.want)
		}
	}
}

func TestBasicTokenizerCasedAndAccentOptions(t *testing.T) {
	cased := NewBasicTokenizer(false)
	if got, want := cased.Tokenize("Café İS ok"), []string{"Café", "İS", "ok"}; !reflect.DeepEqual(got, want) {
		t.Errorf("cased: got %q, want %q", got, want)
	}
	strip := &BasicTokenizer{StripAccents: AccentsStrip, TokenizeChineseChars: true}
	if got, want := strip.Tokenize("Café"), []string{"Cafe"}; !reflect.DeepEqual(got, want) {
		t.Errorf("cased + strip accents: got %q, want %q", got, want)
	}
	keep := &BasicTokenizer{DoLowerCase: true, StripAccents: AccentsKeep}
	if got, want := keep.Tokenize("CAFÉ 我们"), []string{"café", "我们"}; !reflect.DeepEqual(got, want) {
		t.Errorf("lowercase, keep accents, no CJK split: got %q, want %q", got, want)
	}
	never := &BasicTokenizer{DoLowerCase: true, NeverSplit: []string{"[MASK]", "C++"}}
	if got, want := never.Tokenize("[MASK] C++ [mask]"), []string{"[MASK]", "C++", "[", "mask", "]"}; !reflect.DeepEqual(got, want) {
		t.Errorf("never split: got %q, want %q", got, want)
	}
}

func TestBasicTokenizerExplainEndsWithTokenize(t *testing.T) {
	b := NewBasicTokenizer(true)
	b.NeverSplit = []string{"[MASK]"}
	text := "Héllo,\u200b WORLD! 我们 [MASK]"
	steps := b.Explain(text)
	names := make([]string, len(steps))
	for i, s := range steps {
		names[i] = s.Name
	}
	if len(steps) != 8 || steps[0].Words[0] != text {
		t.Fatalf("steps %q", names)
	}
	if got := steps[1].Words[0]; got != "Héllo, WORLD! 我们 [MASK]" {
		t.Errorf("clean text: %q", got)
	}
	if got := steps[4].Words; !reflect.DeepEqual(got, []string{"Héllo,", "WORLD!", "我", "们", "[MASK]"}) {
		t.Errorf("whitespace split: %q", got)
	}
	if last := steps[len(steps)-1].Words; !reflect.DeepEqual(last, b.Tokenize(text)) {
		t.Errorf("last step %q, Tokenize %q", last, b.Tokenize(text))
	}
	if rows := steps.Table().Rows; len(rows) != 8 || rows[7][1] != "hello | , | world | ! | 我 | 们 | [MASK]" {
		t.Errorf("table rows %v", rows)
	}
}
