package tokenizer

import "fmt"

// truncatePair cuts the tokens of the first text (and of the pair, when
// isPair) so that together they have at most budget tokens (MaxLength minus
// the special tokens), the way HF's truncate_sequences does:
//
//   - longest_first on a pair removes one token at a time from the end of the
//     longer sequence, from the pair when both are equally long;
//   - longest_first on a single text, and only_first, remove from the end of
//     the first text;
//   - only_second removes from the end of the pair.
//
// Where HF only logs an error and returns the input untouched (only_first or
// only_second when that sequence is too short to lose enough tokens while
// keeping one; only_second without a pair; MaxLength smaller than the special
// tokens), this returns an error instead.
func truncatePair(first, second []tokenPiece, isPair bool, budget int, strategy Truncation) ([]tokenPiece, []tokenPiece, error) {
	if budget < 0 {
		return nil, nil, fmt.Errorf("MaxLength is smaller than the %d special tokens", numSpecialTokens(isPair))
	}
	remove := len(first) + len(second) - budget
	if remove <= 0 {
		return first, second, nil
	}
	switch {
	case strategy == TruncateOnlyFirst || (strategy == TruncateLongestFirst && !isPair):
		if len(first) <= remove {
			return nil, nil, fmt.Errorf("truncation %s must remove %d tokens but the first sequence has only %d", strategy, remove, len(first))
		}
		return first[:len(first)-remove], second, nil
	case strategy == TruncateLongestFirst:
		a, b := len(first), len(second)
		for ; remove > 0; remove-- {
			if a > b {
				a--
			} else {
				b--
			}
		}
		return first[:a], second[:b], nil
	case strategy == TruncateOnlySecond:
		if !isPair {
			return nil, nil, fmt.Errorf("truncation only_second needs a pair of texts")
		}
		if len(second) <= remove {
			return nil, nil, fmt.Errorf("truncation %s must remove %d tokens but the second sequence has only %d", strategy, remove, len(second))
		}
		return first, second[:len(second)-remove], nil
	}
	return nil, nil, fmt.Errorf("unknown truncation strategy %s", strategy)
}
