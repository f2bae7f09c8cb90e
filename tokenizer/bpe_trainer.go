package tokenizer

import (
	"bufio"
	"container/heap"
	"fmt"
	"io"
	"sort"
)

// BPETrainerConfig configures TrainBPE. The fields are those of HF
// tokenizers' BpeTrainer with a ByteLevel pre-tokenizer.
type BPETrainerConfig struct {
	// VocabSize is the size of the vocabulary to reach, special tokens and
	// the 256 byte characters included (HF default 30000, used when 0).
	// Training stops earlier when no pair is left or the best pair occurs
	// fewer than MinFrequency times.
	VocabSize int
	// MinFrequency is the least number of occurrences a pair needs to be
	// merged (HF default 0).
	MinFrequency int
	// SpecialTokens get the first ids, in this order, and become special
	// added tokens of the trained tokenizer. If `<|endoftext|>` is among them
	// it also becomes BOS, EOS and UNK, as in GPT-2.
	SpecialTokens []string
	// AddPrefixSpace puts a space before each sequence that does not start
	// with one when counting words (the ByteLevel pre-tokenizer's option);
	// the trained tokenizer gets the same AddPrefixSpace.
	AddPrefixSpace bool
	// MaxTokenLength, if positive, is the longest token (in byte
	// characters) a merge may build next to a neighbour (HF
	// max_token_length).
	MaxTokenLength int
}

// defaultVocabSize is BpeTrainer's default vocab_size.
const defaultVocabSize = 30000

// TrainBPE learns a byte-level BPE vocabulary from corpus (each string one
// sequence) and returns a GPT-2 tokenizer using it. It follows HF
// tokenizers' BpeTrainer (trainer.rs) step by step:
//
//  1. count the words: every sequence is pre-tokenized as GPT-2 does and
//     each pre-token's bytes are mapped to byte characters (special tokens
//     in the corpus are ordinary text here, as in HF);
//  2. the vocabulary starts with the special tokens, then the 256 byte
//     characters in code point order;
//  3. every adjacent pair of symbols is counted over the words, weighted by
//     word frequency;
//  4. repeatedly the most frequent pair is merged everywhere and becomes a
//     new token (ties: the pair whose left symbol, then right symbol, has
//     the smaller id), until the vocabulary has VocabSize tokens, no pair
//     is left, or the best pair occurs fewer than MinFrequency times.
//
// Counts are updated incrementally from each merge's changes, through the
// same lazy priority queue as BpeTrainer (an entry whose count went stale is
// queued again with the current count). Where that queue has corner cases
// they are kept: a merge that rebuilds an existing token touches only the
// words its queue entry lists, and a pair merged twice keeps its later rank,
// as tokenizers' saved merges do. testdata/make_bpe_trainer_ref.py is an
// independent Python implementation the tests compare against.
func TrainBPE(corpus []string, cfg BPETrainerConfig) (*GPT2, error) {
	counts := map[string]int{}
	for _, seq := range corpus {
		countWords(counts, seq, cfg.AddPrefixSpace)
	}
	return trainFromCounts(counts, cfg)
}

// TrainBPEFromReader is TrainBPE on the lines of r, each line with its line
// end ("\n" or "\r\n") one sequence, as tokenizers' train_from_files reads
// files.
func TrainBPEFromReader(r io.Reader, cfg BPETrainerConfig) (*GPT2, error) {
	counts := map[string]int{}
	br := bufio.NewReader(r)
	for n := 1; ; n++ {
		line, err := br.ReadString('\n')
		if line != "" {
			countWords(counts, line, cfg.AddPrefixSpace)
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("TrainBPEFromReader: line %d: %w", n, err)
		}
	}
	return trainFromCounts(counts, cfg)
}

// countWords adds the byte-level pre-tokens of one sequence to counts.
func countWords(counts map[string]int, seq string, addPrefixSpace bool) {
	if addPrefixSpace && (len(seq) == 0 || seq[0] != ' ') {
		seq = " " + seq
	}
	for _, p := range PreTokenizeGPT2(seq) {
		counts[ByteLevelEncode(p)]++
	}
}

// trainerWord is one distinct word during training: its current symbols.
type trainerWord []int

// trainerChange is a change of one pair's count in one word.
type trainerChange struct {
	pair  symbolPair
	delta int
}

// merge merges every non-overlapping occurrence of (a, b), left to right,
// into id and returns the pair count changes it causes (tokenizers'
// Word::merge, including its max length rule).
func (w *trainerWord) merge(a, b, id int, lengths []int, maxLen int) []trainerChange {
	var changes []trainerChange
	s := *w
	for i := 0; i < len(s); i++ {
		if s[i] != a || i+1 >= len(s) || s[i+1] != b {
			continue
		}
		newLen := lengths[a] + lengths[b]
		if i > 0 {
			changes = append(changes, trainerChange{symbolPair{s[i-1], a}, -1})
			if lengths[s[i-1]]+newLen < maxLen {
				changes = append(changes, trainerChange{symbolPair{s[i-1], id}, 1})
			}
		}
		s[i] = id
		s = append(s[:i+1], s[i+2:]...)
		if i < len(s)-1 {
			changes = append(changes, trainerChange{symbolPair{b, s[i+1]}, -1})
			if lengths[s[i+1]]+newLen < maxLen {
				changes = append(changes, trainerChange{symbolPair{id, s[i+1]}, 1})
			}
		}
	}
	*w = s
	return changes
}

// queuedMerge is an entry of the trainer's priority queue: a pair, its
// count when queued, and the words it was seen in.
type queuedMerge struct {
	pair  symbolPair
	count int
	pos   map[int]bool
}

// mergeQueue is a max-heap: highest count first, then the smallest pair.
type mergeQueue []*queuedMerge

func (q mergeQueue) Len() int { return len(q) }
func (q mergeQueue) Less(i, j int) bool {
	if q[i].count != q[j].count {
		return q[i].count > q[j].count
	}
	if q[i].pair.left != q[j].pair.left {
		return q[i].pair.left < q[j].pair.left
	}
	return q[i].pair.right < q[j].pair.right
}
func (q mergeQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *mergeQueue) Push(x any)   { *q = append(*q, x.(*queuedMerge)) }
func (q *mergeQueue) Pop() any {
	old := *q
	x := old[len(old)-1]
	*q = old[:len(old)-1]
	return x
}

// trainFromCounts runs BpeTrainer's do_train on word counts.
func trainFromCounts(wordCounts map[string]int, cfg BPETrainerConfig) (*GPT2, error) {
	vocabSize := cfg.VocabSize
	if vocabSize == 0 {
		vocabSize = defaultVocabSize
	}
	if vocabSize < 0 || cfg.MinFrequency < 0 || cfg.MaxTokenLength < 0 {
		return nil, fmt.Errorf("TrainBPE: VocabSize %d, MinFrequency %d and MaxTokenLength %d must not be negative", cfg.VocabSize, cfg.MinFrequency, cfg.MaxTokenLength)
	}
	maxLen := int(^uint(0) >> 1)
	if cfg.MaxTokenLength > 0 {
		maxLen = cfg.MaxTokenLength
	}
	wordToID := map[string]int{}
	var idToWord []string
	var lengths []int // characters per token
	addToken := func(s string) int {
		if id, ok := wordToID[s]; ok {
			return id
		}
		wordToID[s] = len(idToWord)
		idToWord = append(idToWord, s)
		lengths = append(lengths, byteLen(s))
		return len(idToWord) - 1
	}
	// 1. special tokens, 2. the alphabet (byte characters, code point order).
	for _, s := range cfg.SpecialTokens {
		if s == "" {
			return nil, fmt.Errorf("TrainBPE: empty special token")
		}
		addToken(s)
	}
	for _, c := range ByteLevelAlphabet() {
		addToken(c)
	}
	// 3. the words as symbol ids, in a fixed order (the result does not
	// depend on it).
	keys := make([]string, 0, len(wordCounts))
	for w := range wordCounts {
		keys = append(keys, w)
	}
	sort.Strings(keys)
	words := make([]trainerWord, len(keys))
	counts := make([]int, len(keys))
	for i, w := range keys {
		counts[i] = wordCounts[w]
		for _, r := range w {
			words[i] = append(words[i], wordToID[string(r)])
		}
	}
	// 4. count pairs.
	pairCounts := map[symbolPair]int{}
	whereToUpdate := map[symbolPair]map[int]bool{}
	for i, w := range words {
		for k := 0; k+1 < len(w); k++ {
			p := symbolPair{w[k], w[k+1]}
			pairCounts[p] += counts[i]
			if whereToUpdate[p] == nil {
				whereToUpdate[p] = map[int]bool{}
			}
			whereToUpdate[p][i] = true
		}
	}
	queue := &mergeQueue{}
	flush := func() {
		for p, pos := range whereToUpdate {
			if c := pairCounts[p]; c > 0 {
				heap.Push(queue, &queuedMerge{pair: p, count: c, pos: pos})
			}
		}
		whereToUpdate = map[symbolPair]map[int]bool{}
	}
	flush()
	// 5. merge.
	type doneMerge struct {
		pair symbolPair
	}
	var merges []doneMerge
	for len(wordToID) < vocabSize && queue.Len() > 0 {
		top := heap.Pop(queue).(*queuedMerge)
		if c := pairCounts[top.pair]; top.count != c {
			top.count = c
			heap.Push(queue, top)
			continue
		}
		if top.count < 1 || cfg.MinFrequency > top.count {
			break
		}
		a, b := top.pair.left, top.pair.right
		newID := addToken(idToWord[a] + idToWord[b])
		merges = append(merges, doneMerge{top.pair})
		positions := make([]int, 0, len(top.pos))
		for i := range top.pos {
			positions = append(positions, i)
		}
		sort.Ints(positions)
		for _, i := range positions {
			for _, ch := range words[i].merge(a, b, newID, lengths, maxLen) {
				pairCounts[ch.pair] += ch.delta * counts[i]
				if ch.delta > 0 {
					if whereToUpdate[ch.pair] == nil {
						whereToUpdate[ch.pair] = map[int]bool{}
					}
					whereToUpdate[ch.pair][i] = true
				}
			}
		}
		flush()
	}
	// A pair merged twice keeps its later rank.
	last := map[symbolPair]int{}
	for r, m := range merges {
		last[m.pair] = r
	}
	var mergeList []Merge
	for r, m := range merges {
		if last[m.pair] == r {
			mergeList = append(mergeList, Merge{idToWord[m.pair.left], idToWord[m.pair.right]})
		}
	}
	model, err := NewBPE(wordToID, mergeList)
	if err != nil {
		return nil, fmt.Errorf("TrainBPE: %w", err)
	}
	t := &GPT2{Model: model, AddPrefixSpace: cfg.AddPrefixSpace, ModelMaxLength: 1024,
		PaddingSide: Right, TruncationSide: Right, added: map[int]*AddedToken{}}
	for _, s := range cfg.SpecialTokens {
		t.added[wordToID[s]] = &AddedToken{Content: s, ID: wordToID[s], Special: true, Normalized: true}
		if s == EndOfText {
			t.BOS, t.EOS, t.UNK = s, s, s
		}
	}
	t.rebuildMatcher()
	return t, nil
}
