package data

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLoadClassificationFormats(t *testing.T) {
	want := []Example{{Text: "good film", Label: 1}, {Text: "bad, sadly", Label: 0}}
	for name, content := range map[string]string{
		"d.tsv":   "label\ttext\npositive\tgood film\nnegative\tbad, sadly\n",
		"d.csv":   "text,label\ngood film,positive\n\"bad, sadly\",negative\n",
		"d.jsonl": "{\"text\": \"good film\", \"label\": \"positive\"}\n\n{\"text\": \"bad, sadly\", \"label\": \"negative\"}\n",
	} {
		d, err := LoadClassification(writeFile(t, name, content), LoadOptions{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !reflect.DeepEqual(d.Examples, want) || !reflect.DeepEqual(d.Labels, []string{"negative", "positive"}) {
			t.Fatalf("%s: got %+v labels %v", name, d.Examples, d.Labels)
		}
	}
}

func TestLoadClassificationPairsAndFixedLabels(t *testing.T) {
	path := writeFile(t, "p.tsv", "sentence1\tsentence2\tlabel\nA\tB\tyes\nC\tD\tno\n")
	d, err := LoadClassification(path, LoadOptions{TextColumn: "sentence1", PairColumn: "sentence2", Labels: []string{"yes", "no"}})
	if err != nil {
		t.Fatal(err)
	}
	if d.Examples[1] != (Example{Text: "C", TextPair: "D", Label: 1}) {
		t.Fatalf("got %+v", d.Examples)
	}
}

func TestLoadClassificationErrorsNameFileAndLine(t *testing.T) {
	cases := map[string]struct{ name, content, want string }{
		"short csv row":  {"a.csv", "text,label\nok,pos\nmissing\n", "a.csv:3"},
		"bad json":       {"b.jsonl", "{\"text\":\"x\",\"label\":1}\n{oops\n", "b.jsonl:2: not a JSON object"},
		"missing field":  {"c.jsonl", "{\"label\":1}\n", "c.jsonl:1: missing string field \"text\""},
		"no label col":   {"d.tsv", "text\tscore\nx\t1\n", "lacks column"},
		"unknown label":  {"e.tsv", "text\tlabel\nx\tmaybe\n", "e.tsv:2: label \"maybe\" is not one of"},
		"unknown format": {"f.txt", "x", "unknown format \".txt\""},
	}
	for name, c := range cases {
		opts := LoadOptions{}
		if name == "unknown label" {
			opts.Labels = []string{"yes", "no"}
		}
		_, err := LoadClassification(writeFile(t, c.name, c.content), opts)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want it to mention %q", name, err, c.want)
		}
	}
}

func TestLoadCoNLL(t *testing.T) {
	path := writeFile(t, "n.conll", "-DOCSTART- -X- O\n\nAna NNP B-PER\nruns VBZ O\n\n\nLima NNP B-LOC\n")
	got, err := LoadCoNLL(path)
	if err != nil {
		t.Fatal(err)
	}
	want := []TaggedSentence{{Tokens: []string{"Ana", "runs"}, Tags: []string{"B-PER", "O"}}, {Tokens: []string{"Lima"}, Tags: []string{"B-LOC"}}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v", got)
	}
	_, err = LoadCoNLL(writeFile(t, "bad.conll", "Ana B-PER\nlonely\n"))
	if err == nil || !strings.Contains(err.Error(), "bad.conll:2") {
		t.Fatalf("err = %v", err)
	}
	ids, err := TagIDs([]string{"O", "B-LOC"}, NERLabels)
	if err != nil || !reflect.DeepEqual(ids, []int{0, 3}) {
		t.Fatalf("TagIDs = %v, %v", ids, err)
	}
	if _, err := TagIDs([]string{"B-XYZ"}, NERLabels); err == nil {
		t.Fatal("unknown tag accepted")
	}
}

func TestAlignLabelsFirstPieceOnly(t *testing.T) {
	// [CLS] ana ##sta runs [SEP] -> words 0 0 1
	got := AlignLabels([]int{-1, 0, 0, 1, -1}, []int{1, 0})
	want := []int{IgnoreLabel, 1, IgnoreLabel, 0, IgnoreLabel}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
}

func TestBatchingHelpers(t *testing.T) {
	b := Batches(10, 4, false, 0)
	if !reflect.DeepEqual(b, [][]int{{0, 1, 2, 3}, {4, 5, 6, 7}, {8, 9}}) {
		t.Fatalf("Batches = %v", b)
	}
	shuffled := Batches(10, 4, true, 1)
	if reflect.DeepEqual(shuffled, b) || !reflect.DeepEqual(shuffled, Batches(10, 4, true, 1)) {
		t.Fatalf("shuffle must change the order and be deterministic: %v", shuffled)
	}
	lengths := make([]int, 1000)
	for i := range lengths {
		lengths[i] = (i * 37) % 100
	}
	seen := map[int]bool{}
	for _, batch := range LengthBucketedBatches(lengths, 10, 3) {
		lo, hi := 1000, -1
		for _, i := range batch {
			seen[i] = true
			lo, hi = min(lo, lengths[i]), max(hi, lengths[i])
		}
		if hi-lo > 20 {
			t.Fatalf("bucket spans lengths %d..%d", lo, hi)
		}
	}
	if len(seen) != 1000 {
		t.Fatalf("bucketing lost examples: %d", len(seen))
	}
	parts := Split(10, 5, 0.8, 0.1, 0.1)
	if len(parts[0]) != 8 || len(parts[1]) != 1 || len(parts[2]) != 1 {
		t.Fatalf("Split sizes %d %d %d", len(parts[0]), len(parts[1]), len(parts[2]))
	}
	ids, mask, longest := PadBatch([][]int{{5, 6, 7}, {8}}, 0)
	if longest != 3 || !reflect.DeepEqual(ids, []int{5, 6, 7, 8, 0, 0}) || !reflect.DeepEqual(mask, []int{1, 1, 1, 1, 0, 0}) {
		t.Fatalf("PadBatch = %v %v %d", ids, mask, longest)
	}
}
