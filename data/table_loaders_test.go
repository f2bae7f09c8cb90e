package data

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestTSVKeepsQuotesAndNeverSwallowsLines(t *testing.T) {
	// Line 3 opens a quote that a CSV reader would carry over tabs and
	// newlines; TSV has no quoting, so each line stays a record.
	path := writeFile(t, "q.tsv", "text\tlabel\nplain\tpos\n\"quoted start\tneg\nhe said \"hi\" twice\tpos\n'single'\tneg\n")
	d, err := LoadClassification(path, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	texts := []string{"plain", "\"quoted start", "he said \"hi\" twice", "'single'"}
	if len(d.Examples) != len(texts) {
		t.Fatalf("got %d examples, want %d: %+v", len(d.Examples), len(texts), d.Examples)
	}
	for i, want := range texts {
		if d.Examples[i].Text != want {
			t.Errorf("example %d: %q, want %q", i, d.Examples[i].Text, want)
		}
	}
}

func TestTSVEscapesAreOptIn(t *testing.T) {
	content := "text\tlabel\na\\tb\\nc\\\\d \\x\tpos\n"
	raw, err := LoadClassification(writeFile(t, "e.tsv", content), LoadOptions{})
	if err != nil || raw.Examples[0].Text != `a\tb\nc\\d \x` {
		t.Fatalf("without Escapes: %+v, %v", raw, err)
	}
	decoded, err := LoadClassification(writeFile(t, "e.tsv", content), LoadOptions{Escapes: true})
	if err != nil || decoded.Examples[0].Text != "a\tb\nc\\d \\x" {
		t.Fatalf("with Escapes: %q, %v", decoded.Examples[0].Text, err)
	}
}

func TestCSVQuotingTabsAndMultilineFields(t *testing.T) {
	path := writeFile(t, "c.csv", "text,label\n\"tab\there, and a comma\",pos\n\"two\nlines with \"\"quotes\"\"\",neg\nplain\tfield,pos\n")
	d, err := LoadClassification(path, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"tab\there, and a comma", "two\nlines with \"quotes\"", "plain\tfield"}
	for i, w := range want {
		if d.Examples[i].Text != w {
			t.Errorf("example %d: %q, want %q", i, d.Examples[i].Text, w)
		}
	}
	// An unclosed quote names the line where it opened.
	_, err = LoadClassification(writeFile(t, "u.csv", "text,label\nok,pos\n\"never closed,pos\nmore,neg\nand more,neg\n"), LoadOptions{})
	if err == nil || !strings.Contains(err.Error(), "u.csv:3:") {
		t.Fatalf("unclosed quote: err = %v, want it to name u.csv:3", err)
	}
}

func TestLoadersReadMegabyteLines(t *testing.T) {
	long := strings.Repeat("word ", 1<<18) // 1.25 MB
	for name, content := range map[string]string{
		"l.tsv":   "text\tlabel\n" + long + "\tpos\nshort\tneg\n",
		"l.csv":   "text,label\n" + long + ",pos\nshort,neg\n",
		"l.jsonl": `{"text":"` + long + `","label":"pos"}` + "\n" + `{"text":"short","label":"neg"}` + "\n",
	} {
		d, err := LoadClassification(writeFile(t, name, content), LoadOptions{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(d.Examples) != 2 || d.Examples[0].Text != long {
			t.Fatalf("%s: %d examples, first %d bytes", name, len(d.Examples), len(d.Examples[0].Text))
		}
	}
	docs, err := LoadCorpus(writeFile(t, "l.txt", long+"\nsecond\n\nthird\n"))
	if err != nil || len(docs) != 2 || docs[0][0] != strings.TrimSpace(long) {
		t.Fatalf("corpus: %d docs, %v", len(docs), err)
	}
	sentences, err := LoadCoNLL(writeFile(t, "l.conll", "x"+strings.Repeat("y", 1<<20)+" O\n"))
	if err != nil || len(sentences) != 1 {
		t.Fatalf("CoNLL: %v", err)
	}
}

func TestBadLinesStopOrSkip(t *testing.T) {
	content := "text\tlabel\ngood\tpos\nthree\tfields\there\nalso good\tneg\nlonely\nfine\tpos\n"
	_, err := LoadClassification(writeFile(t, "b.tsv", content), LoadOptions{})
	var lineErr *LineError
	if !errors.As(err, &lineErr) || lineErr.Line != 3 || !strings.Contains(err.Error(), "b.tsv:3: 3 fields, want 2 (text, label)") {
		t.Fatalf("StopAtBadLine: err = %v", err)
	}
	d, err := LoadClassification(writeFile(t, "b.tsv", content), LoadOptions{OnBadLine: SkipBadLines})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Examples) != 3 || len(d.BadLines) != 2 || d.BadLines[0].Line != 3 || d.BadLines[1].Line != 5 {
		t.Fatalf("SkipBadLines: %d examples, bad lines %v", len(d.Examples), d.BadLines)
	}
	if !strings.Contains(d.Summary(), "2 bad lines skipped") {
		t.Fatalf("summary %q does not report the skipped lines", d.Summary())
	}
	_, err = LoadClassification(writeFile(t, "b.tsv", content), LoadOptions{OnBadLine: SkipBadLines, MaxBadLines: 1})
	if err == nil || !strings.Contains(err.Error(), "more than 1 bad lines") || !strings.Contains(err.Error(), "b.tsv:5") {
		t.Fatalf("MaxBadLines: err = %v", err)
	}
	// Unknown labels and broken JSON follow the same policy.
	jsonl := "{\"text\":\"a\",\"label\":\"yes\"}\n{broken\n{\"text\":\"b\",\"label\":\"maybe\"}\n{\"text\":\"c\",\"label\":\"no\"}\n"
	d, err = LoadClassification(writeFile(t, "b.jsonl", jsonl), LoadOptions{Labels: []string{"no", "yes"}, OnBadLine: SkipBadLines})
	if err != nil || len(d.Examples) != 2 || len(d.BadLines) != 2 || d.BadLines[1].Line != 3 {
		t.Fatalf("JSONL SkipBadLines: %+v, %v", d, err)
	}
}

func TestBOMAndCRLF(t *testing.T) {
	want := []Example{{Text: "good film", Label: 1}, {Text: "bad", Label: 0}}
	for name, content := range map[string]string{
		"w.tsv":   "\ufefftext\tlabel\r\ngood film\tpositive\r\nbad\tnegative\r\n",
		"w.csv":   "\ufefftext,label\r\ngood film,positive\r\nbad,negative\r\n",
		"w.jsonl": "\ufeff{\"text\":\"good film\",\"label\":\"positive\"}\r\n{\"text\":\"bad\",\"label\":\"negative\"}\r\n",
	} {
		d, err := LoadClassification(writeFile(t, name, content), LoadOptions{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !reflect.DeepEqual(d.Examples, want) {
			t.Fatalf("%s: %+v", name, d.Examples)
		}
	}
	docs, err := LoadCorpus(writeFile(t, "w.txt", "\ufeffOne.\r\nTwo.\r\n\r\nThree.\r\n"))
	if err != nil || !reflect.DeepEqual(docs, [][]string{{"One.", "Two."}, {"Three."}}) {
		t.Fatalf("corpus: %q, %v", docs, err)
	}
	tagged, err := LoadCoNLL(writeFile(t, "w.conll", "\ufeffAna B-PER\r\nruns O\r\n"))
	if err != nil || tagged[0].Tokens[0] != "Ana" || tagged[0].Tags[1] != "O" {
		t.Fatalf("CoNLL: %+v, %v", tagged, err)
	}
}

func TestEmptyFiles(t *testing.T) {
	for _, name := range []string{"e.tsv", "e.csv", "e.jsonl"} {
		_, err := LoadClassification(writeFile(t, name, ""), LoadOptions{})
		if err == nil || !strings.Contains(err.Error(), name+": the file is empty") {
			t.Errorf("%s: err = %v", name, err)
		}
	}
	docs, err := LoadCorpus(writeFile(t, "e.txt", "\n\n  \n"))
	if err != nil || len(docs) != 0 {
		t.Fatalf("empty corpus: %v, %v", docs, err)
	}
	_, err = PretrainingFromFile(writeFile(t, "e.txt", ""), strings.Fields, []string{"a"}, DefaultPretraining, 0.1)
	if err == nil || !strings.Contains(err.Error(), "no documents") {
		t.Fatalf("PretrainingFromFile on an empty file: %v", err)
	}
}

func TestLabelMappingAndColumns(t *testing.T) {
	content := "id\tlabel\tsentence\n1\t10\ta\n2\t2\tb\n3\t1\tc\n4\t2\td\n"
	d, err := LoadClassification(writeFile(t, "m.tsv", content), LoadOptions{TextColumn: "sentence"})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(d.Labels, []string{"1", "2", "10"}) || !reflect.DeepEqual(d.LabelCounts, []int{1, 2, 1}) {
		t.Fatalf("numeric labels sort as numbers: %v %v", d.Labels, d.LabelCounts)
	}
	if !strings.Contains(d.LabelMapping(), "1 = \"2\" (2 examples)") {
		t.Fatalf("mapping:\n%s", d.LabelMapping())
	}
	d, err = LoadClassification(writeFile(t, "m.tsv", content), LoadOptions{TextColumn: "2", LabelColumn: "1", LabelOrder: LabelsFirstSeen})
	if err != nil || !reflect.DeepEqual(d.Labels, []string{"10", "2", "1"}) || d.Examples[0] != (Example{Text: "a", Label: 0}) {
		t.Fatalf("by index, first seen: %+v, %v", d, err)
	}
	d, err = LoadClassification(writeFile(t, "n.csv", "great,pos\nawful,neg\n"), LoadOptions{NoHeader: true})
	if err != nil || len(d.Examples) != 2 || d.Examples[0].Text != "great" || d.Labels[d.Examples[0].Label] != "pos" {
		t.Fatalf("NoHeader: %+v, %v", d, err)
	}
	_, err = LoadClassification(writeFile(t, "m.tsv", content), LoadOptions{TextColumn: "review"})
	if err == nil || !strings.Contains(err.Error(), `lacks column "review"`) {
		t.Fatalf("missing column: %v", err)
	}
	d, err = LoadClassification(writeFile(t, "f.txt", "a\tpos\n"), LoadOptions{Format: FormatTSV, NoHeader: true})
	if err != nil || len(d.Examples) != 1 {
		t.Fatalf("Format override: %+v, %v", d, err)
	}
}

func TestCorpusReaderStreamsDocuments(t *testing.T) {
	path := writeFile(t, "c.txt", "\n\nA one.\nA two.\n\n\n  B one.  \n\nC one.")
	c, err := OpenCorpus(path)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var got [][]string
	for {
		doc, err := c.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, doc)
	}
	if !reflect.DeepEqual(got, [][]string{{"A one.", "A two."}, {"B one."}, {"C one."}}) || c.Documents() != 3 {
		t.Fatalf("documents %q (%d)", got, c.Documents())
	}
	if err := c.Rewind(); err != nil {
		t.Fatal(err)
	}
	if doc, _ := c.Next(); doc[0] != "A one." {
		t.Fatalf("after Rewind: %q", doc)
	}
}

// corpusFile writes a corpus of n documents of a few sentences each.
func corpusFile(t *testing.T, n int) string {
	var b strings.Builder
	world := SmallWorld(SmallWorldOptions{Seed: 3})
	for i := 0; i < n; i++ {
		doc := world.Documents[i%len(world.Documents)]
		for _, s := range doc {
			b.WriteString(s + "\n")
		}
		b.WriteString("\n")
	}
	path := filepath.Join(t.TempDir(), "corpus.txt")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestPretrainingFromFileHoldsOutDocuments(t *testing.T) {
	path := corpusFile(t, 40)
	vocab := strings.Fields("the a of is in and [MASK]")
	opts := DefaultPretraining
	opts.MaxSeqLength, opts.DupeFactor = 32, 2
	c, err := PretrainingFromFile(path, strings.Fields, vocab, opts, 0.1)
	if err != nil {
		t.Fatal(err)
	}
	if c.TrainDocuments != 36 || c.HeldOutDocuments != 4 || len(c.Train) == 0 || len(c.HeldOut) == 0 {
		t.Fatalf("%s", c.Summary())
	}
	again, _ := PretrainingFromFile(path, strings.Fields, vocab, opts, 0.1)
	if !reflect.DeepEqual(c, again) {
		t.Fatal("same seed, different instances")
	}
	for _, inst := range c.Train {
		if len(inst.Tokens) > opts.MaxSeqLength || inst.Tokens[0] != "[CLS]" {
			t.Fatalf("bad instance %q", inst.Tokens)
		}
	}
}

// restore undoes an instance's masks.
func restore(inst PretrainingInstance) []string {
	tokens := append([]string(nil), inst.Tokens...)
	for k, p := range inst.MaskedPositions {
		tokens[p] = inst.MaskedLabels[k]
	}
	return tokens
}

func TestRemaskInstancesChangesMasksPerEpoch(t *testing.T) {
	vocab := strings.Fields("the a of is in and")
	opts := DefaultPretraining
	opts.MaxSeqLength = 32
	c, err := PretrainingFromFile(corpusFile(t, 20), strings.Fields, vocab, opts, 0)
	if err != nil {
		t.Fatal(err)
	}
	one := RemaskInstances(c.Train, vocab, opts, 1)
	two := RemaskInstances(c.Train, vocab, opts, 2)
	if !reflect.DeepEqual(one, RemaskInstances(c.Train, vocab, opts, 1)) {
		t.Fatal("the same epoch must give the same masks")
	}
	differ := 0
	for i := range c.Train {
		if !reflect.DeepEqual(restore(one[i]), restore(c.Train[i])) || !reflect.DeepEqual(restore(two[i]), restore(c.Train[i])) {
			t.Fatalf("instance %d: remasking changed the text", i)
		}
		if !reflect.DeepEqual(one[i].MaskedPositions, two[i].MaskedPositions) {
			differ++
		}
	}
	if differ < len(c.Train)/2 {
		t.Fatalf("only %d of %d instances got new masks", differ, len(c.Train))
	}
}

func TestPretrainingStreamEpochs(t *testing.T) {
	path := corpusFile(t, 30)
	vocab := strings.Fields("the a of is in and")
	opts := DefaultPretraining
	opts.MaxSeqLength = 32
	read := func(epoch int) []PretrainingInstance {
		s, err := OpenPretrainingStream(path, strings.Fields, vocab, opts, 7)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if err := s.StartEpoch(epoch); err != nil {
			t.Fatal(err)
		}
		var all []PretrainingInstance
		for {
			batch, err := s.NextBatch(5)
			if err == io.EOF {
				return all
			}
			if err != nil {
				t.Fatal(err)
			}
			all = append(all, batch...)
		}
	}
	first, again, second := read(0), read(0), read(1)
	if len(first) == 0 || !reflect.DeepEqual(first, again) {
		t.Fatalf("epoch 0 twice: %d vs %d instances", len(first), len(again))
	}
	if reflect.DeepEqual(first, second) {
		t.Fatal("epoch 1 repeats epoch 0's pairs and masks")
	}
	s, _ := OpenPretrainingStream(path, strings.Fields, vocab, opts, 7)
	defer s.Close()
	if err := s.Skip(3); err != nil {
		t.Fatal(err)
	}
	if next, _ := s.Next(); !reflect.DeepEqual(next, first[3]) || s.Served() != 4 {
		t.Fatal("Skip does not resume at the same instance")
	}
}

// Fuzz targets: no input may panic a loader, and what loads must be
// consistent (ids within the labels, counts adding up, TSV fields without
// tabs or newlines).

func checkLoaded(t *testing.T, d *ClassificationData, err error) {
	if err != nil {
		return
	}
	total := 0
	for _, c := range d.LabelCounts {
		total += c
	}
	if total != len(d.Examples) {
		t.Fatalf("label counts %v do not add up to %d examples", d.LabelCounts, len(d.Examples))
	}
	for _, e := range d.Examples {
		if e.Label < 0 || e.Label >= len(d.Labels) {
			t.Fatalf("label id %d outside %d labels", e.Label, len(d.Labels))
		}
	}
}

func FuzzLoadTSV(f *testing.F) {
	f.Add([]byte("text\tlabel\ngood\tpos\n\"open quote\tneg\n"), false)
	f.Add([]byte("\ufefftext\tlabel\r\na\\tb\tpos\r\n"), true)
	f.Add([]byte("text\tlabel\n\n\nx\ty\tz\n"), false)
	f.Fuzz(func(t *testing.T, content []byte, escapes bool) {
		d, err := readClassification(bytes.NewReader(content), "f.tsv", FormatTSV, LoadOptions{Escapes: escapes, OnBadLine: SkipBadLines})
		checkLoaded(t, d, err)
		if err == nil && !escapes {
			for _, e := range d.Examples {
				if strings.ContainsAny(e.Text, "\t\n") {
					t.Fatalf("a TSV field holds a tab or newline: %q", e.Text)
				}
			}
		}
	})
}

func FuzzLoadCSV(f *testing.F) {
	f.Add([]byte("text,label\n\"a, b\",pos\n\"two\nlines\",neg\n"))
	f.Add([]byte("text,label\n\"never closed,pos\n"))
	f.Add([]byte("\ufefftext,label\r\nx,1\r\n"))
	f.Fuzz(func(t *testing.T, content []byte) {
		d, err := readClassification(bytes.NewReader(content), "f.csv", FormatCSV, LoadOptions{OnBadLine: SkipBadLines})
		checkLoaded(t, d, err)
	})
}

func FuzzLoadJSONL(f *testing.F) {
	f.Add([]byte("{\"text\":\"a\",\"label\":1}\n{\"text\":\"b\",\"label\":\"x\"}\n"))
	f.Add([]byte("{broken\n[]\nnull\n{\"text\":1,\"label\":{}}\n"))
	f.Fuzz(func(t *testing.T, content []byte) {
		d, err := readClassification(bytes.NewReader(content), "f.jsonl", FormatJSONL, LoadOptions{OnBadLine: SkipBadLines})
		checkLoaded(t, d, err)
	})
}

func FuzzReadDocuments(f *testing.F) {
	f.Add([]byte("One.\nTwo.\n\nThree.\n"))
	f.Add([]byte("\ufeff\r\n\r\nx\r\n"))
	f.Fuzz(func(t *testing.T, content []byte) {
		docs, err := ReadDocuments(bytes.NewReader(content), strings.Fields)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range docs {
			if len(d) == 0 {
				t.Fatal("an empty document")
			}
			for _, s := range d {
				if len(s) == 0 {
					t.Fatal("an empty sentence")
				}
			}
		}
	})
}
