//go:build unix

package tokenizer

import (
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// benchCorpus generates about size bytes of English-like text, the same
// every time: pseudo-words built from syllables with a Zipf-like frequency
// (so a few are very common and most are rare, as in real text), sentences
// of 6-20 words with capitals, commas, numbers, the odd accented word, and
// lines of a few sentences.
func benchCorpus(size int) []string {
	seed := uint64(42)
	next := func(n int) int {
		seed = seed*6364136223846793005 + 1442695040888963407
		return int((seed >> 33) % uint64(n))
	}
	syllables := strings.Fields("the an re in ex con de pro com ter ing ed er ly al tion ment pre dis un ca to mo la si ve ra no be ta ko mi pa lu")
	common := strings.Fields("the of and to a in is it you that he was for on are with as I his they be at one have this from")
	const distinct = 20000
	words := make([]string, distinct)
	for i := range words {
		if i < len(common) {
			words[i] = common[i]
			continue
		}
		var b strings.Builder
		for n := 1 + next(4); n > 0; n-- {
			b.WriteString(syllables[next(len(syllables))])
		}
		words[i] = b.String()
	}
	words[500], words[900], words[1500] = "café", "naïve", "résumé"
	// Zipf: cumulative weights 1/(rank+3).
	cum := make([]float64, distinct)
	total := 0.0
	for i := range cum {
		total += 1 / float64(i+3)
		cum[i] = total
	}
	pick := func() string {
		x := float64(next(1<<30)) / (1 << 30) * total
		lo, hi := 0, distinct-1
		for lo < hi {
			mid := (lo + hi) / 2
			if cum[mid] < x {
				lo = mid + 1
			} else {
				hi = mid
			}
		}
		return words[lo]
	}
	var lines []string
	written := 0
	for written < size {
		var line strings.Builder
		for s := 2 + next(4); s > 0; s-- {
			n := 6 + next(15)
			for i := 0; i < n; i++ {
				w := pick()
				if i == 0 {
					w = strings.ToUpper(w[:1]) + w[1:]
				}
				line.WriteString(w)
				switch r := next(40); {
				case r == 0 && i < n-1:
					line.WriteString(",")
				case r == 1:
					line.WriteString(" 19" + string(rune('0'+next(10))) + string(rune('0'+next(10))))
				}
				if i < n-1 {
					line.WriteByte(' ')
				}
			}
			line.WriteString([]string{". ", ". ", ". ", "? ", "! "}[next(5)])
		}
		lines = append(lines, strings.TrimSpace(line.String()))
		written += line.Len()
	}
	return lines
}

var (
	benchOnce  sync.Once
	benchLines []string
	benchTok   *BertTokenizer
)

// benchSetup makes the 4 MB corpus and a 4000-token vocabulary trained on it.
func benchSetup(b *testing.B) ([]string, *BertTokenizer) {
	benchOnce.Do(func() {
		benchLines = benchCorpus(4 << 20)
		v, err := NewWordPieceTrainer(4000).Train(benchLines)
		if err != nil {
			b.Fatal(err)
		}
		benchTok, err = NewBertTokenizer(v, true)
		if err != nil {
			b.Fatal(err)
		}
	})
	return benchLines, benchTok
}

// tokenizerBenchCPU starts measuring the process's CPU time (user + system);
// the returned function reports cpu-MB/s, the bytes processed per second of
// CPU time, which is steadier than wall time on a machine shared with other
// jobs. With several goroutines it is the throughput per CPU.
func tokenizerBenchCPU(b *testing.B, bytesPerOp int64) func() {
	cpu := func() time.Duration {
		var ru syscall.Rusage
		if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
			b.Fatal(err)
		}
		return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	start := cpu()
	return func() {
		b.StopTimer()
		if used := cpu() - start; used > 0 {
			b.ReportMetric(float64(bytesPerOp)*float64(b.N)/1e6/used.Seconds(), "cpu-MB/s")
		}
	}
}

// corpusBytes is the size of the corpus in bytes, one newline per line.
func corpusBytes(lines []string) int64 {
	n := 0
	for _, l := range lines {
		n += len(l) + 1
	}
	return int64(n)
}

// BenchmarkBertEncode measures Encode (tokens, ids, offsets) over the
// 4 MB generated corpus, line by line; MB/s is the throughput.
func BenchmarkBertEncode(b *testing.B) {
	lines, tok := benchSetup(b)
	b.SetBytes(corpusBytes(lines))
	b.ResetTimer()
	defer tokenizerBenchCPU(b, corpusBytes(lines))()
	for range b.N {
		for _, l := range lines {
			if _, err := tok.Encode(l, EncodeOptions{}); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkBertEncodeBatch measures EncodeBatch over the corpus in
// batches of 256 lines, which spreads the work over the CPUs.
func BenchmarkBertEncodeBatch(b *testing.B) {
	lines, tok := benchSetup(b)
	b.SetBytes(corpusBytes(lines))
	b.ResetTimer()
	defer tokenizerBenchCPU(b, corpusBytes(lines))()
	for range b.N {
		for i := 0; i < len(lines); i += 256 {
			if _, err := tok.EncodeBatch(lines[i:min(i+256, len(lines))], EncodeOptions{}); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkBertTokenize measures Tokenize (token strings only).
func BenchmarkBertTokenize(b *testing.B) {
	lines, tok := benchSetup(b)
	b.SetBytes(corpusBytes(lines))
	b.ResetTimer()
	defer tokenizerBenchCPU(b, corpusBytes(lines))()
	for range b.N {
		for _, l := range lines {
			tok.Tokenize(l)
		}
	}
}

// BenchmarkWordPieceTrainer4000 measures training a 4000-token vocabulary
// on the 4 MB generated corpus (counting words included).
func BenchmarkWordPieceTrainer4000(b *testing.B) {
	lines, _ := benchSetup(b)
	b.SetBytes(corpusBytes(lines))
	b.ResetTimer()
	defer tokenizerBenchCPU(b, corpusBytes(lines))()
	for range b.N {
		v, err := NewWordPieceTrainer(4000).Train(lines)
		if err != nil {
			b.Fatal(err)
		}
		if v.Size() != 4000 {
			b.Fatalf("vocab size %d", v.Size())
		}
	}
}
