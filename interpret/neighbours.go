package interpret

import (
	"math"
	"sort"
	"strings"
	"unicode"

	"github.com/turinglab/turinglab/nn"
	"github.com/turinglab/turinglab/tokenizer"
)

// Neighbours finds substitute words for attacks: the vocabulary's whole
// words (no "##" pieces, no special tokens) nearest to a word by cosine
// similarity of the model's own input embeddings (TextAttack's
// WordSwapEmbedding, with the model's table instead of counter-fitted
// vectors).
type Neighbours struct {
	tok   *tokenizer.BertTokenizer
	unit  [][]float64 // unit-norm embedding per id
	raw   []float32   // the table itself, [vocab, hidden] row-major
	dim   int
	words []int // candidate ids
}

// NewNeighbours indexes the word-embedding table of m's encoder.
func NewNeighbours(m nn.Module, tok *tokenizer.BertTokenizer) (*Neighbours, error) {
	enc, err := EncoderOf(m)
	if err != nil {
		return nil, err
	}
	w := enc.Embeddings.WordEmbeddings.Weight.Contiguous()
	V, H := w.Size(0), w.Size(1)
	data := w.Data()
	n := &Neighbours{tok: tok, unit: make([][]float64, V), raw: append([]float32(nil), data...), dim: H}
	for id := 0; id < V; id++ {
		v := make([]float64, H)
		var s float64
		for j := range v {
			v[j] = float64(data[id*H+j])
			s += v[j] * v[j]
		}
		s = math.Sqrt(s) + 1e-12
		for j := range v {
			v[j] /= s
		}
		n.unit[id] = v
		if id < tok.Vocab.Size() && isWholeWord(tok.Vocab.Token(id)) && !tok.IsSpecialID(id) {
			n.words = append(n.words, id)
		}
	}
	return n, nil
}

// isWholeWord is true for alphabetic vocabulary entries that start a word.
func isWholeWord(t string) bool {
	if t == "" || strings.HasPrefix(t, "##") || strings.HasPrefix(t, "[") {
		return false
	}
	for _, r := range t {
		if !unicode.IsLetter(r) {
			return false
		}
	}
	return true
}

// Cosine is the cosine similarity of two token ids' embeddings.
func (n *Neighbours) Cosine(a, b int) float64 {
	var s float64
	for j, v := range n.unit[a] {
		s += v * n.unit[b][j]
	}
	return s
}

// IDOf returns the id of word when it is one vocabulary token.
func (n *Neighbours) IDOf(word string) (int, bool) {
	toks := n.tok.Tokenize(word)
	if len(toks) != 1 {
		return 0, false
	}
	id, ok := n.tok.Vocab.ID(toks[0])
	return id, ok && toks[0] != n.tok.UnkToken
}

// Of returns up to k words nearest to word with cosine ≥ minCos, nearest
// first (nil when word is not one vocabulary token).
func (n *Neighbours) Of(word string, k int, minCos float64) []string {
	id, ok := n.IDOf(word)
	if !ok {
		return nil
	}
	var out []string
	for _, c := range n.nearestIDs(id, k, minCos) {
		out = append(out, n.tok.Vocab.Token(c))
	}
	return out
}

// nearestIDs are the candidate ids nearest to id.
func (n *Neighbours) nearestIDs(id, k int, minCos float64) []int {
	type cand struct {
		id  int
		cos float64
	}
	var cs []cand
	for _, c := range n.words {
		if c == id {
			continue
		}
		if cos := n.Cosine(id, c); cos >= minCos {
			cs = append(cs, cand{c, cos})
		}
	}
	sort.Slice(cs, func(i, j int) bool { return cs[i].cos > cs[j].cos })
	if k > 0 && len(cs) > k {
		cs = cs[:k]
	}
	out := make([]int, len(cs))
	for i, c := range cs {
		out[i] = c.id
	}
	return out
}
