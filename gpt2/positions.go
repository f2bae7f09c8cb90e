package gpt2

import "fmt"

// PositionIDsFromMask returns the position ids HF's generate() gives a
// (left-)padded batch (GPT2LMHeadModel.prepare_inputs_for_generation):
// cumsum(attention_mask) − 1 along each row, then 1 on padding, so every real
// token has the position it would have without the padding. mask is
// [batch, keys] row-major (past and new positions); the ids of the last seq
// positions of each row are returned, [batch, seq], as HF keeps only those
// of the new tokens once a cache holds the rest.
func PositionIDsFromMask(mask []int, batch, keys, seq int) ([]int, error) {
	if batch <= 0 || keys <= 0 || len(mask) != batch*keys || seq <= 0 || seq > keys {
		return nil, fmt.Errorf("gpt2: PositionIDsFromMask: %d mask values for batch %d × keys %d, %d new positions (want 0 < seq ≤ keys)", len(mask), batch, keys, seq)
	}
	out := make([]int, 0, batch*seq)
	for b := 0; b < batch; b++ {
		row := mask[b*keys : (b+1)*keys]
		sum := 0
		for t, m := range row {
			if m != 0 && m != 1 {
				return nil, fmt.Errorf("gpt2: PositionIDsFromMask: mask[%d][%d] = %d, want 0 or 1", b, t, m)
			}
			sum += m
			if t < keys-seq {
				continue
			}
			if m == 0 {
				out = append(out, 1)
			} else {
				out = append(out, sum-1)
			}
		}
	}
	return out, nil
}
