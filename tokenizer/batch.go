package tokenizer

import "fmt"

// Side is the end of a sequence that padding or truncation works on.
type Side int

const (
	// DefaultSide means the tokenizer's own PaddingSide or TruncationSide.
	DefaultSide Side = iota
	// Right pads or truncates at the end (HF "right").
	Right
	// Left pads or truncates at the beginning (HF "left"; left padding is
	// what a decoder-only model needs to generate from a batch).
	Left
)

// String returns HF's name of the side.
func (s Side) String() string {
	switch s {
	case Right:
		return "right"
	case Left:
		return "left"
	}
	return "default"
}

// Padding is how a batch is padded (HF's padding strategies): by
// (*GPT2).EncodeBatch on its PaddingSide, by BertTokenizer's encoders with
// [PAD] on the right.
type Padding int

const (
	// NoPadding leaves the sequences at their own lengths (HF padding=False).
	NoPadding Padding = iota
	// PadLongest pads to the longest sequence of the batch (HF
	// padding=True / "longest").
	PadLongest
	// PadMaxLength pads to BatchOptions.MaxLength, or ModelMaxLength if it
	// is 0 (HF padding="max_length").
	PadMaxLength
)

// String returns HF's name of the strategy.
func (p Padding) String() string {
	switch p {
	case NoPadding:
		return "do_not_pad"
	case PadLongest:
		return "longest"
	case PadMaxLength:
		return "max_length"
	}
	return fmt.Sprintf("Padding(%d)", int(p))
}

// BatchOptions says how EncodeBatch pads and truncates.
type BatchOptions struct {
	// Padding selects the padding strategy.
	Padding Padding
	// Truncation cuts sequences longer than MaxLength (or ModelMaxLength if
	// MaxLength is 0).
	Truncation bool
	// MaxLength is the length for truncation and PadMaxLength; 0 means the
	// tokenizer's ModelMaxLength.
	MaxLength int
	// PaddingSide and TruncationSide override the tokenizer's sides.
	PaddingSide, TruncationSide Side
}

// Batch is a tokenized batch; row i belongs to text i.
type Batch struct {
	// InputIDs are the token ids (padded with the PAD token's id).
	InputIDs [][]int
	// AttentionMask is 1 on real tokens and 0 on padding.
	AttentionMask [][]int
	// Tokens are the token strings (the PAD token on padding).
	Tokens [][]string
	// Offsets are the byte spans of each token in its text ({0, 0} on padding).
	Offsets [][]Span
}

// EncodeBatch tokenizes texts, then truncates and pads each sequence as
// opts says (HF tokenizer(texts, padding=..., truncation=..., max_length=...)).
// Padding needs a padding token: GPT-2 has none, so set PAD (usually to EOS)
// first; without one padding is an error, as in HF.
func (t *GPT2) EncodeBatch(texts []string, opts BatchOptions) (*Batch, error) {
	maxLen := opts.MaxLength
	if maxLen < 0 {
		return nil, fmt.Errorf("EncodeBatch: MaxLength is %d; it must be 0 (the model's length) or positive", maxLen)
	}
	if maxLen == 0 && (opts.Truncation || opts.Padding == PadMaxLength) {
		maxLen = t.ModelMaxLength
		if maxLen <= 0 {
			return nil, fmt.Errorf("EncodeBatch: no MaxLength given and the tokenizer's ModelMaxLength is %d", maxLen)
		}
	}
	padSide := pick(opts.PaddingSide, t.PaddingSide)
	truncSide := pick(opts.TruncationSide, t.TruncationSide)

	encs := make([]*Encoding, len(texts))
	longest := 0
	for i, text := range texts {
		e := t.Encode(text)
		if opts.Truncation && e.Len() > maxLen {
			e.truncate(maxLen, truncSide)
		}
		encs[i] = e
		if e.Len() > longest {
			longest = e.Len()
		}
	}
	target := 0
	switch opts.Padding {
	case PadLongest:
		target = longest
	case PadMaxLength:
		target = maxLen
	}
	padID := -1
	if target > 0 {
		for _, e := range encs {
			if e.Len() < target && padID < 0 {
				id, err := t.padID()
				if err != nil {
					return nil, err
				}
				padID = id
			}
		}
	}
	b := &Batch{}
	for _, e := range encs {
		if e.Len() < target {
			e.pad(target, padSide, padID, t.PAD)
		}
		b.InputIDs = append(b.InputIDs, e.IDs)
		b.AttentionMask = append(b.AttentionMask, e.AttentionMask)
		b.Tokens = append(b.Tokens, e.Tokens)
		b.Offsets = append(b.Offsets, e.Offsets)
	}
	return b, nil
}

// pick returns s, or def when s is DefaultSide (and Right when both are).
func pick(s, def Side) Side {
	if s != DefaultSide {
		return s
	}
	if def != DefaultSide {
		return def
	}
	return Right
}

// padID returns the id of the padding token, or HF's error when there is none.
func (t *GPT2) padID() (int, error) {
	if t.PAD == "" {
		return 0, fmt.Errorf("asking to pad but the tokenizer has no padding token: set PAD (for GPT-2 usually PAD = EOS, %q) first", t.EOS)
	}
	id, ok := t.TokenToID(t.PAD)
	if !ok {
		return 0, fmt.Errorf("the padding token %q is neither an added token nor in the vocabulary", t.PAD)
	}
	return id, nil
}

// truncate keeps n tokens, dropping the rest from side.
func (e *Encoding) truncate(n int, side Side) {
	lo, hi := 0, n
	if side == Left {
		lo, hi = e.Len()-n, e.Len()
	}
	e.IDs = e.IDs[lo:hi]
	e.Tokens = e.Tokens[lo:hi]
	e.Offsets = e.Offsets[lo:hi]
	e.AttentionMask = e.AttentionMask[lo:hi]
}

// pad grows the encoding to n tokens with padding on side.
func (e *Encoding) pad(n int, side Side, id int, tok string) {
	k := n - e.Len()
	ids, toks, offs, mask := make([]int, k), make([]string, k), make([]Span, k), make([]int, k)
	for i := range ids {
		ids[i], toks[i] = id, tok
	}
	if side == Left {
		e.IDs = append(ids, e.IDs...)
		e.Tokens = append(toks, e.Tokens...)
		e.Offsets = append(offs, e.Offsets...)
		e.AttentionMask = append(mask, e.AttentionMask...)
		return
	}
	e.IDs = append(e.IDs, ids...)
	e.Tokens = append(e.Tokens, toks...)
	e.Offsets = append(e.Offsets, offs...)
	e.AttentionMask = append(e.AttentionMask, mask...)
}
