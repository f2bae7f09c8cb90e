package train

import "fmt"

// GroupTexts cuts a corpus of token-id documents into training blocks of
// blockSize tokens exactly as HF's run_clm.py group_texts does: concatenate
// every document (nothing is inserted between them: add an end-of-text token
// to each document first if the model should see boundaries), drop the
// remainder that does not fill a last block, and cut the rest into
// consecutive blocks. For causal-LM training the labels are the blocks
// themselves (CausalLMTask shifts them inside the loss). run_clm.py applies
// this to chunks of 1000 documents (datasets' map batch size), so it drops a
// remainder per chunk; pass such chunks one at a time to reproduce that.
func GroupTexts(docs [][]int, blockSize int) ([][]int, error) {
	if blockSize <= 0 {
		return nil, fmt.Errorf("train.GroupTexts: block size must be positive, got %d", blockSize)
	}
	var all []int
	for _, d := range docs {
		all = append(all, d...)
	}
	n := len(all) / blockSize * blockSize
	blocks := make([][]int, 0, n/blockSize)
	for i := 0; i < n; i += blockSize {
		blocks = append(blocks, all[i:i+blockSize:i+blockSize])
	}
	return blocks, nil
}
