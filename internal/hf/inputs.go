package hf

import "fmt"

// FlattenRows joins rows of ids (token ids, a mask, token types) into one
// row-major [batch*seqLen] slice, checking that there are batch rows of
// seqLen each. nil rows give nil. op names the caller and what the slice in
// errors ("bert: NewInputs", "attention mask").
func FlattenRows(op, what string, rows [][]int, batch, seqLen int) ([]int, error) {
	if rows == nil {
		return nil, nil
	}
	if len(rows) != batch {
		return nil, fmt.Errorf("%s: %s has %d rows, input ids have %d", op, what, len(rows), batch)
	}
	out := make([]int, 0, batch*seqLen)
	for i, r := range rows {
		if len(r) != seqLen {
			return nil, fmt.Errorf("%s: %s row %d has length %d, want %d (pad the batch to one length)", op, what, i, len(r), seqLen)
		}
		out = append(out, r...)
	}
	return out, nil
}
