package tokenizer

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"strings"

	"github.com/turinglab/turinglab/internal/atomicfile"
)

// Vocab is a WordPiece vocabulary: the list of tokens, where a token's id is
// its position in the list (the line number, from 0, in vocab.txt). Tokens
// starting with "##" are word continuations.
type Vocab struct {
	tokens []string
	ids    map[string]int
	// lazyTrie is the token trie WordPiece walks (wordpiece_trie.go).
	lazyTrie vocabTrie
}

// NewVocab builds a vocabulary from tokens in id order. It fails on an empty
// token or a token that appears twice (HF would silently keep the last id,
// which leaves a hole in the id space and is always a mistake).
func NewVocab(tokens []string) (*Vocab, error) {
	v := &Vocab{tokens: make([]string, len(tokens)), ids: make(map[string]int, len(tokens))}
	for i, tok := range tokens {
		if tok == "" {
			return nil, fmt.Errorf("bert: vocab: token %d is empty", i)
		}
		if j, dup := v.ids[tok]; dup {
			return nil, fmt.Errorf("bert: vocab: token %q appears twice (ids %d and %d)", tok, j, i)
		}
		v.tokens[i] = tok
		v.ids[tok] = i
	}
	return v, nil
}

// LoadVocab reads a vocab.txt file: one token per line, id = line number
// counted from 0. Line endings "\n" and "\r\n" are both accepted. Errors name
// the file and the line (empty lines and duplicate tokens are errors).
func LoadVocab(path string) (*Vocab, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("bert: vocab: %w", err)
	}
	return parseVocab(data, path)
}

// parseVocab is LoadVocab on bytes already read; name is used in errors.
func parseVocab(data []byte, name string) (*Vocab, error) {
	v := &Vocab{ids: make(map[string]int)}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), 16*1024*1024)
	line := 0
	for sc.Scan() {
		line++
		tok := strings.TrimSuffix(sc.Text(), "\r")
		if tok == "" {
			return nil, fmt.Errorf("bert: vocab %s, line %d: empty token", name, line)
		}
		if prev, dup := v.ids[tok]; dup {
			return nil, fmt.Errorf("bert: vocab %s, line %d: duplicate token %q (first on line %d)", name, line, tok, prev+1)
		}
		v.ids[tok] = len(v.tokens)
		v.tokens = append(v.tokens, tok)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("bert: vocab %s, line %d: %w", name, line+1, err)
	}
	if len(v.tokens) == 0 {
		return nil, fmt.Errorf("bert: vocab %s: no tokens", name)
	}
	return v, nil
}

// Save writes the vocabulary as vocab.txt (one token per line, in id order)
// atomically: to a temporary file in the same directory, then renamed.
func (v *Vocab) Save(path string) error {
	var buf bytes.Buffer
	for _, tok := range v.tokens {
		buf.WriteString(tok)
		buf.WriteByte('\n')
	}
	if err := atomicfile.WriteFile(path, buf.Bytes()); err != nil {
		return fmt.Errorf("bert: %w", err)
	}
	return nil
}

// Size is the number of tokens (the model's vocab_size).
func (v *Vocab) Size() int { return len(v.tokens) }

// ID returns the id of token and whether the token is in the vocabulary.
func (v *Vocab) ID(token string) (int, bool) {
	id, ok := v.ids[token]
	return id, ok
}

// Has reports whether token is in the vocabulary.
func (v *Vocab) Has(token string) bool {
	_, ok := v.ids[token]
	return ok
}

// Token returns the token with the given id; it panics with a clear message
// when id is out of range.
func (v *Vocab) Token(id int) string {
	if id < 0 || id >= len(v.tokens) {
		panic(fmt.Sprintf("bert: vocab: token id %d out of range [0, %d)", id, len(v.tokens)))
	}
	return v.tokens[id]
}

// Tokens returns a copy of all tokens in id order.
func (v *Vocab) Tokens() []string {
	return append([]string(nil), v.tokens...)
}

// String summarizes the vocabulary (its size and first and last tokens)
// rather than printing thousands of entries when a notebook shows it.
func (v *Vocab) String() string {
	const shown = 5
	if len(v.tokens) <= 2*shown {
		return fmt.Sprintf("tokenizer.Vocab(%d tokens: %s)", len(v.tokens), strings.Join(v.tokens, " "))
	}
	return fmt.Sprintf("tokenizer.Vocab(%d tokens: %s … %s)", len(v.tokens),
		strings.Join(v.tokens[:shown], " "), strings.Join(v.tokens[len(v.tokens)-shown:], " "))
}
