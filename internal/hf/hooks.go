package hf

import (
	"fmt"
	"iter"

	"github.com/turinglab/turinglab/autograd"
)

// Hooks is a list of hook functions of one kind (F: a residual-stream hook,
// a sub-layer hook) that run in the order they were added, each removable
// by the function Add returned. The zero value is an empty list.
type Hooks[F any] struct {
	next    int
	entries []hookEntry[F]
}

// hookEntry is one added hook and the id its remove function refers to.
type hookEntry[F any] struct {
	id int
	fn F
}

// Add appends fn and returns a function that removes it again.
func (h *Hooks[F]) Add(fn F) (remove func()) {
	h.next++
	id := h.next
	h.entries = append(h.entries, hookEntry[F]{id, fn})
	return func() {
		for i, e := range h.entries {
			if e.id == id {
				h.entries = append(h.entries[:i:i], h.entries[i+1:]...)
				return
			}
		}
	}
}

// Len is the number of hooks.
func (h *Hooks[F]) Len() int { return len(h.entries) }

// Clear removes every hook.
func (h *Hooks[F]) Clear() { h.entries = nil }

// All yields every hook, in the order they were added.
func (h *Hooks[F]) All() iter.Seq[F] {
	return func(yield func(F) bool) {
		for _, e := range h.entries {
			if !yield(e.fn) {
				return
			}
		}
	}
}

// Replaced returns r when a hook gave one, after checking that it has x's
// shape, and x when the hook gave nil. A hook's tensor of another shape is a
// bug in the hook, reported with pkg and what it replaced.
func Replaced(pkg, what string, x, r *autograd.Tensor) *autograd.Tensor {
	if r == nil {
		return x
	}
	if !autograd.SameShape(r.Shape(), x.Shape()) {
		panic(fmt.Sprintf("%s: hook replaced the %s of shape %v with shape %v", pkg, what, x.Shape(), r.Shape()))
	}
	return r
}
