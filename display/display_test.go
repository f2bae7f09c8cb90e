package display

import (
	"bytes"
	"encoding/base64"
	"image"
	"image/color"
	"strings"
	"sync"
	"testing"
	"time"
)

// recordingSink keeps every publish so tests can check what a user would see.
type recordingSink struct {
	mu        sync.Mutex
	published []published
	clears    []bool
}

type published struct {
	bundle    Bundle
	displayID string
	update    bool
}

func (r *recordingSink) Publish(b Bundle, id string, update bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.published = append(r.published, published{b, id, update})
}

func (r *recordingSink) ClearOutput(wait bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.clears = append(r.clears, wait)
}

func withSink(t *testing.T) *recordingSink {
	t.Helper()
	r := &recordingSink{}
	prev := SetSink(r)
	t.Cleanup(func() { SetSink(prev) })
	return r
}

type point struct{ X, Y int }

type richPoint struct{ point }

func (p richPoint) MIMEBundle() Bundle {
	return Bundle{Data: map[string]any{MIMEHTML: "<i>point</i>"}}
}

func TestRenderPlainValueUsesSprint(t *testing.T) {
	b := Render(point{1, 2})
	if got := b.Text(); got != "{1 2}" {
		t.Fatalf("text/plain = %q, want %q", got, "{1 2}")
	}
	if types := b.Types(); len(types) != 1 {
		t.Fatalf("types = %v, want only text/plain", types)
	}
}

func TestRenderRendererFillsMissingText(t *testing.T) {
	b := Render(richPoint{point{3, 4}})
	if b.Data[MIMEHTML] != "<i>point</i>" {
		t.Fatalf("html = %v", b.Data[MIMEHTML])
	}
	if b.Text() != "{{3 4}}" {
		t.Fatalf("text/plain fallback = %q", b.Text())
	}
}

func TestRichTypesCarryTheirMIME(t *testing.T) {
	cases := []struct {
		value Renderer
		mime  string
		want  string
	}{
		{HTML("<b>x</b>"), MIMEHTML, "<b>x</b>"},
		{Markdown("# title"), MIMEMarkdown, "# title"},
		{Latex(`$e^{i\pi}+1=0$`), MIMELatex, `$e^{i\pi}+1=0$`},
		{SVG("<svg></svg>"), MIMESVG, "<svg></svg>"},
	}
	for _, c := range cases {
		b := Render(c.value)
		if b.Data[c.mime] != c.want {
			t.Errorf("%T: %s = %v, want %q", c.value, c.mime, b.Data[c.mime], c.want)
		}
		if b.Text() == "" {
			t.Errorf("%T: no text/plain fallback", c.value)
		}
	}
}

func TestImageEncodesPNGWithSize(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 7, 5))
	img.Set(1, 1, color.RGBA{255, 0, 0, 255})
	b := Render(Image(img))
	raw, err := base64.StdEncoding.DecodeString(b.Data[MIMEPNG].(string))
	if err != nil {
		t.Fatalf("image/png is not base64: %v", err)
	}
	decoded, _, err := image.Decode(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("image/png does not decode: %v", err)
	}
	if decoded.Bounds().Dx() != 7 || decoded.Bounds().Dy() != 5 {
		t.Fatalf("decoded size %v, want 7x5", decoded.Bounds())
	}
	meta := b.Metadata[MIMEPNG].(map[string]any)
	if meta["width"] != 7 || meta["height"] != 5 {
		t.Fatalf("metadata = %v", meta)
	}
	if b.Text() != "<image/png image 7x5>" {
		t.Fatalf("text = %q", b.Text())
	}
}

func TestJSONOnlyObjectsAndArraysGoToApplicationJSON(t *testing.T) {
	type config struct {
		Hidden int `json:"hidden_size"`
	}
	b := Render(JSON(config{32}))
	obj, ok := b.Data[MIMEJSON].(map[string]any)
	if !ok || obj["hidden_size"] != float64(32) {
		t.Fatalf("application/json = %#v", b.Data[MIMEJSON])
	}
	if !strings.Contains(b.Text(), `"hidden_size": 32`) {
		t.Fatalf("text = %q", b.Text())
	}
	if _, ok := Render(JSON(3)).Data[MIMEJSON]; ok {
		t.Fatalf("a scalar must not be sent as application/json")
	}
	if !strings.Contains(Render(JSON(make(chan int))).Text(), "JSON error") {
		t.Fatalf("an unencodable value must say why")
	}
}

func TestTableHTMLEscapesAndTextAligns(t *testing.T) {
	tab := Table([]string{"method", "acc"}, [][]any{{"LoRA <r=4>", float32(0.91234)}, {"BitFit", 0.5}})
	b := Render(tab)
	html := b.Data[MIMEHTML].(string)
	if !strings.Contains(html, "<td>LoRA &lt;r=4&gt;</td>") || !strings.Contains(html, "<td>0.9123</td>") {
		t.Fatalf("html = %s", html)
	}
	want := "method      acc\n----------  ------\nLoRA <r=4>  0.9123\nBitFit      0.5"
	if b.Text() != want {
		t.Fatalf("text =\n%s\nwant\n%s", b.Text(), want)
	}
}

func TestDisplayAndHandleGoToTheSink(t *testing.T) {
	sink := withSink(t)
	Display("a", HTML("<p>b</p>"))
	h := NewDisplay()
	h.Display(1)
	h.Update(2)
	ClearOutput(true)
	if len(sink.published) != 4 {
		t.Fatalf("published %d bundles, want 4", len(sink.published))
	}
	if sink.published[1].bundle.Data[MIMEHTML] != "<p>b</p>" || sink.published[0].displayID != "" {
		t.Fatalf("Display published %+v", sink.published[:2])
	}
	if p := sink.published[3]; p.displayID != h.ID || !p.update || p.bundle.Text() != "2" {
		t.Fatalf("Update published %+v", p)
	}
	if len(h.ID) != 32 || NewDisplay().ID == h.ID {
		t.Fatalf("display ids must be fresh 128-bit hex strings, got %q", h.ID)
	}
	if len(sink.clears) != 1 || !sink.clears[0] {
		t.Fatalf("clears = %v", sink.clears)
	}
}

func TestProgressThrottlesAndFinishes(t *testing.T) {
	sink := withSink(t)
	clock := time.Unix(0, 0)
	p := Progress(100, "epoch 1")
	p.now = func() time.Time { return clock }
	p.start, p.lastDraw = clock, clock
	for i := 0; i < 50; i++ {
		p.Add(1) // no time passes: no redraw
	}
	if len(sink.published) != 1 {
		t.Fatalf("a bar redrew %d times without time passing", len(sink.published)-1)
	}
	clock = clock.Add(5 * time.Second)
	p.SetPostfix("loss=0.5")
	last := sink.published[len(sink.published)-1]
	if !last.update || !strings.Contains(last.bundle.Text(), "50/100 [00:05<00:05, 10.00 it/s] loss=0.5") {
		t.Fatalf("redraw after 5 s = %+v", last)
	}
	if !strings.Contains(last.bundle.Data[MIMEHTML].(string), `<progress value="50" max="100"`) {
		t.Fatalf("html = %v", last.bundle.Data[MIMEHTML])
	}
	p.Set(100) // reaching the total always draws
	if got := sink.published[len(sink.published)-1].bundle.Text(); !strings.HasPrefix(got, "epoch 1 100% |") {
		t.Fatalf("final = %q", got)
	}
	p.Done()
	n := len(sink.published)
	clock = clock.Add(time.Minute)
	p.Add(1)
	if len(sink.published) != n {
		t.Fatalf("a finished bar must not redraw")
	}
}

func TestProgressWithUnknownTotal(t *testing.T) {
	withSink(t)
	p := Progress(0, "")
	p.Add(3)
	if got := p.String(); !strings.HasPrefix(got, "3 [00:00") {
		t.Fatalf("String() = %q", got)
	}
}

func TestTerminalSinkDrawsUpdatesOnOneLine(t *testing.T) {
	var out bytes.Buffer
	sink := &TerminalSink{Out: &out}
	sink.Publish(TextBundle("start"), "id", false)
	sink.Publish(TextBundle("1/2"), "id", true)
	sink.Publish(TextBundle("2/2"), "id", true)
	sink.Publish(TextBundle("next"), "", false)
	if got, want := out.String(), "start\n\r1/2\r2/2\nnext\n"; got != want {
		t.Fatalf("terminal output %q, want %q", got, want)
	}
}

func TestInterruptCancelsUntilNextRun(t *testing.T) {
	ctx := BeginRun()
	if Interrupted() || CheckInterrupt() != nil {
		t.Fatalf("a fresh run must not be interrupted")
	}
	Interrupt()
	if !Interrupted() || CheckInterrupt() != ErrInterrupted || ctx.Err() == nil {
		t.Fatalf("Interrupt did not cancel the run")
	}
	select {
	case <-Context().Done():
	default:
		t.Fatalf("Context().Done() not closed after Interrupt")
	}
	BeginRun()
	if Interrupted() {
		t.Fatalf("BeginRun must start uninterrupted")
	}
}
