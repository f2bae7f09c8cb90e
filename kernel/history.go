package kernel

import "sync"

// History remembers the inputs (and text outputs) of the cells run with
// store_history, numbered by execution count, to answer history_request the
// way IPython does: the last n cells ("tail"), a line range ("range", start
// included, stop excluded), or the cells matching a glob pattern ("search").
// It lives in memory: a kernel's history is its own session's.
type History struct {
	mu      sync.Mutex
	entries []historyEntry
}

// historySession is the session number the kernel reports; range requests
// accept it or 0, which the spec defines as "the current session".
const historySession = 1

type historyEntry struct {
	line          int
	input, output string
}

// NewHistory returns an empty history.
func NewHistory() *History { return &History{} }

// Add records one executed cell.
func (h *History) Add(line int, input, output string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.entries = append(h.entries, historyEntry{line: line, input: input, output: output})
}

// Tail returns the last n entries, oldest first.
func (h *History) Tail(n int) []historyEntry {
	h.mu.Lock()
	defer h.mu.Unlock()
	if n < 0 || n > len(h.entries) {
		n = len(h.entries)
	}
	return append([]historyEntry(nil), h.entries[len(h.entries)-n:]...)
}

// Range returns the entries with start <= line < stop; stop <= 0 means to the end.
func (h *History) Range(start, stop int) []historyEntry {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []historyEntry
	for _, e := range h.entries {
		if e.line >= start && (stop <= 0 || e.line < stop) {
			out = append(out, e)
		}
	}
	return out
}

// Search returns the entries whose whole input matches the glob pattern (as
// SQLite's GLOB, which IPython uses: * ? [set] [^set], case-sensitive), the
// last n of them when n > 0, and with unique only the latest of equal inputs.
func (h *History) Search(pattern string, n int, unique bool) []historyEntry {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []historyEntry
	seen := map[string]bool{}
	for i := len(h.entries) - 1; i >= 0 && (n <= 0 || len(out) < n); i-- {
		e := h.entries[i]
		if !globMatch(pattern, e.input) || (unique && seen[e.input]) {
			continue
		}
		seen[e.input] = true
		out = append(out, e)
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}

// historyRequest answers history_request.
func (k *Kernel) historyRequest(ch *channel, msg Message) {
	var req HistoryRequest
	if err := msg.DecodeContent(&req); err != nil {
		k.log.Print(err)
	}
	var entries []historyEntry
	switch req.HistAccessType {
	case "tail":
		n := 10
		if req.N != nil {
			n = *req.N
		}
		entries = k.history.Tail(n)
	case "range":
		if req.Session == 0 || req.Session == historySession {
			stop := 0
			if req.Stop != nil {
				stop = *req.Stop
			}
			entries = k.history.Range(req.Start, stop)
		}
	case "search":
		pattern := req.Pattern
		if pattern == "" {
			pattern = "*"
		}
		n := 0
		if req.N != nil {
			n = *req.N
		}
		entries = k.history.Search(pattern, n, req.Unique)
	default:
		k.log.Printf("history_request: hist_access_type %q is not tail, range or search", req.HistAccessType)
	}
	reply := HistoryReply{Status: "ok", History: [][]any{}}
	for _, e := range entries {
		var item any = e.input
		if req.Output {
			var out any // null when the cell showed no value
			if e.output != "" {
				out = e.output
			}
			item = []any{e.input, out}
		}
		reply.History = append(reply.History, []any{historySession, e.line, item})
	}
	k.reply(ch, msg, "history_reply", reply)
}
