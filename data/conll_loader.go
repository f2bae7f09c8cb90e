package data

import (
	"fmt"
	"io"
	"os"
	"strings"
)

// LoadCoNLL reads a token-classification file in the CoNLL layout: one token
// per line with its tag in the last whitespace-separated column (other columns,
// such as POS tags, are ignored), a blank line between sentences, and
// "-DOCSTART-" lines skipped. Lines may be of any length and end in "\r\n"; a
// UTF-8 byte-order mark is dropped. A line with a single column is an error naming the
// file and line.
func LoadCoNLL(path string) ([]TaggedSentence, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("data.LoadCoNLL: %w", err)
	}
	defer f.Close()
	return readCoNLL(f, path)
}

// readCoNLL is LoadCoNLL on an open reader; path names it in errors.
func readCoNLL(r io.Reader, path string) ([]TaggedSentence, error) {
	var sentences []TaggedSentence
	var current TaggedSentence
	flush := func() {
		if len(current.Tokens) > 0 {
			sentences = append(sentences, current)
		}
		current = TaggedSentence{}
	}
	lines := newLineReader(r)
	for {
		text, err := lines.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("data.LoadCoNLL: %s: %w", path, err)
		}
		fields := strings.Fields(text)
		switch {
		case len(fields) == 0:
			flush()
		case fields[0] == "-DOCSTART-":
			flush()
		case len(fields) < 2:
			return nil, fmt.Errorf("data.LoadCoNLL: %s:%d: want \"token tag\", got %q", path, lines.line, text)
		default:
			current.Tokens = append(current.Tokens, fields[0])
			current.Tags = append(current.Tags, fields[len(fields)-1])
		}
	}
	flush()
	return sentences, nil
}

// TagIDs maps tag names to ids by a label list (e.g. NERLabels), with an error
// naming the first unknown tag.
func TagIDs(tags []string, labels []string) ([]int, error) {
	id := map[string]int{}
	for i, l := range labels {
		id[l] = i
	}
	ids := make([]int, len(tags))
	for i, t := range tags {
		v, ok := id[t]
		if !ok {
			return nil, fmt.Errorf("data.TagIDs: tag %q is not one of %q", t, labels)
		}
		ids[i] = v
	}
	return ids, nil
}

// AlignLabels gives each sub-token the label of its word, as HF's token
// classification recipe does: the first piece of a word gets the word's label,
// later pieces and special tokens (word id -1) get IgnoreLabel, so the loss and
// the metrics count each word once. wordIDs[i] is the word index of token i
// (what a tokenizer's encoding reports).
func AlignLabels(wordIDs []int, wordLabels []int) []int {
	labels := make([]int, len(wordIDs))
	previous := -1
	for i, w := range wordIDs {
		switch {
		case w < 0 || w == previous:
			labels[i] = IgnoreLabel
		case w >= len(wordLabels):
			panic(fmt.Sprintf("data.AlignLabels: token %d belongs to word %d, but only %d word labels were given", i, w, len(wordLabels)))
		default:
			labels[i] = wordLabels[w]
		}
		previous = w
	}
	return labels
}
