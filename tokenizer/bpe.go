package tokenizer

import (
	"fmt"
	"sync"
)

// Merge is one BPE merge rule: the adjacent symbols Left and Right become
// the symbol Left+Right. A merge's rank is its position in the merge list
// (merges.txt line number minus one); lower ranks apply first.
type Merge struct {
	Left, Right string
}

// BPE is a byte-level byte-pair-encoding model: a vocabulary of symbols and
// the ranked merges that build longer symbols from shorter ones. It turns one
// pre-token into vocabulary ids; GPT2 wraps it with the pre-tokenizer and the
// special tokens.
//
// A BPE is safe for concurrent use.
type BPE struct {
	vocab     map[string]int
	idToToken []string // indexed by id
	hasID     []bool   // whether some token has the id
	merges    []Merge

	// ranks maps a pair of adjacent symbol ids to its merge's rank and the
	// id of the merged symbol.
	ranks map[symbolPair]mergeResult
	// byteIDs[b] is the id of the one-byte symbol of byte b, or -1.
	byteIDs [256]int

	mu    sync.Mutex
	cache map[string][]int
}

// symbolPair is two adjacent symbol ids.
type symbolPair struct{ left, right int }

// mergeResult is what a pair merges into, and the merge's rank.
type mergeResult struct{ rank, id int }

// maxCacheEntries bounds the pre-token cache; past it the cache starts over.
const maxCacheEntries = 1 << 16

// NewBPE builds a model from a vocabulary (token -> id) and merges in rank
// order. Every token a merge names, and every merge's result, must be in the
// vocabulary (as HF tokenizers requires), ids must be non-negative and
// distinct, and all 256 byte characters must have ids, so that any text can be
// encoded. If the same pair is listed twice the later rank counts, as in
// GPT2Tokenizer's dict of merges.
func NewBPE(vocab map[string]int, merges []Merge) (*BPE, error) {
	m := &BPE{vocab: make(map[string]int, len(vocab)), ranks: make(map[symbolPair]mergeResult, len(merges)), cache: map[string][]int{}}
	maxID := -1
	for tok, id := range vocab {
		if id < 0 {
			return nil, fmt.Errorf("token %q has negative id %d", tok, id)
		}
		if id > maxID {
			maxID = id
		}
		m.vocab[tok] = id
	}
	m.idToToken = make([]string, maxID+1)
	m.hasID = make([]bool, maxID+1)
	for tok, id := range vocab {
		if m.hasID[id] {
			other := m.idToToken[id]
			if other > tok {
				other, tok = tok, other
			}
			return nil, fmt.Errorf("tokens %q and %q both have id %d", other, tok, id)
		}
		m.hasID[id] = true
		m.idToToken[id] = tok
	}
	for b := 0; b < 256; b++ {
		id, ok := vocab[byteAlphabet[b]]
		if !ok {
			return nil, fmt.Errorf("the vocabulary lacks the byte character %q (byte 0x%02X); a byte-level vocabulary needs all 256", byteAlphabet[b], b)
		}
		m.byteIDs[b] = id
	}
	for rank, mg := range merges {
		if err := m.addMerge(rank, mg); err != nil {
			return nil, err
		}
	}
	m.merges = append([]Merge(nil), merges...)
	return m, nil
}

// addMerge registers one merge at rank, checking its tokens.
func (m *BPE) addMerge(rank int, mg Merge) error {
	left, ok := m.vocab[mg.Left]
	if !ok {
		return fmt.Errorf("merge %d (%q %q): %q is not in the vocabulary", rank, mg.Left, mg.Right, mg.Left)
	}
	right, ok := m.vocab[mg.Right]
	if !ok {
		return fmt.Errorf("merge %d (%q %q): %q is not in the vocabulary", rank, mg.Left, mg.Right, mg.Right)
	}
	id, ok := m.vocab[mg.Left+mg.Right]
	if !ok {
		return fmt.Errorf("merge %d (%q %q): the result %q is not in the vocabulary", rank, mg.Left, mg.Right, mg.Left+mg.Right)
	}
	m.ranks[symbolPair{left, right}] = mergeResult{rank, id}
	return nil
}

// VocabSize returns the number of tokens in the vocabulary (added tokens of
// a GPT2 not included).
func (m *BPE) VocabSize() int { return len(m.vocab) }

// ID returns the id of token, and false if it is not in the vocabulary.
func (m *BPE) ID(token string) (int, bool) {
	id, ok := m.vocab[token]
	return id, ok
}

// Token returns the token with id, and false if no token has it.
func (m *BPE) Token(id int) (string, bool) {
	if id < 0 || id >= len(m.idToToken) || !m.hasID[id] {
		return "", false
	}
	return m.idToToken[id], true
}

// Vocab returns a copy of the vocabulary (token -> id).
func (m *BPE) Vocab() map[string]int {
	out := make(map[string]int, len(m.vocab))
	for k, v := range m.vocab {
		out[k] = v
	}
	return out
}

// Merges returns a copy of the merges in rank order.
func (m *BPE) Merges() []Merge { return append([]Merge(nil), m.merges...) }

// Rank returns the rank of the merge of left and right, and false if they do
// not merge.
func (m *BPE) Rank(left, right string) (int, bool) {
	l, ok1 := m.vocab[left]
	r, ok2 := m.vocab[right]
	if !ok1 || !ok2 {
		return 0, false
	}
	res, ok := m.ranks[symbolPair{l, r}]
	return res.rank, ok
}

// Encode returns the ids of one pre-token (raw text, not yet byte-mapped):
// its bytes become byte symbols, then the adjacent pair with the lowest
// merge rank is merged (all its non-overlapping occurrences, left to right)
// until no adjacent pair has a merge. This is GPT2Tokenizer.bpe().
func (m *BPE) Encode(pretoken string) []int {
	return append([]int(nil), m.encodeShared(pretoken)...)
}

// encodeShared is Encode returning the cached slice itself, which callers
// must not modify.
func (m *BPE) encodeShared(pretoken string) []int {
	m.mu.Lock()
	ids, ok := m.cache[pretoken]
	m.mu.Unlock()
	if ok {
		return ids
	}
	ids = m.merge(pretoken)
	m.mu.Lock()
	if len(m.cache) >= maxCacheEntries {
		m.cache = map[string][]int{}
	}
	m.cache[pretoken] = ids
	m.mu.Unlock()
	return ids
}

// merge runs the merge loop on the byte symbols of pretoken.
func (m *BPE) merge(pretoken string) []int {
	word := make([]int, len(pretoken))
	for i := 0; i < len(pretoken); i++ {
		word[i] = m.byteIDs[pretoken[i]]
	}
	for len(word) > 1 {
		best := mergeResult{rank: -1}
		var bestPair symbolPair
		for i := 0; i+1 < len(word); i++ {
			p := symbolPair{word[i], word[i+1]}
			if res, ok := m.ranks[p]; ok && (best.rank < 0 || res.rank < best.rank) {
				best, bestPair = res, p
			}
		}
		if best.rank < 0 {
			break
		}
		out := word[:0]
		for i := 0; i < len(word); {
			if i+1 < len(word) && word[i] == bestPair.left && word[i+1] == bestPair.right {
				out = append(out, best.id)
				i += 2
			} else {
				out = append(out, word[i])
				i++
			}
		}
		word = out
	}
	return word
}
