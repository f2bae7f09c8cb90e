package tokenizer

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/turinglab/turinglab/internal/testref"
	"github.com/turinglab/turinglab/safetensors"
)

// TestGPT2BatchMatchesReference pads the reference prompts as the model's
// reference did (pad = eos, left and right) and compares with
// expected.safetensors' input_ids and attention masks.
func TestGPT2BatchMatchesReference(t *testing.T) {
	tok, _ := loadRef(t)
	f, err := safetensors.Open(filepath.Join(testref.GPT2RefDir(t), "expected.safetensors"))
	if err != nil {
		t.Fatal(err)
	}
	prompts := []string{"Don't worry: it's a test.", "Hello world! The model is small.", "Words are bytes"}
	if _, err := tok.EncodeBatch(prompts, BatchOptions{Padding: PadLongest}); err == nil {
		t.Fatal("padding without a padding token: no error")
	}
	tok.PAD = tok.EOS
	for _, side := range []struct {
		side       Side
		ids, masks string
	}{{Left, "input_ids", "attention_mask"}, {Right, "input_ids_right", "attention_mask_right"}} {
		b, err := tok.EncodeBatch(prompts, BatchOptions{Padding: PadLongest, PaddingSide: side.side})
		if err != nil {
			t.Fatal(err)
		}
		compareRows(t, f, side.ids, b.InputIDs)
		compareRows(t, f, side.masks, b.AttentionMask)
		for i, row := range b.Tokens {
			for j, tk := range row {
				if b.AttentionMask[i][j] == 0 && tk != EndOfText {
					t.Errorf("%s row %d pad token %d is %q", side.side, i, j, tk)
				}
			}
		}
	}
	compareRows(t, f, "gen_input_ids", [][]int{tok.EncodeIDs("Once upon a time the model")})
}

// compareRows checks an I64 tensor of f against rows.
func compareRows(t *testing.T, f *safetensors.File, name string, rows [][]int) {
	t.Helper()
	want, shape, err := f.Int64(name)
	if err != nil {
		t.Fatal(err)
	}
	if len(shape) != 2 || shape[0] != len(rows) {
		t.Fatalf("%s: shape %v, have %d rows", name, shape, len(rows))
	}
	for i, row := range rows {
		if len(row) != shape[1] {
			t.Fatalf("%s row %d: %d columns, want %d", name, i, len(row), shape[1])
		}
		for j, v := range row {
			if int64(v) != want[i*shape[1]+j] {
				t.Errorf("%s[%d][%d] = %d, want %d (row %v)", name, i, j, v, want[i*shape[1]+j], row)
			}
		}
	}
}

// TestGPT2SaveIsByteIdentical loads the reference folder and saves it again:
// all four files must come out with HF's bytes.
func TestGPT2SaveIsByteIdentical(t *testing.T) {
	dir := testref.GPT2RefDir(t)
	tok, err := LoadGPT2(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	if err := tok.Save(out); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{VocabFileName, MergesFileName, TokenizerConfigFileName, SpecialTokensMapFileName} {
		want, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from HF's (%d vs %d bytes); first difference at byte %d", name, len(got), len(want), firstDiff(got, want))
		}
	}
	entries, _ := os.ReadDir(out)
	if len(entries) != 4 {
		t.Errorf("saved folder holds %d entries, want the 4 files (no temporary files left)", len(entries))
	}
}

// firstDiff returns the first index where a and b differ.
func firstDiff(a, b []byte) int {
	for i := range a {
		if i >= len(b) || a[i] != b[i] {
			return i
		}
	}
	return len(a)
}

// TestGPT2SaveLoadChanged saves a tokenizer with changed settings and an
// added token and loads it back.
func TestGPT2SaveLoadChanged(t *testing.T) {
	tok, _ := loadRef(t)
	tok.PAD = tok.EOS
	tok.AddPrefixSpace = true
	tok.PaddingSide = Left
	id := tok.AddToken(AddedToken{Content: "<tool>", Special: true})
	if id != 520 {
		t.Fatalf("new added token got id %d, want 520", id)
	}
	dir := t.TempDir()
	if err := tok.Save(dir); err != nil {
		t.Fatal(err)
	}
	back, err := LoadGPT2(dir)
	if err != nil {
		t.Fatal(err)
	}
	if back.PAD != EndOfText || !back.AddPrefixSpace || back.PaddingSide != Left || back.ModelMaxLength != 64 {
		t.Errorf("loaded back PAD %q AddPrefixSpace %v PaddingSide %v ModelMaxLength %d", back.PAD, back.AddPrefixSpace, back.PaddingSide, back.ModelMaxLength)
	}
	text := "Hello<tool>world<|endoftext|>"
	if got, want := back.EncodeIDs(text), tok.EncodeIDs(text); !slices.Equal(got, want) {
		t.Errorf("after save/load %q -> %v, before %v", text, got, want)
	}
	if got := back.EncodeIDs("<tool>"); !slices.Equal(got, []int{220, 520}) {
		t.Errorf("<tool> with the prefix space -> %v, want [220 520]", got)
	}
}

// TestGPT2AddPrefixSpace checks GPT2Tokenizer's add_prefix_space: one space
// before the whole text, none after special tokens; offsets stay in the text.
func TestGPT2AddPrefixSpace(t *testing.T) {
	tok, _ := loadRef(t)
	plain := tok.Tokenize(" Hello world")
	tok.AddPrefixSpace = true
	enc := tok.Encode("Hello world")
	if !slices.Equal(enc.Tokens, plain) {
		t.Errorf("with AddPrefixSpace %q, want the tokens of \" Hello world\" %q", enc.Tokens, plain)
	}
	if enc.Offsets[0].Start != 0 || enc.Offsets[len(enc.Offsets)-1].End != len("Hello world") {
		t.Errorf("offsets %v", enc.Offsets)
	}
	if got := tok.Tokenize(""); !slices.Equal(got, []string{"Ġ"}) {
		t.Errorf("empty text with AddPrefixSpace -> %q, want [Ġ]", got)
	}
	after := tok.Tokenize("a<|endoftext|>b")
	if after[len(after)-1] != "b" {
		t.Errorf("the piece after <|endoftext|> got a prefix space: %q", after)
	}
}

// TestGPT2Truncation truncates from either side and pads to max length.
func TestGPT2Truncation(t *testing.T) {
	tok, _ := loadRef(t)
	tok.PAD = tok.EOS
	text := "The quick brown fox jumps over the lazy dog."
	full := tok.EncodeIDs(text)
	b, err := tok.EncodeBatch([]string{text, "Hi"}, BatchOptions{Truncation: true, MaxLength: 4, Padding: PadMaxLength})
	if err != nil {
		t.Fatal(err)
	}
	hi := tok.EncodeIDs("Hi")
	if len(hi) >= 4 {
		t.Fatalf("\"Hi\" has %d tokens; the test needs fewer than 4", len(hi))
	}
	wantHi := append(append([]int(nil), hi...), 519, 519, 519)[:4]
	if !slices.Equal(b.InputIDs[0], full[:4]) || !slices.Equal(b.InputIDs[1], wantHi) {
		t.Errorf("right truncation/padding: %v, want %v and %v", b.InputIDs, full[:4], wantHi)
	}
	if !slices.Equal(b.AttentionMask[1], onesZeros(len(hi), 4)) || !slices.Equal(b.AttentionMask[0], onesZeros(4, 4)) {
		t.Errorf("masks %v", b.AttentionMask)
	}
	b, err = tok.EncodeBatch([]string{text}, BatchOptions{Truncation: true, MaxLength: 3, TruncationSide: Left})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(b.InputIDs[0], full[len(full)-3:]) {
		t.Errorf("left truncation: %v, want %v", b.InputIDs[0], full[len(full)-3:])
	}
	// Truncation without MaxLength uses model_max_length (64 here).
	long := strings.Repeat("word ", 100)
	b, err = tok.EncodeBatch([]string{long}, BatchOptions{Truncation: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(b.InputIDs[0]) != 64 {
		t.Errorf("truncated to %d tokens, want model_max_length 64", len(b.InputIDs[0]))
	}
}

// onesZeros returns n ones followed by zeros up to length.
func onesZeros(n, length int) []int {
	out := make([]int, length)
	for i := 0; i < n; i++ {
		out[i] = 1
	}
	return out
}

// TestGPT2DecodeErrors checks that unknown ids are reported, not dropped.
func TestGPT2DecodeErrors(t *testing.T) {
	tok, _ := loadRef(t)
	for _, ids := range [][]int{{-1}, {9999}, {13, 600}} {
		if _, err := tok.Decode(ids); err == nil {
			t.Errorf("Decode(%v): no error", ids)
		}
	}
}

// TestAddedTokenStrip checks lstrip/rstrip/single_word as GPT2Tokenizer
// applies them.
func TestAddedTokenStrip(t *testing.T) {
	tok, _ := loadRef(t)
	tok.AddToken(AddedToken{Content: "<L>", LStrip: true})
	tok.AddToken(AddedToken{Content: "<R>", RStrip: true})
	tok.AddToken(AddedToken{Content: "<W>", SingleWord: true})
	cases := []struct{ text, want string }{
		{"a  <L> b", "a|<L>|Ġb"},
		{"a <R>  b", "a|Ġ|<R>|b"},
		{"a <W> b", "a|Ġ|<W>|Ġb"},
		{"x<W>", "x|<|W|>"},
	}
	for _, c := range cases {
		enc := tok.Encode(c.text)
		if got := strings.Join(enc.Tokens, "|"); got != c.want {
			t.Errorf("%q -> %s, want %s", c.text, got, c.want)
		}
		for i, s := range enc.Offsets {
			if s.Start < 0 || s.End > len(c.text) || s.Start > s.End {
				t.Errorf("%q: token %d span %v outside the text", c.text, i, s)
			}
		}
	}
}
