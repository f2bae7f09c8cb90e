package bert

// DefaultMaxInputCharsPerWord is HF's max_input_chars_per_word: longer words
// become a single unknown token without being looked at.
const DefaultMaxInputCharsPerWord = 100

// ContinuationPrefix marks a WordPiece token that continues a word
// ("play", "##ing").
const ContinuationPrefix = "##"

// WordPiece is the second half of BERT tokenization: it splits one word (as
// produced by BasicTokenizer) into vocabulary pieces, greedily taking the
// longest vocabulary entry that matches at the current position; pieces after
// the first are looked up with the "##" prefix. A word longer than
// MaxInputCharsPerWord characters, or one in which some position matches no
// piece at all, becomes the single token Unknown.
type WordPiece struct {
	// Vocab holds the pieces.
	Vocab *Vocab
	// Unknown is the token for words that cannot be split ("[UNK]").
	Unknown string
	// MaxInputCharsPerWord is the longest word (in characters) that is split.
	MaxInputCharsPerWord int
}

// NewWordPiece returns a WordPiece splitter with HF's defaults ([UNK], 100
// characters).
func NewWordPiece(vocab *Vocab) *WordPiece {
	return &WordPiece{Vocab: vocab, Unknown: "[UNK]", MaxInputCharsPerWord: DefaultMaxInputCharsPerWord}
}

// Tokenize splits one word into pieces, e.g. "playing" -> ["play", "##ing"].
func (wp *WordPiece) Tokenize(word string) []string {
	pieces := wp.split(alignText(word, 0), nil)
	out := make([]string, len(pieces))
	for i, p := range pieces {
		out[i] = p.token
	}
	return out
}

// wordPiece is one piece of a word: the vocabulary token and the span of
// original-text characters it covers.
type wordPiece struct {
	token      string
	start, end int
}

// split appends the pieces of word to out. Each piece's span runs from the
// first to the last character it covers; an unknown word spans the word.
func (wp *WordPiece) split(word alignedText, out []wordPiece) []wordPiece {
	unknown := func() []wordPiece {
		start, end := word.span()
		return append(out, wordPiece{token: wp.Unknown, start: start, end: end})
	}
	if len(word) > wp.MaxInputCharsPerWord {
		return unknown()
	}
	// byteAt[i] is where character i starts in the UTF-8 form of the word.
	s := word.String()
	byteAt := make([]int, 0, len(word)+1)
	for b := range s {
		byteAt = append(byteAt, b)
	}
	byteAt = append(byteAt, len(s))

	first := len(out)
	buf := make([]byte, 0, len(ContinuationPrefix)+len(s))
	for start := 0; start < len(word); {
		end := len(word)
		found := ""
		for ; end > start; end-- {
			buf = buf[:0]
			if start > 0 {
				buf = append(buf, ContinuationPrefix...)
			}
			buf = append(buf, s[byteAt[start]:byteAt[end]]...)
			if id, ok := wp.Vocab.ids[string(buf)]; ok {
				found = wp.Vocab.tokens[id]
				break
			}
		}
		if found == "" {
			out = out[:first]
			return unknown()
		}
		out = append(out, wordPiece{token: found, start: word[start].start, end: word[end-1].end})
		start = end
	}
	return out
}
