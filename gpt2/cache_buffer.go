package gpt2

import "github.com/turinglab/turinglab/autograd"

// kvBuffer is preallocated storage for one layer's keys and values, so that a
// generation step appends its new token's keys and values in place instead
// of copying the whole cache into a new tensor (what autograd.Cat does, and
// what torch.cat does in HF's GPT-2): with the cache concatenated, step n
// copies n positions per layer, and the copies grow quadratically with the
// length generated.
//
// The storage is laid out [batch, heads, capacity, head_dim]; the cache of
// the first filled positions is a view of it, [batch, heads, filled,
// head_dim], whose matrices (one per sequence and head) are each contiguous,
// so the attention's matrix products read them without a copy. Positions
// from filled on are free. Only the newest view (the one whose length is
// filled) may append: a cache that was branched (the same past used for two
// forward passes) appends into a fresh buffer, so no view ever sees its
// positions change.
type kvBuffer struct {
	key, value         []float32
	batch, heads, dim  int
	capacity, filled   int
	keyView, valueView *autograd.Tensor // [batch, heads, capacity, head_dim] over key and value
}

// minBufferCapacity is the fewest positions a new buffer holds.
const minBufferCapacity = 64

// newKVBuffer allocates room for at least positions positions (twice as
// many, so that appending a token at a time reallocates only when the
// length doubles) and copies past's keys and values, [batch, heads, P,
// head_dim] each, into its first P positions.
func newKVBuffer(past *LayerCache, positions int) *kvBuffer {
	s := past.Key.Shape()
	capacity := max(2*positions, minBufferCapacity)
	b := &kvBuffer{batch: s[0], heads: s[1], dim: s[3], capacity: capacity}
	b.key = make([]float32, s[0]*s[1]*capacity*s[3])
	b.value = make([]float32, len(b.key))
	b.keyView = autograd.New(b.key, s[0], s[1], capacity, s[3])
	b.valueView = autograd.New(b.value, s[0], s[1], capacity, s[3])
	b.write(past.Key, past.Value)
	return b
}

// fits reports whether T more positions fit after the filled ones.
func (b *kvBuffer) fits(t int) bool { return b.filled+t <= b.capacity }

// write copies k and v, [batch, heads, T, head_dim] each, into positions
// filled..filled+T-1 and advances filled.
func (b *kvBuffer) write(k, v *autograd.Tensor) {
	t := k.Size(2)
	row := t * b.dim // one sequence-head's new values
	for _, pair := range []struct {
		dst []float32
		src *autograd.Tensor
	}{{b.key, k}, {b.value, v}} {
		src := pair.src.Data() // contiguous [batch, heads, T, head_dim]; a copy only for a strided view
		for m := 0; m < b.batch*b.heads; m++ {
			copy(pair.dst[(m*b.capacity+b.filled)*b.dim:], src[m*row:(m+1)*row])
		}
	}
	b.filled += t
}

// cache returns the layer cache of the filled positions, views of the
// buffer that remember it.
func (b *kvBuffer) cache() *LayerCache {
	return &LayerCache{Key: b.keyView.Narrow(2, 0, b.filled), Value: b.valueView.Narrow(2, 0, b.filled), buffer: b}
}
