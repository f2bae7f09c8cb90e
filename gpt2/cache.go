package gpt2

import (
	"fmt"

	"github.com/turinglab/turinglab/autograd"
)

// LayerCache is one layer's keys and values so far, after the head split:
// Key and Value are [batch, heads, positions, head_dim] (HF's
// past_key_values[i] = (key, value)).
type LayerCache struct {
	Key, Value *autograd.Tensor

	buffer *kvBuffer // the storage Key and Value view, when they are its newest positions (nil: none)
}

// Len is the number of cached positions.
func (c *LayerCache) Len() int { return c.Key.Size(2) }

// extend appends the new keys and values k, v [batch, heads, T, head_dim]
// after the cached ones along the position axis and returns the layer's cache
// including them. Without a graph (generation runs under autograd.NoGrad) it
// appends in place into a preallocated kvBuffer; when gradients flow through
// the cache it concatenates, as HF does.
func (c *LayerCache) extend(k, v *autograd.Tensor) *LayerCache {
	ks, cs := k.Shape(), c.Key.Shape()
	if len(cs) != 4 || cs[0] != ks[0] || cs[1] != ks[1] || cs[3] != ks[3] || !autograd.SameShape(cs, c.Value.Shape()) {
		panic(fmt.Sprintf("gpt2: cached key %v / value %v do not fit new keys %v (want [%d, %d, positions, %d] both)", cs, c.Value.Shape(), ks, ks[0], ks[1], ks[3]))
	}
	if k.RequiresGrad() || v.RequiresGrad() || c.Key.RequiresGrad() || c.Value.RequiresGrad() {
		return &LayerCache{Key: autograd.Cat([]*autograd.Tensor{c.Key, k}, 2), Value: autograd.Cat([]*autograd.Tensor{c.Value, v}, 2)}
	}
	b, t := c.buffer, ks[2]
	if b == nil || b.filled != c.Len() || !b.fits(t) {
		b = newKVBuffer(c, c.Len()+t)
	}
	b.write(k, v)
	return b.cache()
}

// Cache is every layer's keys and values (HF's past_key_values): what a
// forward pass with Inputs.UseCache returns in Output.Cache, and what the next
// pass takes in Inputs.Past to process only new tokens. Layers[i] belongs to
// block i.
type Cache struct {
	Layers []*LayerCache
}

// Len is the number of cached positions (HF's past_key_values_length); 0 for
// a nil or empty cache.
func (c *Cache) Len() int {
	if c == nil || len(c.Layers) == 0 || c.Layers[0] == nil {
		return 0
	}
	return c.Layers[0].Len()
}

// Batch is the cache's batch size (0 for an empty cache).
func (c *Cache) Batch() int {
	if c == nil || len(c.Layers) == 0 || c.Layers[0] == nil {
		return 0
	}
	return c.Layers[0].Key.Size(0)
}

// Detach returns the cache with every tensor cut from the autograd graph, so
// a long generation does not keep the graph of every earlier step alive.
func (c *Cache) Detach() *Cache {
	if c == nil {
		return nil
	}
	out := &Cache{Layers: make([]*LayerCache, len(c.Layers))}
	for i, l := range c.Layers {
		out.Layers[i] = &LayerCache{Key: l.Key.Detach(), Value: l.Value.Detach(), buffer: l.buffer}
	}
	return out
}

// SelectRows returns the cache of the given batch rows, in that order (beam
// search reorders hypotheses, a finished row is dropped).
func (c *Cache) SelectRows(rows []int) *Cache {
	out := &Cache{Layers: make([]*LayerCache, len(c.Layers))}
	for i, l := range c.Layers {
		out.Layers[i] = &LayerCache{Key: l.Key.IndexSelect(0, rows), Value: l.Value.IndexSelect(0, rows)}
	}
	return out
}
