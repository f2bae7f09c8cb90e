package simd

import (
	"strings"
	"testing"
)

func TestChoose(t *testing.T) {
	cases := []struct {
		detected  Level
		requested string
		want      Level
		note      string // a substring of the note, "" for none
	}{
		{AVX512, "", AVX512, ""},
		{AVX512, "avx2", AVX2, ""},
		{AVX512, "GO", Go, ""},
		{AVX2, "avx512", AVX2, "does not support avx512"},
		{Go, "avx2", Go, "does not support avx2"},
		{AVX2, "sse", AVX2, "want one of"},
	}
	for _, c := range cases {
		got := choose(c.detected, c.requested)
		if got.Level != c.want || got.Detected != c.detected {
			t.Errorf("choose(%v, %q) = %+v, want level %v", c.detected, c.requested, got, c.want)
		}
		if (c.note == "") != (got.Note == "") || !strings.Contains(got.Note, c.note) {
			t.Errorf("choose(%v, %q).Note = %q, want one containing %q", c.detected, c.requested, got.Note, c.note)
		}
	}
}

func TestParseRoundTrip(t *testing.T) {
	for _, l := range []Level{Go, AVX2, AVX512} {
		got, err := Parse(l.String())
		if err != nil || got != l {
			t.Errorf("Parse(%q) = %v, %v; want %v", l.String(), got, err, l)
		}
	}
}

func TestSupported(t *testing.T) {
	ls := Supported()
	if len(ls) == 0 || ls[0] != Go || ls[len(ls)-1] != Detect() {
		t.Fatalf("Supported() = %v, want go … %v", ls, Detect())
	}
	if a := Active(); a.Level > a.Detected {
		t.Fatalf("Active() = %+v: level above the detected one", a)
	}
}
