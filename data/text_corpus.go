package data

import (
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"
)

// CorpusReader streams a plain-text corpus from disk one document at a time,
// so a corpus larger than memory can be read: one sentence per line, a blank
// line between documents (the input format of BERT's
// create_pretraining_data.py). Lines may be of any length and end in "\r\n";
// a UTF-8 byte-order mark is dropped; surrounding spaces are trimmed. Text
// that is not UTF-8 is an error naming the file and line.
//
//	corpus, err := data.OpenCorpus("books.txt")
//	defer corpus.Close()
//	for {
//		doc, err := corpus.Next() // the sentences of one document
//		if err == io.EOF { break }
//		...
//	}
type CorpusReader struct {
	path  string
	file  *os.File
	lines *lineReader
	docs  int
}

// OpenCorpus opens a plain-text corpus for streaming.
func OpenCorpus(path string) (*CorpusReader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("data.OpenCorpus: %w", err)
	}
	return &CorpusReader{path: path, file: f, lines: newLineReader(f)}, nil
}

// Next returns the sentences of the next non-empty document, or io.EOF after
// the last one.
func (c *CorpusReader) Next() ([]string, error) {
	var doc []string
	for {
		line, err := c.lines.next()
		if err == io.EOF {
			if len(doc) > 0 {
				c.docs++
				return doc, nil
			}
			return nil, io.EOF
		}
		if err != nil {
			return nil, fmt.Errorf("data.CorpusReader: %s:%d: %w", c.path, c.lines.line+1, err)
		}
		if !utf8.ValidString(line) {
			return nil, fmt.Errorf("data.CorpusReader: %s:%d: not UTF-8 text (invalid byte %d of the line); save the corpus as UTF-8", c.path, c.lines.line, firstInvalidByte(line)+1)
		}
		line = strings.TrimSpace(line)
		if line == "" {
			if len(doc) > 0 {
				c.docs++
				return doc, nil
			}
			continue
		}
		doc = append(doc, line)
	}
}

// firstInvalidByte is the offset of the first byte of s that is not valid
// UTF-8, or -1.
func firstInvalidByte(s string) int {
	for i, r := range s {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				return i
			}
		}
	}
	return -1
}

// Line returns the number of the last line read (for messages).
func (c *CorpusReader) Line() int { return c.lines.line }

// Documents returns how many documents Next has returned.
func (c *CorpusReader) Documents() int { return c.docs }

// Rewind starts the corpus again from its first document.
func (c *CorpusReader) Rewind() error {
	if _, err := c.file.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("data.CorpusReader: %s: %w", c.path, err)
	}
	c.lines, c.docs = newLineReader(c.file), 0
	return nil
}

// Close closes the file.
func (c *CorpusReader) Close() error { return c.file.Close() }

// LoadCorpus reads a whole plain-text corpus into memory: documents of
// sentences, in file order (see CorpusReader for the format).
func LoadCorpus(path string) ([][]string, error) {
	c, err := OpenCorpus(path)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	var docs [][]string
	for {
		doc, err := c.Next()
		if err == io.EOF {
			return docs, nil
		}
		if err != nil {
			return nil, err
		}
		docs = append(docs, doc)
	}
}

// tokenizeDocument tokenizes every sentence, dropping those with no tokens.
func tokenizeDocument(doc []string, tokenize func(string) []string) [][]string {
	var out [][]string
	for _, s := range doc {
		if tokens := tokenize(s); len(tokens) > 0 {
			out = append(out, tokens)
		}
	}
	return out
}
