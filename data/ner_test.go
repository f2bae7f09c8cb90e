package data

import (
	"bytes"
	"strings"
	"testing"
)

func TestNERTagsAreValidBIO(t *testing.T) {
	w := SmallWorld(DefaultSmallWorld)
	sents := NER(w, NEROptions{Seed: 1, N: 500})
	valid := map[string]bool{}
	for _, l := range NERLabels {
		valid[l] = true
	}
	sawMultiWordPerson := false
	for _, s := range sents {
		if len(s.Tokens) != len(s.Tags) || len(s.Tokens) == 0 {
			t.Fatalf("tokens/tags mismatch: %v / %v", s.Tokens, s.Tags)
		}
		for i, tag := range s.Tags {
			if !valid[tag] {
				t.Fatalf("unknown tag %q", tag)
			}
			if strings.HasPrefix(tag, "I-") {
				prev := s.Tags[i-1]
				if prev[2:] != tag[2:] || prev == "O" {
					t.Fatalf("%s after %s in %v", tag, prev, s.Tokens)
				}
				if tag == "I-PER" {
					sawMultiWordPerson = true
				}
			}
			if strings.Contains(s.Tokens[i], "{") {
				t.Fatalf("unfilled slot in %v", s.Tokens)
			}
		}
	}
	if !sawMultiWordPerson {
		t.Fatal("no multi-word person names were generated")
	}
}

func TestWriteCoNLL(t *testing.T) {
	var buf bytes.Buffer
	err := WriteCoNLL(&buf, []TaggedSentence{{Tokens: []string{"Ana", "Bo", "."}, Tags: []string{"B-PER", "I-PER", "O"}}})
	if err != nil || buf.String() != "Ana B-PER\nBo I-PER\n. O\n\n" {
		t.Fatalf("got %q, %v", buf.String(), err)
	}
}
