package safetensors

import (
	"bytes"
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/turinglab/turinglab/internal/testref"
)

// TestReadReference reads every tensor of the three reference files and checks
// values whose meaning the reference README documents.
func TestReadReference(t *testing.T) {
	dir := testref.BertRefDir(t)
	for _, name := range []string{"model.safetensors", "expected.safetensors", "adapter_model.safetensors"} {
		f, err := Open(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if f.Metadata["format"] != "pt" {
			t.Errorf("%s: metadata %v, want format=pt", name, f.Metadata)
		}
		if f.Len() == 0 {
			t.Errorf("%s: no tensors", name)
		}
		for _, n := range f.Names() {
			info, _ := f.Info(n)
			switch info.DType {
			case F32:
				v, shape, err := f.Float32(n)
				if err != nil || len(v) != info.NumElements() || len(shape) != len(info.Shape) {
					t.Fatalf("%s %s: %v (%d values)", name, n, err, len(v))
				}
				if _, _, err := f.Int64(n); err == nil || !strings.Contains(err.Error(), n) {
					t.Errorf("%s %s: reading F32 as int64 should fail naming the tensor, got %v", name, n, err)
				}
			case I64:
				if _, _, err := f.Int64(n); err != nil {
					t.Fatal(err)
				}
			default:
				t.Errorf("%s %s: unexpected dtype %s", name, n, info.DType)
			}
		}
	}

	m, err := Open(filepath.Join(dir, "model.safetensors"))
	if err != nil {
		t.Fatal(err)
	}
	emb, shape, err := m.Float32("bert.embeddings.word_embeddings.weight")
	if err != nil {
		t.Fatal(err)
	}
	if len(shape) != 2 || shape[0] != 544 || shape[1] != 32 {
		t.Fatalf("word embeddings shape %v, want [544 32]", shape)
	}
	for j := 0; j < 32; j++ {
		if emb[j] != 0 {
			t.Fatalf("word embedding row 0 ([PAD]) should be zero, got %v at %d", emb[j], j)
		}
	}
	nonzero := false
	for _, v := range emb[32:64] {
		nonzero = nonzero || v != 0
	}
	if !nonzero {
		t.Error("word embedding row 1 is all zero: data offsets wrong?")
	}

	e, err := Open(filepath.Join(dir, "expected.safetensors"))
	if err != nil {
		t.Fatal(err)
	}
	nsp, shape, err := e.Int64("nsp_labels")
	if err != nil || len(shape) != 1 || shape[0] != 3 || nsp[0] != 0 || nsp[1] != 1 || nsp[2] != 0 {
		t.Errorf("nsp_labels = %v %v %v, want [0 1 0] shape [3]", nsp, shape, err)
	}
	cls, _, _ := e.Int64("cls_labels")
	if len(cls) != 3 || cls[0] != 2 || cls[1] != 0 || cls[2] != 1 {
		t.Errorf("cls_labels = %v, want [2 0 1]", cls)
	}
	ids, shape, _ := e.Int64("input_ids")
	if len(shape) != 2 || shape[0] != 3 || shape[1] != 16 || ids[0] != 101 || ids[16] != 101 || ids[31] != 0 {
		t.Errorf("input_ids shape %v, first ids %v", shape, ids[:2])
	}
	loss, shape, err := e.Float32("cls_loss")
	if err != nil || len(shape) != 0 || len(loss) != 1 || !(loss[0] > 0 && loss[0] < 10) {
		t.Errorf("cls_loss scalar = %v shape %v err %v", loss, shape, err)
	}
	attn, _, _ := e.Float32("attentions.0")
	var rowSum float64
	for _, v := range attn[:16] {
		rowSum += float64(v)
	}
	if math.Abs(rowSum-1) > 1e-5 {
		t.Errorf("attentions.0 first row sums to %v, want 1", rowSum)
	}
}

// TestRoundTripReference re-writes each reference file from decoded values and
// checks the bytes are identical to what PyTorch wrote.
func TestRoundTripReference(t *testing.T) {
	dir := testref.BertRefDir(t)
	for _, name := range []string{"model.safetensors", "expected.safetensors", "adapter_model.safetensors"} {
		path := filepath.Join(dir, name)
		orig, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		f, err := Parse(orig)
		if err != nil {
			t.Fatal(err)
		}
		var entries []Entry
		for _, n := range f.Names() {
			info, _ := f.Info(n)
			if info.DType == I64 {
				v, shape, err := f.Int64(n)
				if err != nil {
					t.Fatal(err)
				}
				entries = append(entries, I64Entry(n, shape, v))
			} else {
				v, shape, err := f.Float32(n)
				if err != nil {
					t.Fatal(err)
				}
				entries = append(entries, F32Entry(n, shape, v))
			}
		}
		// Shuffle the order: Save must sort by name itself.
		for i, j := 0, len(entries)-1; i < j; i, j = i+1, j-1 {
			entries[i], entries[j] = entries[j], entries[i]
		}
		out := filepath.Join(t.TempDir(), name)
		if err := Save(out, entries, f.Metadata); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, orig) {
			n := 0
			for n < len(got) && n < len(orig) && got[n] == orig[n] {
				n++
			}
			t.Errorf("%s: re-written file differs from the original at byte %d (sizes %d vs %d)", name, n, len(got), len(orig))
		}
	}
}

// TestSaveAtomic checks Save overwrites, leaves no temporary files, sets a
// normal file mode, and refuses invalid entries without touching the old file.
func TestSaveAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "w.safetensors")
	if err := Save(path, []Entry{F32Entry("a", []int{2}, []float32{1, 2})}, nil); err != nil {
		t.Fatal(err)
	}
	if err := Save(path, []Entry{F32Entry("b", []int{1}, []float32{3})}, map[string]string{"format": "pt"}); err != nil {
		t.Fatal(err)
	}
	bad := []Entry{{Name: "bad", DType: F32, Shape: []int{3}, Data: make([]byte, 8)}}
	err := Save(path, bad, nil)
	if err == nil || !strings.Contains(err.Error(), `"bad"`) || !strings.Contains(err.Error(), "needs 12 bytes, got 8") {
		t.Errorf("bad entry error = %v", err)
	}
	if err := Save(filepath.Join(dir, "no", "such", "dir", "x.safetensors"), nil, nil); err == nil {
		t.Error("saving into a missing directory should fail")
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 1 {
		t.Errorf("directory holds %d entries after saves, want 1 (temp files left behind?)", len(ents))
	}
	st, _ := os.Stat(path)
	if st.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644", st.Mode().Perm())
	}
	f, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if names := f.Names(); len(names) != 1 || names[0] != "b" || f.Metadata["format"] != "pt" {
		t.Errorf("after overwrite: names %v metadata %v", names, f.Metadata)
	}
}

// TestWriteValidation checks the writer's own checks.
func TestWriteValidation(t *testing.T) {
	cases := []struct {
		name    string
		entries []Entry
		want    string
	}{
		{"duplicate", []Entry{F32Entry("x", []int{1}, []float32{1}), F32Entry("x", []int{1}, []float32{2})}, `tensor "x" given twice`},
		{"empty name", []Entry{F32Entry("", []int{1}, []float32{1})}, "invalid tensor name"},
		{"reserved name", []Entry{F32Entry("__metadata__", []int{1}, []float32{1})}, "invalid tensor name"},
		{"shape mismatch", []Entry{F32Entry("w", []int{2, 3}, []float32{1, 2})}, `tensor "w": dtype F32 shape [2 3] needs 24 bytes, got 8`},
		{"unknown dtype", []Entry{RawEntry("w", "F128", []int{1}, make([]byte, 16))}, `unknown dtype "F128"`},
		{"negative dim", []Entry{F32Entry("w", []int{-1}, nil)}, "negative dimension"},
	}
	for _, c := range cases {
		_, err := Marshal(c.entries, nil)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want it to contain %q", c.name, err, c.want)
		}
	}
}

// TestRoundTripValues covers scalars, empty tensors, I64 extremes, metadata
// escaping and the header padding rule.
func TestRoundTripValues(t *testing.T) {
	meta := map[string]string{"format": "pt", "note": "quote \" backslash \\ newline \n tab \t <html> é"}
	entries := []Entry{
		F32Entry("scalar", nil, []float32{-1.5}),
		F32Entry("empty", []int{0, 4}, nil),
		I64Entry("ids", []int{2, 2}, []int64{math.MinInt64, -1, 0, math.MaxInt64}),
		F32Entry("special", []int{4}, []float32{float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.Copysign(0, -1)), math.SmallestNonzeroFloat32}),
	}
	buf, err := Marshal(entries, meta)
	if err != nil {
		t.Fatal(err)
	}
	if n := binary.LittleEndian.Uint64(buf); n%8 != 0 || buf[8+n-1] != ' ' && buf[8+n-1] != '}' {
		t.Errorf("header length %d + 8 is not a multiple of 8, or the padding is not spaces", n)
	}
	f, err := Parse(buf)
	if err != nil {
		t.Fatal(err)
	}
	if f.Metadata["note"] != meta["note"] {
		t.Errorf("metadata note = %q, want %q", f.Metadata["note"], meta["note"])
	}
	if got := strings.Join(f.Names(), ","); got != "empty,ids,scalar,special" {
		t.Errorf("names %s", got)
	}
	s, shape, _ := f.Float32("scalar")
	if len(shape) != 0 || len(s) != 1 || s[0] != -1.5 {
		t.Errorf("scalar = %v shape %v", s, shape)
	}
	e, shape, _ := f.Float32("empty")
	if len(e) != 0 || len(shape) != 2 || shape[0] != 0 || shape[1] != 4 {
		t.Errorf("empty = %v shape %v", e, shape)
	}
	ids, _, _ := f.Int64("ids")
	if ids[0] != math.MinInt64 || ids[1] != -1 || ids[3] != math.MaxInt64 {
		t.Errorf("ids = %v", ids)
	}
	sp, _, _ := f.Float32("special")
	if !math.IsInf(float64(sp[0]), 1) || !math.IsInf(float64(sp[1]), -1) || !math.Signbit(float64(sp[2])) || sp[3] != math.SmallestNonzeroFloat32 {
		t.Errorf("special = %v", sp)
	}
	if _, _, err := f.Float32("nope"); err == nil || !strings.Contains(err.Error(), `no tensor named "nope"`) {
		t.Errorf("missing tensor error = %v", err)
	}
	// No metadata: the key is omitted, as the reference writer does.
	buf, _ = Marshal(entries[:1], nil)
	if bytes.Contains(buf, []byte(metadataKey)) {
		t.Error("empty metadata should not be written")
	}
}
