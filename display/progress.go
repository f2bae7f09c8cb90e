package display

import (
	"fmt"
	"html"
	"strings"
	"sync"
	"time"
)

// ProgressBar shows how far a long job (an epoch, an attack, an attribution
// sweep) has got: count, rate and estimated time left, like tqdm. It redraws
// one output area in place, at most every refreshInterval, so a tight loop can
// call Add on every step without flooding the notebook. Create it with Progress.
type ProgressBar struct {
	mu        sync.Mutex
	label     string
	total     int // 0 when the length is unknown
	done      int
	postfix   string
	start     time.Time
	lastDraw  time.Time
	finished  bool
	handle    *Handle
	now       func() time.Time // the clock, replaceable in tests
	drawEvery time.Duration
}

// refreshInterval is how often a bar redraws at most: often enough to look
// alive, rarely enough to cost nothing next to the work it measures.
const refreshInterval = 100 * time.Millisecond

// Progress starts a progress bar for total steps (0 if unknown) and shows it
// at once, so later in-place updates have an output area to replace.
func Progress(total int, label string) *ProgressBar {
	p := &ProgressBar{label: label, total: total, handle: NewDisplay(), now: time.Now, drawEvery: refreshInterval}
	p.start = p.now()
	p.lastDraw = p.start
	p.handle.Display(p)
	return p
}

// Add advances the bar by n steps.
func (p *ProgressBar) Add(n int) {
	p.mu.Lock()
	p.done += n
	p.mu.Unlock()
	p.redraw(false)
}

// Set moves the bar to step i (for loops that know their position).
func (p *ProgressBar) Set(i int) {
	p.mu.Lock()
	p.done = i
	p.mu.Unlock()
	p.redraw(false)
}

// SetPostfix shows extra text after the counts, e.g. "loss=0.412".
func (p *ProgressBar) SetPostfix(s string) {
	p.mu.Lock()
	p.postfix = s
	p.mu.Unlock()
	p.redraw(false)
}

// Done draws the final state (also after an interrupt, so the bar shows where
// the job stopped). Later calls to Add or Set do nothing visible.
func (p *ProgressBar) Done() {
	p.redraw(true)
	p.mu.Lock()
	p.finished = true
	p.mu.Unlock()
}

// Count returns how many steps are done so far.
func (p *ProgressBar) Count() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.done
}

func (p *ProgressBar) redraw(force bool) {
	p.mu.Lock()
	now := p.now()
	due := force || now.Sub(p.lastDraw) >= p.drawEvery || (p.total > 0 && p.done >= p.total)
	if p.finished || !due {
		p.mu.Unlock()
		return
	}
	p.lastDraw = now
	p.mu.Unlock()
	p.handle.Update(p)
}

// state returns the numbers a rendering needs, read under the lock.
func (p *ProgressBar) state() (done, total int, elapsed time.Duration, label, postfix string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.done, p.total, p.now().Sub(p.start), p.label, p.postfix
}

// String is the tqdm-like text line: "label  45/100 [00:03<00:04, 12.30 it/s] loss=0.4".
func (p *ProgressBar) String() string {
	done, total, elapsed, label, postfix := p.state()
	var b strings.Builder
	if label != "" {
		b.WriteString(label + " ")
	}
	rate := 0.0
	if elapsed > 0 {
		rate = float64(done) / elapsed.Seconds()
	}
	if total > 0 {
		fraction := min(float64(done)/float64(total), 1)
		const width = 20
		filled := int(fraction * width)
		fmt.Fprintf(&b, "%3.0f%% |%s%s| %d/%d [%s", 100*fraction,
			strings.Repeat("█", filled), strings.Repeat(" ", width-filled), done, total, clock(elapsed))
		if rate > 0 && done < total {
			fmt.Fprintf(&b, "<%s", clock(time.Duration(float64(total-done)/rate*float64(time.Second))))
		}
	} else {
		fmt.Fprintf(&b, "%d [%s", done, clock(elapsed))
	}
	fmt.Fprintf(&b, ", %.2f it/s]", rate)
	if postfix != "" {
		b.WriteString(" " + postfix)
	}
	return b.String()
}

// MIMEBundle renders an HTML <progress> element with the text line beside it.
func (p *ProgressBar) MIMEBundle() Bundle {
	done, total, _, _, _ := p.state()
	text := p.String()
	bar := ""
	if total > 0 {
		bar = fmt.Sprintf(`<progress value="%d" max="%d" style="width:40%%;vertical-align:middle"></progress> `, min(done, total), total)
	}
	return Bundle{Data: map[string]any{
		MIMEText: text,
		MIMEHTML: fmt.Sprintf(`<div style="font-family:monospace">%s%s</div>`, bar, html.EscapeString(text)),
	}}
}

// clock formats a duration as mm:ss, or h:mm:ss past an hour, like tqdm.
func clock(d time.Duration) string {
	s := int(d.Round(time.Second) / time.Second)
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%02d:%02d", s/60, s%60)
}
