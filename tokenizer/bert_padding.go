package tokenizer

// pad right-pads encodings with [PAD]: to the longest of them (PadLongest)
// or to maxLength (PadMaxLength). Padding positions get type id 0, attention
// mask 0, special-tokens mask 1, sequence and word id -1 and an empty offset,
// as in HF. An encoding already longer than the target is left as it is (HF
// does the same; truncate to avoid it).
func (t *BertTokenizer) pad(encs []*BertEncoding, strategy Padding, maxLength int) {
	target := 0
	switch strategy {
	case NoPadding:
		return
	case PadLongest:
		for _, e := range encs {
			target = max(target, e.Len())
		}
	case PadMaxLength:
		target = maxLength
	}
	for _, e := range encs {
		for e.Len() < target {
			e.IDs = append(e.IDs, t.PadID)
			e.Tokens = append(e.Tokens, t.PadToken)
			e.TypeIDs = append(e.TypeIDs, 0)
			e.AttentionMask = append(e.AttentionMask, 0)
			e.SpecialTokensMask = append(e.SpecialTokensMask, 1)
			e.SequenceIDs = append(e.SequenceIDs, -1)
			e.WordIDs = append(e.WordIDs, -1)
			e.Offsets = append(e.Offsets, Span{})
			e.ByteOffsets = append(e.ByteOffsets, Span{})
		}
	}
}
