package tokenizer

import "unicode/utf8"

// DefaultMaxInputCharsPerWord is HF's max_input_chars_per_word: longer words
// become a single unknown token without being looked at.
const DefaultMaxInputCharsPerWord = 100

// ContinuationPrefix marks a WordPiece token that continues a word
// ("play", "##ing").
const ContinuationPrefix = "##"

// WordPiece is the second half of BERT tokenization: it splits one word (as
// produced by BasicTokenizer) into vocabulary pieces, greedily taking the
// longest vocabulary entry that matches at the current position; pieces after
// the first are looked up with the "##" prefix. (The longest match is found
// by walking a trie of the vocabulary, wordpiece_trie.go.) A word longer than
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
	pieces := wp.split(appendAligned(nil, word, 0), nil, nil)
	out := make([]string, len(pieces))
	for i, p := range pieces {
		out[i] = p.token
	}
	return out
}

// wordPiece is one piece of a word: the vocabulary token, its id (-1 if the
// token is not in the vocabulary, which only an Unknown missing from it can
// cause) and the span of original-text characters it covers.
type wordPiece struct {
	token      string
	id         int
	start, end int
}

// unknownPiece is the piece for a word that cannot be split.
func (wp *WordPiece) unknownPiece(word alignedText) wordPiece {
	start, end := word.span()
	id, ok := wp.Vocab.ID(wp.Unknown)
	if !ok {
		id = -1
	}
	return wordPiece{token: wp.Unknown, id: id, start: start, end: end}
}

// wordPieceScratch holds buffers split reuses from word to word.
type wordPieceScratch struct {
	word   []byte // the word in UTF-8
	byteAt []int  // byteAt[i]: where character i starts in word
}

// split appends the pieces of word to out. Each piece's span runs from the
// first to the last character it covers; an unknown word spans the word.
// scratch may be nil.
func (wp *WordPiece) split(word alignedText, out []wordPiece, scratch *wordPieceScratch) []wordPiece {
	if len(word) > wp.MaxInputCharsPerWord {
		return append(out, wp.unknownPiece(word))
	}
	if scratch == nil {
		scratch = &wordPieceScratch{}
	}
	s := word.appendUTF8(scratch.word[:0])
	byteAt := scratch.byteAt[:0]
	for b := 0; b < len(s); {
		byteAt = append(byteAt, b)
		if s[b] < utf8.RuneSelf {
			b++
		} else {
			_, size := utf8.DecodeRune(s[b:])
			b += size
		}
	}
	byteAt = append(byteAt, len(s))
	scratch.word, scratch.byteAt = s, byteAt

	trie := wp.Vocab.trie()
	continuation := trie.walk(0, ContinuationPrefix) // where "##" pieces start
	first := len(out)
	for start := 0; start < len(word); {
		from := int32(0)
		if start > 0 {
			from = continuation
		}
		id, n := int32(-1), 0
		if from >= 0 {
			id, n = trie.longestMatch(from, s[byteAt[start]:])
		}
		if id < 0 {
			return append(out[:first], wp.unknownPiece(word))
		}
		end := start + 1
		for byteAt[end] < byteAt[start]+n {
			end++
		}
		out = append(out, wordPiece{token: wp.Vocab.tokens[id], id: int(id), start: int(word[start].start), end: int(word[end-1].end)})
		start = end
	}
	return out
}
