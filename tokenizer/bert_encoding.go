package tokenizer

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"unicode/utf8"
)

// BertEncoding is one model input: a text (or a pair of texts) turned into ids
// with everything a BERT model and its users need, index by index.
type BertEncoding struct {
	// IDs are the token ids (input_ids).
	IDs []int
	// Tokens are the tokens, e.g. [CLS] play ##ing [SEP].
	Tokens []string
	// TypeIDs are the segment ids (token_type_ids): 0 for [CLS] A [SEP] and
	// padding, 1 for B [SEP]. Without special tokens they are all 0, as in
	// HF's BertTokenizer (its fast tokenizer would give B 1s).
	TypeIDs []int
	// AttentionMask is 1 on real tokens and 0 on padding.
	AttentionMask []int
	// SpecialTokensMask is 1 on added [CLS]/[SEP]/[PAD] tokens, 0 on tokens
	// of the text (a literal "[MASK]" written in the text counts as text).
	SpecialTokensMask []int
	// SequenceIDs says which text each token came from: 0 for the first,
	// 1 for the pair, -1 for added special tokens and padding.
	SequenceIDs []int
	// WordIDs is the index of the word (in its own text) each token belongs
	// to, -1 for added special tokens and padding. The pieces of a word share
	// it, which is how token classification labels words.
	WordIDs []int
	// Offsets are character offsets into the token's own text (the first
	// text or the pair), counted in Unicode code points (runes) like HF's
	// offset_mapping on Python strings; [0, 0) for added special tokens and
	// padding. A token from a character that normalization expanded or
	// merged covers the whole original character or sequence.
	Offsets []Span
	// ByteOffsets are the same spans in bytes of the UTF-8 text, so that
	// text[o.Start:o.End] is the token's source in Go.
	ByteOffsets []Span
}

// Len is the number of positions, padding included.
func (e *BertEncoding) Len() int { return len(e.IDs) }

// Truncation is how an over-long input is cut to MaxLength (HF's truncation
// strategies).
type Truncation int

const (
	// TruncateNone keeps every token (HF truncation=False).
	TruncateNone Truncation = iota
	// TruncateLongestFirst removes tokens one at a time from the end of the
	// longer sequence (the pair when both are equally long), HF
	// truncation=True / "longest_first".
	TruncateLongestFirst
	// TruncateOnlyFirst removes tokens only from the first sequence.
	TruncateOnlyFirst
	// TruncateOnlySecond removes tokens only from the pair.
	TruncateOnlySecond
)

// String returns HF's name of the strategy.
func (s Truncation) String() string {
	switch s {
	case TruncateNone:
		return "do_not_truncate"
	case TruncateLongestFirst:
		return "longest_first"
	case TruncateOnlyFirst:
		return "only_first"
	case TruncateOnlySecond:
		return "only_second"
	}
	return fmt.Sprintf("Truncation(%d)", int(s))
}

// EncodeOptions are the knobs of HF's tokenizer __call__. The zero value is
// HF's default: special tokens added, no truncation, no padding.
type EncodeOptions struct {
	// MaxLength is the length to truncate or pad to, special tokens
	// included; 0 means the tokenizer's ModelMaxLength.
	MaxLength int
	// Truncation is the truncation strategy.
	Truncation Truncation
	// Padding is the padding strategy.
	Padding Padding
	// NoSpecialTokens leaves out [CLS] and [SEP] (HF add_special_tokens=False).
	NoSpecialTokens bool
}

// Encode encodes one text: [CLS] tokens [SEP].
func (t *BertTokenizer) Encode(text string, opts EncodeOptions) (*BertEncoding, error) {
	encs, err := t.encodeBatch([]string{text}, nil, opts)
	if err != nil {
		return nil, err
	}
	return encs[0], nil
}

// EncodePair encodes two texts as one input: [CLS] A [SEP] B [SEP], type ids
// 0 on the first part and 1 on the second.
func (t *BertTokenizer) EncodePair(text, pair string, opts EncodeOptions) (*BertEncoding, error) {
	encs, err := t.encodeBatch([]string{text}, []string{pair}, opts)
	if err != nil {
		return nil, err
	}
	return encs[0], nil
}

// EncodeBatch encodes several texts, padded together as opts says.
func (t *BertTokenizer) EncodeBatch(texts []string, opts EncodeOptions) ([]*BertEncoding, error) {
	return t.encodeBatch(texts, nil, opts)
}

// EncodePairBatch encodes texts[i] with pairs[i] for every i, padded
// together as opts says.
func (t *BertTokenizer) EncodePairBatch(texts, pairs []string, opts EncodeOptions) ([]*BertEncoding, error) {
	if len(texts) != len(pairs) {
		return nil, fmt.Errorf("bert: EncodePairBatch: %d texts but %d pairs", len(texts), len(pairs))
	}
	if pairs == nil {
		pairs = []string{}
	}
	return t.encodeBatch(texts, pairs, opts)
}

// encodeBatch is every Encode variant: pairs == nil means single texts.
func (t *BertTokenizer) encodeBatch(texts, pairs []string, opts EncodeOptions) ([]*BertEncoding, error) {
	maxLength, err := t.resolveMaxLength(opts)
	if err != nil {
		return nil, err
	}
	encs := make([]*BertEncoding, len(texts))
	errs := make([]error, len(texts))
	encodeInParallel(len(texts), func(i int) {
		pair := ""
		if pairs != nil {
			pair = pairs[i]
		}
		encs[i], errs[i] = t.encodeOne(texts[i], pair, pairs != nil, opts, maxLength)
	})
	for i, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("bert: encode text %d: %w", i, err)
		}
	}
	t.pad(encs, opts.Padding, maxLength)
	return encs, nil
}

// encodeOne tokenizes, truncates and assembles one input (padding is done
// for the whole batch afterwards).
func (t *BertTokenizer) encodeOne(text, pair string, isPair bool, opts EncodeOptions, maxLength int) (*BertEncoding, error) {
	buf := tokenPieceBufferPool.Get().(*tokenPieceBuffers)
	defer tokenPieceBufferPool.Put(buf)
	first := t.tokenizeAligned(buf.first[:0], text)
	buf.first = first
	var second []tokenPiece
	if isPair {
		second = t.tokenizeAligned(buf.second[:0], pair)
		buf.second = second
	}
	if opts.Truncation != TruncateNone {
		nSpecial := 0
		if !opts.NoSpecialTokens {
			nSpecial = numSpecialTokens(isPair)
		}
		var err error
		first, second, err = truncatePair(first, second, isPair, maxLength-nSpecial, opts.Truncation)
		if err != nil {
			return nil, err
		}
	}
	e := t.assemble(first, second, isPair, !opts.NoSpecialTokens)
	e.ByteOffsets = make([]Span, len(e.Offsets))
	fillByteOffsets(e.ByteOffsets, text, e.Offsets, e.SequenceIDs, 0)
	if isPair {
		fillByteOffsets(e.ByteOffsets, pair, e.Offsets, e.SequenceIDs, 1)
	}
	return e, nil
}

// encodeInParallel calls f(0..n-1), spread over the CPUs when n is large enough
// to be worth it. A panic in f is re-raised in the caller's goroutine (a
// panic left in a worker goroutine would take the whole kernel down).
func encodeInParallel(n int, f func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n/16)
	if workers <= 1 {
		for i := 0; i < n; i++ {
			f(i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	var panicOnce sync.Once
	var panicked any
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if r := recover(); r != nil {
					panicOnce.Do(func() { panicked = r })
				}
			}()
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				f(i)
			}
		}()
	}
	wg.Wait()
	if panicked != nil {
		panic(panicked)
	}
}

// resolveMaxLength returns the length truncation and padding work to:
// opts.MaxLength, else the model's; it is an error to need one and have none.
func (t *BertTokenizer) resolveMaxLength(opts EncodeOptions) (int, error) {
	if opts.MaxLength < 0 {
		return 0, fmt.Errorf("bert: encode: MaxLength %d is negative", opts.MaxLength)
	}
	maxLength := opts.MaxLength
	if maxLength == 0 {
		maxLength = t.ModelMaxLength
	}
	needs := opts.Truncation != TruncateNone || opts.Padding == PadMaxLength
	if needs && maxLength == 0 {
		return 0, fmt.Errorf("bert: encode: truncation %s / padding %s need MaxLength, and the tokenizer has no ModelMaxLength", opts.Truncation, opts.Padding)
	}
	return maxLength, nil
}

// numSpecialTokens is how many tokens BERT adds: [CLS] A [SEP] (2) or
// [CLS] A [SEP] B [SEP] (3).
func numSpecialTokens(isPair bool) int {
	if isPair {
		return 3
	}
	return 2
}

// assemble lays out [CLS] A [SEP] (B [SEP]) with all per-token fields.
func (t *BertTokenizer) assemble(first, second []tokenPiece, isPair, addSpecial bool) *BertEncoding {
	n := len(first) + len(second)
	if addSpecial {
		n += numSpecialTokens(isPair)
	}
	// One allocation for the six int columns; each gets its own capacity,
	// so appending (padding) to one never runs into the next.
	ints := make([]int, 6*n)
	col := func(k int) []int { return ints[k*n : k*n : (k+1)*n] }
	e := &BertEncoding{
		IDs:               col(0),
		Tokens:            make([]string, 0, n),
		TypeIDs:           col(1),
		AttentionMask:     col(2),
		SpecialTokensMask: col(3),
		SequenceIDs:       col(4),
		WordIDs:           col(5),
		Offsets:           make([]Span, 0, n),
	}
	special := func(tok string, id, typeID int) {
		e.IDs = append(e.IDs, id)
		e.Tokens = append(e.Tokens, tok)
		e.TypeIDs = append(e.TypeIDs, typeID)
		e.AttentionMask = append(e.AttentionMask, 1)
		e.SpecialTokensMask = append(e.SpecialTokensMask, 1)
		e.SequenceIDs = append(e.SequenceIDs, -1)
		e.WordIDs = append(e.WordIDs, -1)
		e.Offsets = append(e.Offsets, Span{})
	}
	text := func(pieces []tokenPiece, seq int) {
		typeID := seq
		if !addSpecial {
			typeID = 0
		}
		for _, p := range pieces {
			id := p.id
			if id < 0 {
				id = t.UnkID
			}
			e.IDs = append(e.IDs, id)
			e.Tokens = append(e.Tokens, p.token)
			e.TypeIDs = append(e.TypeIDs, typeID)
			e.AttentionMask = append(e.AttentionMask, 1)
			e.SpecialTokensMask = append(e.SpecialTokensMask, 0)
			e.SequenceIDs = append(e.SequenceIDs, seq)
			e.WordIDs = append(e.WordIDs, p.word)
			e.Offsets = append(e.Offsets, Span{p.start, p.end})
		}
	}
	if addSpecial {
		special(t.ClsToken, t.ClsID, 0)
	}
	text(first, 0)
	if addSpecial {
		special(t.SepToken, t.SepID, 0)
	}
	if isPair {
		text(second, 1)
		if addSpecial {
			special(t.SepToken, t.SepID, 1)
		}
	}
	return e
}

// fillByteOffsets converts the rune offsets of the tokens of sequence seq
// into byte offsets in text, writing them into dst at the same positions.
// Token starts never decrease, so one forward walk over text does it.
func fillByteOffsets(dst []Span, text string, offsets []Span, seqIDs []int, seq int) {
	runeAt, byteAt := 0, 0 // a cursor: rune runeAt starts at byte byteAt
	advance := func(r, b, to int) (int, int) {
		for r < to && b < len(text) {
			if text[b] < utf8.RuneSelf {
				b++
			} else {
				_, size := utf8.DecodeRuneInString(text[b:])
				b += size
			}
			r++
		}
		return r, b
	}
	for i, o := range offsets {
		if seqIDs[i] != seq {
			continue
		}
		if o.Start < runeAt {
			runeAt, byteAt = 0, 0
		}
		runeAt, byteAt = advance(runeAt, byteAt, o.Start)
		_, end := advance(runeAt, byteAt, o.End)
		dst[i] = Span{byteAt, end}
	}
}
