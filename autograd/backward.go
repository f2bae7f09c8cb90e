package autograd

import (
	"fmt"
	"sync"
)

// Backward computes the gradient of t, a one-element tensor (typically a loss),
// with respect to every leaf that requires gradients, and adds it to their Grad.
// Like torch, it panics on a tensor with more than one element: use BackwardWith.
func (t *Tensor) Backward() {
	if t.Numel() != 1 {
		panic(fmt.Sprintf("autograd.Backward: output has shape %v (%d elements); Backward() without a gradient needs a scalar — call BackwardWith(grad) with a gradient of that shape", t.shape, t.Numel()))
	}
	t.BackwardWith(Ones(t.shape...))
}

// BackwardWith runs reverse-mode autodiff from t, seeding it with grad (d loss /
// d t, t's shape). Gradients accumulate into the Grad of leaves (and tensors with
// RetainGrad) until zeroed. The graph is freed afterwards: a second Backward
// through the same nodes panics, as in torch without retain_graph.
func (t *Tensor) BackwardWith(grad *Tensor) { t.backward(grad, false) }

// BackwardAndRecycle is Backward for a training step that is done with its
// graph: after the backward pass it also hands the storage of the graph's
// intermediate results (every tensor computed from the parameters on the way
// to t: activations, logits, attention maps) back to the buffer pool, where
// the next step's forward pass takes it again instead of allocating and
// zeroing new memory. It is the caller's promise that nothing reads those
// tensors afterwards, so read what you need first (the loss's Item, an
// accuracy from the logits). After it, a result of the graph whose storage was
// recycled panics on Data (and with it on most ops), while the leaves (the
// parameters and their Grad), Grad of tensors with RetainGrad and results of
// fewer than 1,024 elements, such as the loss, stay readable. A slice taken
// earlier with Data, or a Detach of a result, shares the recycled storage and
// must not be read either. Results of Custom ops are never recycled (their
// forward function may return memory of its own). Gradients are those of
// Backward, bit for bit.
func (t *Tensor) BackwardAndRecycle() {
	if t.Numel() != 1 {
		panic(fmt.Sprintf("autograd.BackwardAndRecycle: output has shape %v (%d elements); it needs a scalar, like Backward", t.shape, t.Numel()))
	}
	t.backward(Ones(t.shape...), true)
}

// backward is BackwardWith, recycling the graph's results afterwards when
// recycleResults is set (BackwardAndRecycle).
func (t *Tensor) backward(grad *Tensor, recycleResults bool) {
	if !t.requiresGrad {
		panic(fmt.Sprintf("autograd.Backward: tensor of shape %v does not require grad and has no grad_fn; set requires-grad on the leaves before computing it (and not inside NoGrad)", t.shape))
	}
	if grad == nil || !SameShape(grad.shape, t.shape) {
		var gs []int
		if grad != nil {
			gs = grad.shape
		}
		panic(fmt.Sprintf("autograd.Backward: gradient of shape %v for an output of shape %v", gs, t.shape))
	}
	scratch := graphScratchPool.Get().(*graphScratch)
	defer scratch.release()
	order := scratch.topoOrder(t)
	backwardPasses.Add(1)
	defer backwardPasses.Add(-1)
	seed := grad.Detach()
	grads := map[*Tensor]*Tensor{t: seed}
	owned := gradStorages{refs: map[*float32]int{}, seed: storageKey(seed)}
	NoGrad(func() {
		for i := len(order) - 1; i >= 0; i-- {
			u := order[i]
			g := grads[u]
			delete(grads, u)
			if g == nil {
				continue
			}
			if u.node == nil || u.retainGrad {
				u.accumulateGrad(g)
			}
			if u.node == nil {
				owned.release(g)
				continue
			}
			n := u.node
			inGrads := n.inputGrads()
			n.backward(g, inGrads)
			for j, in := range n.inputs {
				if in == nil || !in.requiresGrad || inGrads[j] == nil {
					continue
				}
				gj := inGrads[j]
				if !SameShape(gj.shape, in.shape) {
					panic(fmt.Sprintf("autograd: internal error: %sBackward returned a gradient of shape %v for input %d of shape %v", n.op, gj.shape, j, in.shape))
				}
				owned.hold(gj)
				if prev, ok := grads[in]; ok {
					sum := prev.Add(gj)
					owned.hold(sum)
					owned.release(prev)
					owned.release(gj)
					grads[in] = sum
				} else {
					grads[in] = gj
				}
			}
			// g has been used; its buffer goes back to the pool unless one of
			// the gradients just stored shares it.
			owned.release(g)
			n.free()
		}
	})
	if recycleResults {
		scratch.recycleGraphResults(order)
	}
}

// graphScratch is the working memory of one backward pass that a training
// step would otherwise allocate afresh every time: topoOrder's visited set,
// stack and order, and recycleGraphResults's sets of storages. A pass takes
// one from graphScratchPool and puts it back cleared, so that it keeps no
// tensor alive; the maps and slices keep their capacity for the next step.
type graphScratch struct {
	visited    map[*Tensor]bool
	stack      []topoFrame
	order      []*Tensor
	keep, done map[*float32]bool
}

// topoFrame is a tensor on topoOrder's stack with the index of the next
// input to visit.
type topoFrame struct {
	t    *Tensor
	next int
}

// graphScratchPool holds the scratch of finished passes.
var graphScratchPool = sync.Pool{New: func() any {
	return &graphScratch{visited: map[*Tensor]bool{}, keep: map[*float32]bool{}, done: map[*float32]bool{}}
}}

// release clears s (also after a pass that panicked) and returns it to the
// pool.
func (s *graphScratch) release() {
	clear(s.visited)
	clear(s.keep)
	clear(s.done)
	clear(s.stack[:cap(s.stack)])
	clear(s.order[:cap(s.order)])
	s.stack, s.order = s.stack[:0], s.order[:0]
	graphScratchPool.Put(s)
}

// recycleGraphResults returns the storage of the graph's intermediate
// results (order, from topoOrder) to the buffer pool for BackwardAndRecycle,
// and detaches it from those tensors so that a later read fails loudly. A
// result can share its storage with a leaf (a Transpose or Reshape view of a
// parameter), and a Custom op's result with memory its forward function
// chose: those storages stay. Storage below the pool's smallest class is left
// to the garbage collector, and its tensors stay readable.
func (s *graphScratch) recycleGraphResults(order []*Tensor) {
	keep, done := s.keep, s.done
	for _, u := range order {
		if u.node == nil || u.node.foreignStorage {
			keep[storageKey(u)] = true
		}
	}
	for _, u := range order {
		k := storageKey(u)
		if u.node == nil || k == nil || keep[k] || cap(u.data) < poolMinFloats {
			continue
		}
		if !done[k] {
			done[k] = true
			recycle(u.data)
		}
		u.data = nil
	}
	resultsRecycled.Store(true)
}

// gradStorages is Backward's bookkeeping of which gradient buffers it may
// recycle (rule 1 of the buffer-reuse rule in buffer_pool.go): every gradient
// a backward function sets is a tensor created during the pass, or a view
// of one (Reshape, Permute, Expand of the incoming gradient), or the very
// tensor it received (Add, Clone). refs counts, per storage, the gradients
// waiting in the pass that use it; when the count falls to zero nothing can
// read that storage any more, and it is recycled. The seed gradient's storage
// belongs to the caller and is never counted.
type gradStorages struct {
	refs map[*float32]int
	seed *float32
}

// hold records one more pending gradient on g's storage.
func (o *gradStorages) hold(g *Tensor) {
	if k := storageKey(g); k != nil && k != o.seed {
		o.refs[k]++
	}
}

// release records that g has been consumed, and recycles its storage when it
// was the last pending gradient using it. The very first gradient (the seed)
// was never held, so it is never released.
func (o *gradStorages) release(g *Tensor) {
	k := storageKey(g)
	if k == nil || k == o.seed {
		return
	}
	n, ok := o.refs[k]
	if !ok {
		return
	}
	if n > 1 {
		o.refs[k] = n - 1
		return
	}
	delete(o.refs, k)
	recycle(g.data)
}

// topoOrder lists the tensors of t's graph that require gradients so that every
// tensor comes after all the tensors it was computed from (t last). It uses an
// explicit stack, so very deep graphs do not overflow the goroutine stack, and it
// refuses graphs that an earlier Backward already freed.
func (s *graphScratch) topoOrder(t *Tensor) []*Tensor {
	visited, order := s.visited, s.order[:0]
	visited[t] = true
	stack := append(s.stack[:0], topoFrame{t: t})
	for len(stack) > 0 {
		f := &stack[len(stack)-1]
		n := f.t.node
		if n != nil && n.freed {
			panic(fmt.Sprintf("autograd.Backward: graph already freed: %sBackward was used by an earlier Backward call (trying to backward through the graph a second time). Call Backward once per forward pass, or recompute the forward before calling it again", n.op))
		}
		if n == nil || f.next >= len(n.inputs) {
			order = append(order, f.t)
			stack = stack[:len(stack)-1]
			continue
		}
		in := n.inputs[f.next]
		f.next++
		if in != nil && in.requiresGrad && !visited[in] {
			visited[in] = true
			stack = append(stack, topoFrame{t: in})
		}
	}
	s.stack, s.order = stack, order // grown: the next pass reuses them
	return order
}

// accumulateGrad adds g to t.grad, allocating a fresh contiguous buffer the first
// time so that the stored gradient never aliases another tensor.
func (t *Tensor) accumulateGrad(g *Tensor) {
	if t.grad == nil {
		data := make([]float32, g.Numel())
		g.copyInto(data)
		t.grad = fromData(data, t.shape)
		return
	}
	dst := t.grad.Data()
	if g.IsContiguous() {
		src := g.data[g.offset : g.offset+len(dst)]
		for i, v := range src {
			dst[i] += v
		}
		return
	}
	src := g.Data()
	for i, v := range src {
		dst[i] += v
	}
}

// leafGrad returns the gradient buffer of t when t is a leaf that requires
// gradients, creating a zero one if needed, and nil otherwise. Backward functions
// of ops with large parameter gradients (Linear, Embedding) add straight into it
// instead of returning a dense gradient that the engine would then copy: the
// same sum, without allocating and clearing a weight-sized buffer every step.
func leafGrad(t *Tensor) *Tensor {
	if t == nil || t.node != nil || !t.requiresGrad {
		return nil
	}
	if t.grad == nil {
		t.grad = Zeros(t.shape...)
	}
	return t.grad
}
