package tokenizer

import (
	"bufio"
	"container/heap"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/turinglab/turinglab/display"
)

// BertSpecialTokens are the special tokens a trained vocabulary starts
// with, in this order, so that [PAD] is id 0 as BERT configs expect.
var BertSpecialTokens = []string{"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"}

// WordPieceTrainer learns a WordPiece vocabulary from text, with the
// algorithm of HuggingFace tokenizers' WordPieceTrainer (which is its BPE
// trainer with a "##" continuation prefix):
//
//  1. Split the text into words with the basic tokenizer (the same
//     normalization the tokenizer will apply) and count each word.
//  2. The alphabet is every character of those words; with LimitAlphabet, only
//     the LimitAlphabet most frequent ones (counted over all word
//     occurrences) are kept, ties going to the smaller code point; the
//     characters of InitialAlphabet are always kept.
//  3. The vocabulary starts with SpecialTokens, then the alphabet in code
//     point order, then the "##" forms of characters that occur inside words
//     (in the order first met, words taken in sorted order).
//  4. Every word is written as its first character followed by "##"
//     characters (characters outside the alphabet are dropped).
//  5. Repeatedly take the most frequent adjacent pair of pieces (ties: the
//     pair of smaller ids), add the merged piece ("##ab" + "##c" -> "##abc",
//     "a" + "##b" -> "ab") to the vocabulary and rewrite every word
//     containing the pair; stop at VocabSize tokens, when no pair is left, or
//     when the best pair occurs fewer than MinFrequency times.
//
// The result is deterministic: the same text and settings give the same
// vocabulary, id for id. (HF's Rust trainer visits words in hash-map order
// and queues pair updates incrementally, so its ids can vary between runs;
// this trainer always merges the pair everywhere it occurs.) If the alphabet
// alone is larger than VocabSize the vocabulary is larger than asked, as in
// HF: lower LimitAlphabet then.
type WordPieceTrainer struct {
	// VocabSize is the number of tokens wanted, special tokens included.
	VocabSize int
	// MinFrequency stops training when the best pair is rarer than this.
	MinFrequency int
	// LimitAlphabet keeps at most this many characters (0: no limit).
	LimitAlphabet int
	// InitialAlphabet lists characters always in the alphabet, seen or not.
	InitialAlphabet string
	// SpecialTokens come first in the vocabulary, in this order.
	SpecialTokens []string
	// Basic splits and normalizes text into words; use the settings of the
	// tokenizer the vocabulary is for (uncased by default).
	Basic *BasicTokenizer

	counts map[string]int
}

// NewWordPieceTrainer returns a trainer for an uncased vocabulary of
// vocabSize tokens starting with BertSpecialTokens, with the defaults of
// HF tokenizers' WordPieceTrainer: no MinFrequency and no LimitAlphabet.
// (HF's BertWordPieceTokenizer.train wrapper passes MinFrequency 2 and
// LimitAlphabet 1000; set the fields for that.)
func NewWordPieceTrainer(vocabSize int) *WordPieceTrainer {
	return &WordPieceTrainer{
		VocabSize:     vocabSize,
		SpecialTokens: slices.Clone(BertSpecialTokens),
		Basic:         NewBasicTokenizer(true),
	}
}

// Train learns a vocabulary from texts (each string may hold many lines) and
// returns it. It stops early, returning display.ErrInterrupted, when the
// notebook's stop button is pressed.
func (tr *WordPieceTrainer) Train(texts []string) (*Vocab, error) {
	tr.counts = nil
	for i, text := range texts {
		if i%64 == 0 {
			if err := display.CheckInterrupt(); err != nil {
				return nil, err
			}
		}
		tr.countWords(text)
	}
	return tr.train()
}

// TrainFiles learns a vocabulary from text files, read line by line.
func (tr *WordPieceTrainer) TrainFiles(paths ...string) (*Vocab, error) {
	tr.counts = nil
	for _, path := range paths {
		if err := tr.countFile(path); err != nil {
			return nil, err
		}
	}
	return tr.train()
}

// countFile adds the words of one file to the counts.
func (tr *WordPieceTrainer) countFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("bert: train wordpiece: %w", err)
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 1<<16)
	for n := 0; ; n++ {
		if n%1024 == 0 {
			if err := display.CheckInterrupt(); err != nil {
				return err
			}
		}
		line, err := r.ReadString('\n')
		tr.countWords(line)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("bert: train wordpiece: %s: %w", path, err)
		}
	}
}

// countWords adds the words of text to the counts.
func (tr *WordPieceTrainer) countWords(text string) {
	if tr.counts == nil {
		tr.counts = make(map[string]int)
	}
	basic := tr.Basic
	if basic == nil {
		basic = NewBasicTokenizer(true)
	}
	t := appendAligned(nil, text, 0)
	if basic.DoLowerCase {
		t = lowerEachChar(t) // as BertTokenizer does, so the words are the ones it will see
	}
	for _, w := range basic.tokenizeAligned(t, nil, nil) {
		tr.counts[w.String()]++
	}
}

// wordPieceWord is a distinct word during training: its current pieces (ids)
// and how many times it occurs.
type wordPieceWord struct {
	pieces []int32
	count  int
}

// piecePair is an adjacent pair of piece ids, packed as first<<32 | second
// so that comparing packed values compares pairs lexicographically.
type piecePair uint64

func makePair(a, b int32) piecePair { return piecePair(uint64(a)<<32 | uint64(uint32(b))) }
func (p piecePair) first() int32    { return int32(p >> 32) }
func (p piecePair) second() int32   { return int32(uint32(p)) }

// trainerVocab is the vocabulary being built: tokens in id order and the
// reverse map.
type trainerVocab struct {
	tokens []string
	ids    map[string]int32
}

// add appends token if it is new and returns its id.
func (v *trainerVocab) add(token string) int32 {
	if id, ok := v.ids[token]; ok {
		return id
	}
	id := int32(len(v.tokens))
	v.tokens = append(v.tokens, token)
	v.ids[token] = id
	return id
}

// train runs steps 2-5 of the algorithm on the counted words.
func (tr *WordPieceTrainer) train() (*Vocab, error) {
	if err := tr.validate(); err != nil {
		return nil, err
	}
	vocab := &trainerVocab{ids: make(map[string]int32)}
	for _, s := range tr.SpecialTokens {
		vocab.add(s)
	}
	for _, r := range tr.alphabet() {
		vocab.add(string(r))
	}

	// Words in sorted order, each as first character + "##" characters.
	sorted := make([]string, 0, len(tr.counts))
	for w := range tr.counts {
		sorted = append(sorted, w)
	}
	slices.Sort(sorted)
	words := make([]wordPieceWord, 0, len(sorted))
	for _, w := range sorted {
		tw := wordPieceWord{count: tr.counts[w]}
		first := true
		for _, r := range w {
			c := string(r)
			if _, inAlphabet := vocab.ids[c]; inAlphabet {
				if !first {
					c = ContinuationPrefix + c
				}
				tw.pieces = append(tw.pieces, vocab.add(c))
			}
			first = false
		}
		words = append(words, tw)
	}

	m := newPairMerger(words)
	for len(vocab.tokens) < tr.VocabSize {
		if err := display.CheckInterrupt(); err != nil {
			return nil, err
		}
		pair, count, ok := m.best()
		if !ok || count < tr.MinFrequency {
			break
		}
		a := vocab.tokens[pair.first()]
		b := strings.TrimPrefix(vocab.tokens[pair.second()], ContinuationPrefix)
		m.merge(pair, vocab.add(a+b))
	}
	return NewVocab(vocab.tokens)
}

// validate checks the settings before training.
func (tr *WordPieceTrainer) validate() error {
	if tr.VocabSize <= len(tr.SpecialTokens) {
		return fmt.Errorf("bert: train wordpiece: VocabSize %d leaves no room after %d special tokens", tr.VocabSize, len(tr.SpecialTokens))
	}
	if tr.MinFrequency < 0 || tr.LimitAlphabet < 0 {
		return fmt.Errorf("bert: train wordpiece: MinFrequency (%d) and LimitAlphabet (%d) must not be negative", tr.MinFrequency, tr.LimitAlphabet)
	}
	seen := map[string]bool{}
	for _, s := range tr.SpecialTokens {
		if s == "" || seen[s] {
			return fmt.Errorf("bert: train wordpiece: special token %q is empty or repeated", s)
		}
		seen[s] = true
	}
	if len(tr.counts) == 0 && tr.InitialAlphabet == "" {
		return fmt.Errorf("bert: train wordpiece: the training text has no words")
	}
	return nil
}

// alphabet returns the kept characters in code point order (step 2).
func (tr *WordPieceTrainer) alphabet() []rune {
	freq := map[rune]int{}
	for w, n := range tr.counts {
		for _, r := range w {
			freq[r] += n
		}
	}
	const always = int(^uint(0) >> 1)
	for _, r := range tr.InitialAlphabet {
		freq[r] = always
	}
	chars := make([]rune, 0, len(freq))
	for r := range freq {
		chars = append(chars, r)
	}
	if tr.LimitAlphabet > 0 && len(chars) > tr.LimitAlphabet {
		// Most frequent first; on equal counts the smaller code point.
		slices.SortFunc(chars, func(a, b rune) int {
			if freq[a] != freq[b] {
				if freq[a] > freq[b] {
					return -1
				}
				return 1
			}
			return int(a - b)
		})
		chars = chars[:tr.LimitAlphabet]
	}
	slices.Sort(chars)
	return chars
}

// pairMerger holds the words being merged, the count of every adjacent pair
// (weighted by word frequency), where each pair occurs, and a priority queue
// of pairs by count.
type pairMerger struct {
	words  []wordPieceWord
	counts map[piecePair]int
	where  map[piecePair][]int32 // word indices; may hold stale or repeated entries
	queue  pairQueue
	seen   []int // per word: the merge round that last visited it
	round  int
}

// newPairMerger counts all adjacent pairs and queues them.
func newPairMerger(words []wordPieceWord) *pairMerger {
	m := &pairMerger{
		words:  words,
		counts: make(map[piecePair]int),
		where:  make(map[piecePair][]int32),
		seen:   make([]int, len(words)),
	}
	for i, w := range words {
		for j := 0; j+1 < len(w.pieces); j++ {
			p := makePair(w.pieces[j], w.pieces[j+1])
			m.counts[p] += w.count
			if ws := m.where[p]; len(ws) == 0 || ws[len(ws)-1] != int32(i) {
				m.where[p] = append(ws, int32(i))
			}
		}
	}
	for p, c := range m.counts {
		m.queue = append(m.queue, pairCount{p, c})
	}
	heap.Init(&m.queue)
	return m
}

// best returns the most frequent pair (ties: the smaller pair), dropping
// queue entries whose counts went stale.
func (m *pairMerger) best() (piecePair, int, bool) {
	for m.queue.Len() > 0 {
		top := m.queue[0]
		current := m.counts[top.pair]
		if current == top.count && current > 0 {
			return top.pair, current, true
		}
		heap.Pop(&m.queue)
		if current > 0 && current < top.count {
			heap.Push(&m.queue, pairCount{top.pair, current})
		}
	}
	return 0, 0, false
}

// merge replaces pair by the piece id merged in every word containing it,
// updating the pair counts and queueing pairs that gained occurrences.
func (m *pairMerger) merge(pair piecePair, merged int32) {
	m.round++
	a, b := pair.first(), pair.second()
	gained := map[piecePair]bool{}
	change := func(p piecePair, delta, word int) {
		m.counts[p] += delta * m.words[word].count
		if delta > 0 {
			ws := m.where[p]
			if len(ws) == 0 || ws[len(ws)-1] != int32(word) {
				m.where[p] = append(ws, int32(word))
			}
			gained[p] = true
		}
	}
	for _, wi := range m.where[pair] {
		i := int(wi)
		if m.seen[i] == m.round {
			continue
		}
		m.seen[i] = m.round
		w := &m.words[i]
		src := w.pieces
		out := src[:0] // rewritten in place: out never overtakes the reading position
		for j := 0; j < len(src); {
			if j+1 < len(src) && src[j] == a && src[j+1] == b {
				if len(out) > 0 {
					prev := out[len(out)-1]
					change(makePair(prev, a), -1, i)
					change(makePair(prev, merged), +1, i)
				}
				if j+2 < len(src) {
					next := src[j+2]
					change(makePair(b, next), -1, i)
					change(makePair(merged, next), +1, i)
				}
				change(pair, -1, i)
				out = append(out, merged)
				j += 2
				continue
			}
			out = append(out, src[j])
			j++
		}
		w.pieces = out
	}
	delete(m.where, pair)
	for p := range gained {
		if c := m.counts[p]; c > 0 {
			heap.Push(&m.queue, pairCount{p, c})
		}
	}
}

// pairCount is a queue entry: a pair and its count when queued.
type pairCount struct {
	pair  piecePair
	count int
}

// pairQueue is a max-heap of pairs by count, then by smaller pair.
type pairQueue []pairCount

// Len, Less, Swap, Push and Pop make pairQueue a container/heap.
func (q pairQueue) Len() int { return len(q) }
func (q pairQueue) Less(i, j int) bool {
	if q[i].count != q[j].count {
		return q[i].count > q[j].count
	}
	return q[i].pair < q[j].pair
}
func (q pairQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *pairQueue) Push(x any)   { *q = append(*q, x.(pairCount)) }
func (q *pairQueue) Pop() any {
	old := *q
	x := old[len(old)-1]
	*q = old[:len(old)-1]
	return x
}
