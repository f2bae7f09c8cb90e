package tokenizer

import (
	"slices"
	"sync"
)

// pieceTrie is the vocabulary as a byte trie, so that WordPiece's "longest
// piece starting here" is one left-to-right walk over the word instead of a
// map lookup for every candidate length (HF's loop tries the whole rest of
// the word, then one character less, and so on). The answer is the same: the
// longest vocabulary token that is a prefix of the rest of the word.
//
// Node i's children are the edges first[i]:first[i+1], sorted by byte; a
// token ends at node i when token[i] >= 0 (its id). Nodes with many children
// (the root, "##") also get a 256-entry table, dense[table[i]], so the
// busiest steps are one array read.
type pieceTrie struct {
	first []int32
	label []byte
	child []int32
	token []int32
	table []int32 // index into dense, or -1
	dense [][256]int32
}

// denseFanout is the number of children from which a node gets a table.
const denseFanout = 16

// vocabTrie is a vocabulary's trie, built once, on first use (a Vocab never
// changes after it is made).
type vocabTrie struct {
	once sync.Once
	trie *pieceTrie
}

// trie returns the vocabulary's trie, building it on first use.
func (v *Vocab) trie() *pieceTrie {
	v.lazyTrie.once.Do(func() { v.lazyTrie.trie = buildPieceTrie(v.tokens) })
	return v.lazyTrie.trie
}

// buildPieceTrie builds the trie of tokens (token i gets id i).
func buildPieceTrie(tokens []string) *pieceTrie {
	type node struct {
		kids  map[byte]int32
		token int32
	}
	nodes := []node{{token: -1}}
	for id, tok := range tokens {
		n := int32(0)
		for i := 0; i < len(tok); i++ {
			if nodes[n].kids == nil {
				nodes[n].kids = make(map[byte]int32)
			}
			k, ok := nodes[n].kids[tok[i]]
			if !ok {
				k = int32(len(nodes))
				nodes = append(nodes, node{token: -1})
				nodes[n].kids[tok[i]] = k
			}
			n = k
		}
		nodes[n].token = int32(id)
	}
	t := &pieceTrie{first: make([]int32, len(nodes)+1), token: make([]int32, len(nodes)), table: make([]int32, len(nodes))}
	for i, nd := range nodes {
		t.first[i] = int32(len(t.label))
		t.token[i] = nd.token
		t.table[i] = -1
		if len(nd.kids) >= denseFanout {
			var d [256]int32
			for c := range d {
				d[c] = -1
			}
			for c, k := range nd.kids {
				d[c] = k
			}
			t.table[i] = int32(len(t.dense))
			t.dense = append(t.dense, d)
		}
		labels := make([]byte, 0, len(nd.kids))
		for c := range nd.kids {
			labels = append(labels, c)
		}
		slices.Sort(labels)
		for _, c := range labels {
			t.label = append(t.label, c)
			t.child = append(t.child, nd.kids[c])
		}
	}
	t.first[len(nodes)] = int32(len(t.label))
	return t
}

// step follows the edge labelled c from node n; -1 if there is none.
func (t *pieceTrie) step(n int32, c byte) int32 {
	if d := t.table[n]; d >= 0 {
		return t.dense[d][c]
	}
	lo, hi := t.first[n], t.first[n+1]
	for hi-lo > 8 {
		mid := (lo + hi) / 2
		switch {
		case t.label[mid] < c:
			lo = mid + 1
		case t.label[mid] > c:
			hi = mid
		default:
			return t.child[mid]
		}
	}
	for ; lo < hi; lo++ {
		if t.label[lo] == c {
			return t.child[lo]
		}
		if t.label[lo] > c {
			break
		}
	}
	return -1
}

// walk follows the bytes of s from node n; -1 if the path leaves the trie.
func (t *pieceTrie) walk(n int32, s string) int32 {
	for i := 0; i < len(s) && n >= 0; i++ {
		n = t.step(n, s[i])
	}
	return n
}

// longestMatch returns the id and byte length of the longest token that is a
// prefix of s when read from node n, or -1, 0 if none is.
func (t *pieceTrie) longestMatch(n int32, s []byte) (id int32, length int) {
	id = -1
	for i := 0; i < len(s) && n >= 0; i++ {
		n = t.step(n, s[i])
		if n >= 0 && t.token[n] >= 0 {
			id, length = t.token[n], i+1
		}
	}
	return id, length
}
