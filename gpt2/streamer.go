package gpt2

import (
	"fmt"
	"html"
	"os"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/turinglab/turinglab/display"
)

// A Streamer receives tokens while Generate produces them (HF's
// BaseStreamer): Put is called once with the prompt, then once per step with
// the new token, and End once when generation stops, however it stops
// (length, EOS, an error or the stop button). Streaming works for one
// sequence at a time, as in HF.
type Streamer interface {
	Put(ids []int) error
	End() error
}

// StreamFuncs is a Streamer made of two functions (either may be nil), for
// notebook cells: a type declared in a cell cannot be stored where a compiled
// Streamer is expected, a function literal can.
type StreamFuncs struct {
	OnPut func(ids []int) error
	OnEnd func() error
}

// Put calls OnPut.
func (f StreamFuncs) Put(ids []int) error {
	if f.OnPut == nil {
		return nil
	}
	return f.OnPut(ids)
}

// End calls OnEnd.
func (f StreamFuncs) End() error {
	if f.OnEnd == nil {
		return nil
	}
	return f.OnEnd()
}

// TokenDecoder turns token ids into text; *tokenizer.GPT2 is one.
type TokenDecoder interface {
	Decode(ids []int) (string, error)
}

// TextStreamer is HF's TextStreamer: it decodes the tokens received so far
// and hands on only text that later tokens cannot change. Text goes out up to
// the last space (a word may still grow, and an unfinished UTF-8 character
// decodes to U+FFFD until its last byte arrives), all of it when the text
// ends with a CJK ideograph, and all of it, with the token cache emptied,
// when it ends with a newline; End hands on the rest.
//
// Concatenated, the pieces are exactly the decoded text of every token put
// (without the prompt when SkipPrompt is set).
type TextStreamer struct {
	decoder    TokenDecoder
	skipPrompt bool
	onText     func(text string, streamEnd bool)

	tokens       []int // HF token_cache: the tokens since the last newline
	printLen     int   // bytes of decode(tokens) already handed on
	nextIsPrompt bool
}

// NewTextStreamer returns a streamer that calls onText with each finished
// piece of text; streamEnd is true for the last call, from End. A nil onText
// prints to standard output like HF's (a newline after the last piece), which
// in a notebook streams below the cell.
func NewTextStreamer(decoder TokenDecoder, skipPrompt bool, onText func(text string, streamEnd bool)) *TextStreamer {
	if onText == nil {
		onText = func(text string, streamEnd bool) {
			if streamEnd {
				text += "\n"
			}
			fmt.Fprint(os.Stdout, text)
		}
	}
	return &TextStreamer{decoder: decoder, skipPrompt: skipPrompt, onText: onText, nextIsPrompt: true}
}

// Put takes the next tokens (the prompt first, then one token per step).
func (s *TextStreamer) Put(ids []int) error {
	if s.skipPrompt && s.nextIsPrompt {
		s.nextIsPrompt = false
		return nil
	}
	s.nextIsPrompt = false
	s.tokens = append(s.tokens, ids...)
	text, err := s.decoder.Decode(s.tokens)
	if err != nil {
		return fmt.Errorf("gpt2.TextStreamer: decoding %v: %w", s.tokens, err)
	}
	var printable string
	switch {
	case strings.HasSuffix(text, "\n"):
		printable = text[s.printLen:]
		s.tokens = s.tokens[:0]
		s.printLen = 0
	case endsWithCJK(text):
		printable = text[s.printLen:]
		s.printLen += len(printable)
	default:
		// Up to and including the last space; nothing when that space was
		// already handed on (Python's empty slice text[a:b] with b < a).
		end := strings.LastIndexByte(text, ' ') + 1
		if end > s.printLen {
			printable = text[s.printLen:end]
			s.printLen = end
		}
	}
	s.onText(printable, false)
	return nil
}

// End hands on whatever text is left and readies the streamer for another
// generation (the next Put is a prompt again).
func (s *TextStreamer) End() error {
	printable := ""
	if len(s.tokens) > 0 {
		text, err := s.decoder.Decode(s.tokens)
		if err != nil {
			return fmt.Errorf("gpt2.TextStreamer: decoding %v: %w", s.tokens, err)
		}
		printable = text[s.printLen:]
	}
	s.tokens = s.tokens[:0]
	s.printLen = 0
	s.nextIsPrompt = true
	s.onText(printable, true)
	return nil
}

// endsWithCJK reports whether the last character of text is in one of the
// CJK ideograph blocks HF's TextStreamer._is_chinese_char lists.
func endsWithCJK(text string) bool {
	if text == "" {
		return false
	}
	cp, _ := utf8.DecodeLastRuneInString(text)
	return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
		(cp >= 0x20000 && cp <= 0x2A6DF) || (cp >= 0x2A700 && cp <= 0x2B73F) ||
		(cp >= 0x2B740 && cp <= 0x2B81F) || (cp >= 0x2B820 && cp <= 0x2CEAF) ||
		(cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x2F800 && cp <= 0x2FA1F)
}

// DisplayStreamer shows the text of a generation in one notebook output area
// that grows in place while tokens arrive (a display handle, redrawn at most
// every refresh interval and once more at the end, so fast generation does
// not flood the notebook). It is a TextStreamer underneath, so it shows only
// text that later tokens cannot change.
type DisplayStreamer struct {
	*TextStreamer

	mu       sync.Mutex
	text     strings.Builder
	handle   *display.Handle
	shown    bool // the output area exists
	dirty    bool // text arrived since the last redraw
	lastDraw time.Time
	every    time.Duration
	now      func() time.Time // the clock, replaceable in tests
}

// displayRefresh is how often a DisplayStreamer redraws at most.
const displayRefresh = 50 * time.Millisecond

// NewDisplayStreamer returns a streamer that shows the generated text in the
// notebook, updated in place; with skipPrompt false the prompt is shown too.
func NewDisplayStreamer(decoder TokenDecoder, skipPrompt bool) *DisplayStreamer {
	d := &DisplayStreamer{handle: display.NewDisplay(), every: displayRefresh, now: time.Now}
	d.TextStreamer = NewTextStreamer(decoder, skipPrompt, d.receive)
	return d
}

// receive appends a finished piece and redraws when due: at once the first
// time (so later updates have an output area), at the end, and otherwise when
// there is new text and the last redraw is older than the refresh interval.
func (d *DisplayStreamer) receive(piece string, streamEnd bool) {
	d.mu.Lock()
	d.text.WriteString(piece)
	d.dirty = d.dirty || piece != ""
	now := d.now()
	first := !d.shown
	if !first && !streamEnd && !(d.dirty && now.Sub(d.lastDraw) >= d.every) {
		d.mu.Unlock()
		return
	}
	d.shown, d.dirty, d.lastDraw = true, false, now
	d.mu.Unlock()
	if first {
		d.handle.Display(d)
	} else {
		d.handle.Update(d)
	}
}

// Text returns the text shown so far.
func (d *DisplayStreamer) Text() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.text.String()
}

// String is the text shown so far.
func (d *DisplayStreamer) String() string { return d.Text() }

// MIMEBundle shows the text as preformatted HTML (spaces and newlines kept)
// and as plain text.
func (d *DisplayStreamer) MIMEBundle() display.Bundle {
	text := d.Text()
	return display.Bundle{Data: map[string]any{
		display.MIMEText: text,
		display.MIMEHTML: `<pre style="white-space:pre-wrap;margin:0">` + html.EscapeString(text) + `</pre>`,
	}}
}
