package display

import (
	"crypto/rand"
	"encoding/hex"
)

// Display shows each value in the notebook as its own output (display_data),
// rendered through Render: rich if the value is a Renderer, fmt.Sprint otherwise.
func Display(values ...any) {
	sink := CurrentSink()
	for _, v := range values {
		sink.Publish(Render(v), "", false)
	}
}

// ClearOutput clears the output of the running cell. With wait=true the front end
// clears only when the next output arrives, which makes animations flicker-free.
func ClearOutput(wait bool) {
	CurrentSink().ClearOutput(wait)
}

// Handle is one output area that can be redrawn in place: a live loss curve, a
// progress bar, a table that fills in. It maps to Jupyter's transient display_id.
type Handle struct {
	ID string
}

// NewDisplay returns a handle with a fresh display id; nothing is shown until the
// first Display or Update.
func NewDisplay() *Handle {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return &Handle{ID: hex.EncodeToString(b[:])}
}

// Display shows v in a new output area tied to this handle.
func (h *Handle) Display(v any) {
	CurrentSink().Publish(Render(v), h.ID, false)
}

// Update redraws every output area tied to this handle with v. Updating a handle
// that was never displayed shows nothing in Jupyter, so Update displays it first.
func (h *Handle) Update(v any) {
	CurrentSink().Publish(Render(v), h.ID, true)
}
