package tokenizer

import (
	"fmt"

	"github.com/turinglab/turinglab/display"
)

// Table lays the encoding out one position per row: the token, its id, token
// type, attention mask, word index and character offsets, which is how a
// notebook shows what the model will see.
func (e *BertEncoding) Table() display.TableValue {
	rows := make([][]any, e.Len())
	for i := range rows {
		word, span := any(""), ""
		if e.WordIDs[i] >= 0 {
			word = e.WordIDs[i]
		}
		if e.SequenceIDs[i] >= 0 {
			span = fmt.Sprintf("%d:%d", e.Offsets[i].Start, e.Offsets[i].End)
		}
		rows[i] = []any{i, e.Tokens[i], e.IDs[i], e.TypeIDs[i], e.AttentionMask[i], word, span}
	}
	return display.Table([]string{"position", "token", "id", "type", "mask", "word", "offsets"}, rows)
}

// MIMEBundle shows the encoding as its Table in a notebook.
func (e *BertEncoding) MIMEBundle() display.Bundle {
	return e.Table().MIMEBundle()
}

// String is the encoding's tokens, e.g. "[CLS] play ##ing [SEP]".
func (e *BertEncoding) String() string {
	return fmt.Sprint(e.Tokens)
}
