package kernel

import (
	"sync"

	"github.com/turinglab/turinglab/display"
)

// displaySink is the kernel's display.Sink: what a cell (or a library it calls)
// displays becomes display_data, update_display_data or clear_output on iopub,
// parented to the request that is running, after any text printed before it.
type displaySink struct {
	k *Kernel

	mu    sync.Mutex
	shown map[string]bool // display ids that have an output area
}

// Publish sends a bundle as display_data, or as update_display_data when update
// is set; a display id travels in the transient field so that updates find the
// output area.
func (s *displaySink) Publish(b display.Bundle, displayID string, update bool) {
	s.k.flushOutput()
	content := DisplayData{Data: mimeData(b), Metadata: mimeMetadata(b)}
	if displayID != "" {
		content.Transient = &Transient{DisplayID: displayID}
	}
	// An update of an id never shown would show nothing in Jupyter, so the
	// first Publish of an id always creates its output area.
	msgType := "display_data"
	if displayID != "" {
		s.mu.Lock()
		if update && s.shown[displayID] {
			msgType = "update_display_data"
		}
		s.shown[displayID] = true
		s.mu.Unlock()
	}
	s.k.publish(msgType, s.k.currentParent(), content)
}

// ClearOutput sends clear_output.
func (s *displaySink) ClearOutput(wait bool) {
	s.k.flushOutput()
	s.k.publish("clear_output", s.k.currentParent(), ClearOutput{Wait: wait})
}

// mimeData returns the bundle's data, never nil, with text/plain guaranteed.
func mimeData(b display.Bundle) map[string]any {
	data := make(map[string]any, len(b.Data)+1)
	for k, v := range b.Data {
		data[k] = v
	}
	if _, ok := data[display.MIMEText]; !ok {
		data[display.MIMEText] = ""
	}
	return data
}

// mimeMetadata returns the bundle's metadata, never nil (the spec wants a dict).
func mimeMetadata(b display.Bundle) map[string]any {
	if b.Metadata == nil {
		return map[string]any{}
	}
	return b.Metadata
}
