package tokenizer

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// benchText returns about 300 KB of varied text: the reference cases and the
// trainer corpus, repeated with numbered lines so that not every pre-token
// is a cache hit.
func benchText(b *testing.B, cases *tokenizerCases) string {
	b.Helper()
	corpus, err := os.ReadFile(filepath.Join("testdata", "bpe_trainer_corpus.txt"))
	if err != nil {
		b.Fatal(err)
	}
	var sb strings.Builder
	for i := 0; sb.Len() < 300_000; i++ {
		fmt.Fprintf(&sb, "Line %d of %x: ", i, i*7919)
		sb.WriteString(cases.Cases[i%len(cases.Cases)].Text)
		sb.WriteByte('\n')
		if i%20 == 0 {
			sb.Write(corpus)
		}
	}
	return sb.String()
}

// BenchmarkGPT2Encode measures encoding throughput (bytes of text per
// second) with the pre-token cache warm, as in a long run.
func BenchmarkGPT2Encode(b *testing.B) {
	tok, cases := loadRef(b)
	text := benchText(b, cases)
	tok.Encode(text)
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		tok.Encode(text)
	}
}

// BenchmarkGPT2EncodeColdCache measures encoding with the BPE cache emptied
// before every pass (every distinct pre-token is merged once per pass).
func BenchmarkGPT2EncodeColdCache(b *testing.B) {
	tok, cases := loadRef(b)
	text := benchText(b, cases)
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		tok.Model.mu.Lock()
		tok.Model.cache = map[string][]int{}
		tok.Model.mu.Unlock()
		tok.Encode(text)
	}
}

// BenchmarkGPT2Decode measures decoding throughput (bytes of text out).
func BenchmarkGPT2Decode(b *testing.B) {
	tok, cases := loadRef(b)
	text := benchText(b, cases)
	ids := tok.EncodeIDs(text)
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := tok.Decode(ids); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTrainBPE measures training 1000 merges on the 300 KB text.
func BenchmarkTrainBPE(b *testing.B) {
	_, cases := loadRef(b)
	lines := strings.SplitAfter(benchText(b, cases), "\n")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := TrainBPE(lines, BPETrainerConfig{VocabSize: 1257, SpecialTokens: []string{EndOfText}}); err != nil {
			b.Fatal(err)
		}
	}
}
