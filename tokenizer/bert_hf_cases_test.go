package tokenizer

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/turinglab/turinglab/internal/testref"
)

func TestCompareHFCasesOnTheReference(t *testing.T) {
	dir := testref.BertRefDir(t)
	tok, err := LoadBertTokenizer(dir)
	if err != nil {
		t.Fatal(err)
	}
	cases, err := LoadHFCases(filepath.Join(dir, HFCasesFileName))
	if err != nil {
		t.Fatal(err)
	}
	r := CompareHFCases(tok, cases)
	if !r.AllMatch() || r.Total != len(cases) || r.FirstDifference != "" {
		t.Fatalf("%v", r)
	}
	// A case with a wrong token, id or type is reported, naming its note.
	wrong := cases[0]
	wrong.Tokens = append([]string{"[X]"}, wrong.Tokens[1:]...)
	wrongID := cases[1]
	wrongID.InputIDs = append([]int{-1}, wrongID.InputIDs[1:]...)
	r = CompareHFCases(tok, []HFCase{cases[2], wrong, wrongID})
	if r.Matched != 1 || !strings.Contains(r.FirstDifference, wrong.Note+": tokens") || !strings.Contains(r.String(), "1 of 3 HF cases match") {
		t.Errorf("with a wrong case: %+v", r)
	}
	e, _ := wrongID.Encode(tok)
	if d := wrongID.Mismatch(e); !strings.Contains(d, "ids [") {
		t.Errorf("wrong id: %q", d)
	}
}

func TestLoadHFCasesErrors(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{"empty.json": "[]", "bad.json": `{"text": 1}`} {
		path := filepath.Join(dir, name)
		os.WriteFile(path, []byte(body), 0o644)
		if _, err := LoadHFCases(path); err == nil || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: error %v should name the file", name, err)
		}
	}
	if _, err := LoadHFCases(filepath.Join(dir, "missing.json")); err == nil || !strings.Contains(err.Error(), "missing.json") {
		t.Errorf("missing file: %v", err)
	}
}
