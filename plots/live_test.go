package plots

import (
	"testing"
	"time"

	"github.com/turinglab/turinglab/display"
)

// recordingSink keeps every publish, as the kernel's sink would send them.
type recordingSink struct {
	pubs []publish
}

type publish struct {
	b      display.Bundle
	id     string
	update bool
}

func (s *recordingSink) Publish(b display.Bundle, id string, update bool) {
	s.pubs = append(s.pubs, publish{b, id, update})
}
func (s *recordingSink) ClearOutput(bool) {}

func TestLiveRedrawsInPlaceRateLimited(t *testing.T) {
	sink := &recordingSink{}
	prev := display.SetSink(sink)
	defer display.SetSink(prev)

	lv := NewLive(nil)
	lv.Fig.Title = "loss"
	lv.Every = time.Hour
	for i := 0; i < 50; i++ {
		lv.Append("train", float64(i), 1/float64(i+1))
	}
	if len(sink.pubs) != 1 {
		t.Fatalf("%d redraws for 50 appends within Every, want 1", len(sink.pubs))
	}
	if !lv.Pending() {
		t.Fatal("points appended after the redraw should be pending")
	}
	lv.Flush()
	if len(sink.pubs) != 2 || lv.Pending() {
		t.Fatalf("Flush: %d publishes, pending %v", len(sink.pubs), lv.Pending())
	}
	for _, p := range sink.pubs {
		if p.id != lv.Handle().ID || !p.update {
			t.Fatalf("publish id %q update %v; want the handle %q, update", p.id, p.update, lv.Handle().ID)
		}
		if p.b.Data["image/png"] == nil {
			t.Fatalf("live redraw has no image/png: %v", p.b.Types())
		}
	}
	if got := sink.pubs[1].b.Text(); got != "<Line figure: loss (1 series)>" {
		t.Errorf("text/plain %q", got)
	}
	if xs, _ := lv.Fig.Points("train"); len(xs) != 50 {
		t.Fatalf("%d points after 50 appends", len(xs))
	}
}

func TestLineShowUpdatesHandle(t *testing.T) {
	sink := &recordingSink{}
	prev := display.SetSink(sink)
	defer display.SetSink(prev)
	h := display.NewDisplay()
	l := Curve("c", []float64{3, 2, 1})
	l.Show(h)
	l.Append("c", 3, 0.5)
	l.Show(h)
	if len(sink.pubs) != 2 || sink.pubs[1].id != h.ID || !sink.pubs[1].update {
		t.Fatalf("Show: publishes %+v", sink.pubs)
	}
}
