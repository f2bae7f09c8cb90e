package kernel

import (
	"strings"
	"testing"
)

func newTestStream() *capturedStream {
	return &capturedStream{name: "stdout", waiters: map[string]chan struct{}{}}
}

// A flush marker split across reads is still recognised and never shown.
func TestIngestSplitMarker(t *testing.T) {
	s := newTestStream()
	done := make(chan struct{})
	s.waiters["7"] = done
	marker := string(markerPrefix) + "7\x00"
	data := "before" + marker + "after"
	for i := 0; i < len(data); i += 3 { // feed in 3-byte reads
		s.ingest([]byte(data[i:min(len(data), i+3)]))
	}
	select {
	case <-done:
	default:
		t.Fatal("the marker's waiter was not woken")
	}
	if got := strings.Join(s.take(), ""); got != "beforeafter" {
		t.Fatalf("text = %q", got)
	}
}

// An incomplete UTF-8 sequence at the end waits for its last bytes.
func TestTakeHoldsBackPartialRune(t *testing.T) {
	s := newTestStream()
	e := []byte("é") // 2 bytes
	s.ingest(append([]byte("caf"), e[0]))
	if got := strings.Join(s.take(), ""); got != "caf" {
		t.Fatalf("first take = %q", got)
	}
	s.ingest(e[1:])
	if got := strings.Join(s.take(), ""); got != "é" {
		t.Fatalf("second take = %q", got)
	}
}

// Output beyond the per-cell limit is dropped with one note; a new cell resets it.
func TestCellOutputLimit(t *testing.T) {
	s := newTestStream()
	chunk := []byte(strings.Repeat("x", 1<<20))
	for range 6 {
		s.ingest(chunk)
	}
	got := strings.Join(s.take(), "")
	if len(got) > cellOutputLimit+200 || strings.Count(got, "dropped") != 1 {
		t.Fatalf("%d bytes, %d notes", len(got), strings.Count(got, "dropped"))
	}
	s.cellBytes, s.truncated = 0, false // BeginCell
	s.ingest([]byte("next"))
	if got := strings.Join(s.take(), ""); got != "next" {
		t.Fatalf("after reset: %q", got)
	}
}
