package gpt2

import (
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/turinglab/turinglab/display"
	"github.com/turinglab/turinglab/tokenizer"
)

// byteTokens spells text with the reference tokenizer's 256 byte tokens, one
// token per UTF-8 byte, so that multi-byte characters arrive in pieces.
func byteTokens(t *testing.T, tok *tokenizer.GPT2, text string) []int {
	t.Helper()
	var ids []int
	for i := 0; i < len(text); i++ {
		id, ok := tok.TokenToID(string(tokenizer.ByteToRune(text[i])))
		if !ok {
			t.Fatalf("no token for byte %#x", text[i])
		}
		ids = append(ids, id)
	}
	return ids
}

// TestTextStreamerHandsOnOnlyFinishedText streams text byte by byte and
// checks HF's rules: nothing of a word until the space after it, CJK at
// once, everything at a newline, the rest at End, never a half character;
// the pieces add up to the text.
func TestTextStreamerHandsOnOnlyFinishedText(t *testing.T) {
	_, ck, _ := refModel(t)
	var pieces []string
	ended := 0
	s := NewTextStreamer(ck.Tokenizer, true, func(text string, end bool) {
		pieces = append(pieces, text)
		if end {
			ended++
		}
	})
	const text = "héllo wörld 你好\nnext 😀 end"
	ids := byteTokens(t, ck.Tokenizer, text)
	if err := s.Put([]int{1, 2, 3}); err != nil { // the prompt, skipped
		t.Fatal(err)
	}
	shownAfter := map[int]string{} // bytes put -> text handed on so far
	for i, id := range ids {
		if err := s.Put([]int{id}); err != nil {
			t.Fatal(err)
		}
		shownAfter[i+1] = strings.Join(pieces, "")
	}
	if err := s.End(); err != nil {
		t.Fatal(err)
	}
	for n, shown := range shownAfter {
		if !utf8.ValidString(shown) || strings.ContainsRune(shown, utf8.RuneError) {
			t.Fatalf("after %d bytes the streamer handed on %q, a broken character", n, shown)
		}
	}
	checks := []struct {
		bytes int
		want  string
	}{
		{len("héllo"), ""},                         // a word is held back
		{len("héllo "), "héllo "},                  // and handed on with its space
		{len("héllo wörld 你"), "héllo wörld 你"},    // a CJK ideograph goes at once
		{len("héllo wörld 你") - 1, "héllo wörld "}, // but not a half of one
		{len("héllo wörld 你好\n"), "héllo wörld 你好\n"},
		{len("héllo wörld 你好\nnext 😀"), "héllo wörld 你好\nnext "}, // an emoji is no CJK
	}
	for _, c := range checks {
		if got := shownAfter[c.bytes]; got != c.want {
			t.Errorf("after %d bytes: handed on %q, want %q", c.bytes, got, c.want)
		}
	}
	if got := strings.Join(pieces, ""); got != text {
		t.Fatalf("pieces add up to %q, want %q", got, text)
	}
	if ended != 1 || pieces[len(pieces)-1] != "end" {
		t.Fatalf("End handed on %q (%d ends), want the last word once", pieces[len(pieces)-1], ended)
	}
}

// TestStreamedTextEqualsDecodedOutput streams a real generation, with and
// without the prompt: the pieces add up to the decoded sequence.
func TestStreamedTextEqualsDecodedOutput(t *testing.T) {
	m, ck, expected := refModel(t)
	cfg := ck.Generation
	cfg.MaxNewTokens = 30
	prompt := int64Row(t, expected, "gen_input_ids")
	for _, skip := range []bool{false, true} {
		var b strings.Builder
		s := NewTextStreamer(ck.Tokenizer, skip, func(text string, end bool) { b.WriteString(text) })
		out, err := m.Generate([][]int{prompt}, cfg, &GenerateOptions{Streamer: s})
		if err != nil {
			t.Fatal(err)
		}
		ids := out.Sequences[0]
		if skip {
			ids = out.NewTokens(0)
		}
		want, err := ck.Tokenizer.Decode(ids)
		if err != nil {
			t.Fatal(err)
		}
		if b.String() != want {
			t.Fatalf("skip prompt %v: streamed %q, decoded %q", skip, b.String(), want)
		}
	}
}

// recordingSink keeps what a notebook would have been sent.
type recordingSink struct {
	mu     sync.Mutex
	events []sinkEvent
}

type sinkEvent struct {
	text, id string
	update   bool
}

func (r *recordingSink) Publish(b display.Bundle, id string, update bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, sinkEvent{b.Text(), id, update})
}

func (r *recordingSink) ClearOutput(bool) {}

// TestDisplayStreamerUpdatesOneOutputInPlace checks that a DisplayStreamer
// shows one output area (displayed once, then updated under the same id),
// redraws at most once per refresh interval, and ends with the whole text.
func TestDisplayStreamerUpdatesOneOutputInPlace(t *testing.T) {
	_, ck, _ := refModel(t)
	sink := &recordingSink{}
	prev := display.SetSink(sink)
	t.Cleanup(func() { display.SetSink(prev) })

	clock := time.Unix(0, 0)
	d := NewDisplayStreamer(ck.Tokenizer, true)
	d.now = func() time.Time { return clock }
	const text = "one two three four five six "
	ids := byteTokens(t, ck.Tokenizer, text)
	if err := d.Put([]int{0}); err != nil { // prompt, skipped
		t.Fatal(err)
	}
	for i, id := range ids {
		if i == len(ids)/2 {
			clock = clock.Add(time.Second) // one redraw is due half way
		}
		if err := d.Put([]int{id}); err != nil {
			t.Fatal(err)
		}
	}
	if err := d.End(); err != nil {
		t.Fatal(err)
	}
	ev := sink.events
	if len(ev) != 3 {
		t.Fatalf("%d publishes %+v, want 3: the first, one after the clock moved, the end", len(ev), ev)
	}
	if ev[0].update || !ev[1].update || !ev[2].update || ev[0].id == "" || ev[1].id != ev[0].id || ev[2].id != ev[0].id {
		t.Fatalf("publishes %+v: want a display then updates of the same id", ev)
	}
	if ev[2].text != text || d.Text() != text {
		t.Fatalf("final text %q (Text %q), want %q", ev[2].text, d.Text(), text)
	}
	if html := d.MIMEBundle().Data[display.MIMEHTML].(string); !strings.Contains(html, "<pre") || !strings.Contains(html, "three") {
		t.Fatalf("HTML %q", html)
	}
}

// TestStreamFuncsReceivesPromptThenTokens checks the function streamer
// notebook cells use: the prompt once, then one token per step, then End.
func TestStreamFuncsReceivesPromptThenTokens(t *testing.T) {
	m, ck, expected := refModel(t)
	cfg := ck.Generation
	cfg.MaxNewTokens = 5
	var puts [][]int
	ends := 0
	s := StreamFuncs{
		OnPut: func(ids []int) error { puts = append(puts, append([]int(nil), ids...)); return nil },
		OnEnd: func() error { ends++; return nil },
	}
	prompt := int64Row(t, expected, "gen_input_ids")
	out, err := m.Generate([][]int{prompt}, cfg, &GenerateOptions{Streamer: s})
	if err != nil {
		t.Fatal(err)
	}
	if len(puts) != 6 || !slices.Equal(puts[0], prompt) || ends != 1 {
		t.Fatalf("puts %v, %d ends; want the prompt, 5 tokens, one end", puts, ends)
	}
	for i, tok := range out.NewTokens(0) {
		if !slices.Equal(puts[i+1], []int{tok}) {
			t.Fatalf("put %d is %v, want [%d]", i+1, puts[i+1], tok)
		}
	}
	if err := (StreamFuncs{}).Put([]int{1}); err != nil {
		t.Fatal(err)
	}
}
