package plots

import (
	"sync"
	"time"

	"github.com/turinglab/turinglab/display"
)

// Live keeps a Line on screen and redraws it in place as points arrive: the
// trainer's loss curve. Appends are cheap; the figure is re-rendered at most
// once per Every (rendering takes tens of milliseconds, steps may take less),
// and Flush draws the final state. Live is safe for concurrent use.
type Live struct {
	// Fig is the figure being drawn; set its Title, labels, LogY or Smoothing freely.
	Fig *Line
	// Every is the minimum time between redraws; zero means 250 ms.
	Every time.Duration

	mu      sync.Mutex
	handle  *display.Handle
	last    time.Time
	pending bool
}

// NewLive returns a live view of fig (a new empty Line if fig is nil) tied to
// a fresh display handle. Nothing is shown until the first Append or Flush.
func NewLive(fig *Line) *Live {
	if fig == nil {
		fig = NewLine("")
	}
	return &Live{Fig: fig, handle: display.NewDisplay()}
}

// Handle returns the display handle the figure is drawn into.
func (lv *Live) Handle() *display.Handle { return lv.handle }

// Append adds (x, y) to the series name and redraws the figure if the last
// redraw is at least Every old.
func (lv *Live) Append(name string, x, y float64) {
	lv.Fig.Append(name, x, y)
	lv.mu.Lock()
	defer lv.mu.Unlock()
	every := lv.Every
	if every <= 0 {
		every = 250 * time.Millisecond
	}
	if time.Since(lv.last) < every {
		lv.pending = true
		return
	}
	lv.redraw()
}

// Flush redraws the figure now, so that the points appended since the last
// redraw show. Call it when training ends (or is interrupted).
func (lv *Live) Flush() {
	lv.mu.Lock()
	defer lv.mu.Unlock()
	lv.redraw()
}

// Pending reports whether points were appended since the last redraw.
func (lv *Live) Pending() bool {
	lv.mu.Lock()
	defer lv.mu.Unlock()
	return lv.pending
}

// redraw publishes the figure to the handle; the caller holds lv.mu.
func (lv *Live) redraw() {
	lv.handle.Update(lv.Fig)
	lv.last = time.Now()
	lv.pending = false
}

// MIMEBundle shows the live figure's current state, so a Live that ends a cell
// displays like its Line.
func (lv *Live) MIMEBundle() display.Bundle { return lv.Fig.MIMEBundle() }
