package bert

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
