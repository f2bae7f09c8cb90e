package tokenizer

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// trainerRef is testdata/bpe_trainer_ref.json, written by
// testdata/make_bpe_trainer_ref.py (an independent Python implementation of
// HF tokenizers' BpeTrainer).
type trainerRef struct {
	Corpus string `json:"corpus"`
	Runs   []struct {
		Config struct {
			Name           string   `json:"name"`
			VocabSize      int      `json:"vocab_size"`
			MinFrequency   int      `json:"min_frequency"`
			SpecialTokens  []string `json:"special_tokens"`
			AddPrefixSpace bool     `json:"add_prefix_space"`
			MaxTokenLength int      `json:"max_token_length"`
		} `json:"config"`
		Vocab  map[string]int `json:"vocab"`
		Merges []string       `json:"merges"`
	} `json:"runs"`
}

// TestTrainBPEMatchesReference trains on the reference corpus with each
// reference configuration and compares vocabulary and merges exactly.
func TestTrainBPEMatchesReference(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "bpe_trainer_ref.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ref trainerRef
	if err := json.Unmarshal(data, &ref); err != nil {
		t.Fatalf("bpe_trainer_ref.json: %v", err)
	}
	corpus, err := os.ReadFile(filepath.Join("testdata", ref.Corpus))
	if err != nil {
		t.Fatal(err)
	}
	if len(ref.Runs) == 0 {
		t.Fatal("bpe_trainer_ref.json has no runs")
	}
	for _, run := range ref.Runs {
		c := run.Config
		cfg := BPETrainerConfig{VocabSize: c.VocabSize, MinFrequency: c.MinFrequency, SpecialTokens: c.SpecialTokens,
			AddPrefixSpace: c.AddPrefixSpace, MaxTokenLength: c.MaxTokenLength}
		tok, err := TrainBPEFromReader(strings.NewReader(string(corpus)), cfg)
		if err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		var merges []string
		for _, m := range tok.Model.Merges() {
			merges = append(merges, m.Left+" "+m.Right)
		}
		if !slices.Equal(merges, run.Merges) {
			for i := range merges {
				if i >= len(run.Merges) || merges[i] != run.Merges[i] {
					t.Errorf("%s: %d merges, want %d; first difference at rank %d: %q", c.Name, len(merges), len(run.Merges), i, merges[i])
					break
				}
			}
			if len(merges) < len(run.Merges) {
				t.Errorf("%s: %d merges, want %d", c.Name, len(merges), len(run.Merges))
			}
		}
		vocab := tok.Model.Vocab()
		if len(vocab) != len(run.Vocab) {
			t.Errorf("%s: vocabulary of %d, want %d", c.Name, len(vocab), len(run.Vocab))
		}
		for k, want := range run.Vocab {
			if got, ok := vocab[k]; !ok || got != want {
				t.Errorf("%s: vocab[%q] = %d, %v; want %d", c.Name, k, got, ok, want)
			}
		}
		// The same corpus as a []string of lines trains the same merges.
		lines := strings.SplitAfter(string(corpus), "\n")
		again, err := TrainBPE(lines, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(mergeStrings(again), merges) {
			t.Errorf("%s: TrainBPE on the lines differs from TrainBPEFromReader", c.Name)
		}
		// The trained tokenizer round-trips its corpus and saves and loads.
		text := string(corpus)
		want := text
		if c.AddPrefixSpace {
			want = " " + text // GPT2Tokenizer's add_prefix_space
		}
		if got, err := tok.Decode(tok.EncodeIDs(text)); err != nil || got != want {
			t.Errorf("%s: the trained tokenizer does not round-trip its corpus (%v)", c.Name, err)
		}
		dir := t.TempDir()
		if err := tok.Save(dir); err != nil {
			t.Fatal(err)
		}
		back, err := LoadGPT2(dir)
		if err != nil {
			t.Fatalf("%s: loading the saved trained tokenizer: %v", c.Name, err)
		}
		if !slices.Equal(back.EncodeIDs(text), tok.EncodeIDs(text)) {
			t.Errorf("%s: saved and loaded tokenizer encodes differently", c.Name)
		}
		for _, s := range c.SpecialTokens {
			ids := back.EncodeIDs("x" + s)
			if len(ids) < 2 || ids[len(ids)-1] != run.Vocab[s] || !back.IsSpecial(run.Vocab[s]) {
				t.Errorf("%s: \"x\"+%q -> %v, want it to end with the special id %d", c.Name, s, ids, run.Vocab[s])
			}
		}
	}
}

// mergeStrings returns a tokenizer's merges as "left right" lines.
func mergeStrings(t *GPT2) []string {
	var out []string
	for _, m := range t.Model.Merges() {
		out = append(out, m.Left+" "+m.Right)
	}
	return out
}

// TestTrainBPETieBreak checks tokenizers' tie rule on a tiny corpus: equal
// counts merge the pair with the smaller ids first, and min_frequency stops
// training (the example of trainer.rs's own test, byte-level here).
func TestTrainBPETieBreak(t *testing.T) {
	var corpus []string
	for w, n := range map[string]int{"roses": 1, "are": 2, "red": 1, "voilets": 1, "blue": 1, "BERT": 1, "is": 2, "big": 1, "and": 1, "so": 1, "GPT-2": 1} {
		for i := 0; i < n; i++ {
			corpus = append(corpus, w)
		}
	}
	tok, err := TrainBPE(corpus, BPETrainerConfig{MinFrequency: 2})
	if err != nil {
		t.Fatal(err)
	}
	// ("r","e") occurs 3 times (are twice, red), ("a","r") and ("i","s") twice;
	// after "re", ("a","re") and ("i","s") tie at 2 and "a" has the smaller
	// id; nothing else reaches min_frequency 2.
	want := []string{"r e", "a re", "i s"}
	if got := mergeStrings(tok); !slices.Equal(got, want) {
		t.Errorf("merges %q, want %q (trainer.rs test_train)", got, want)
	}
}
