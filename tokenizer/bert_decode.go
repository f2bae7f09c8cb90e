package tokenizer

import "strings"

// Decode turns ids back into text the way HF's BertTokenizer.decode does:
// tokens joined by spaces, "##" continuations glued to the previous piece,
// and, when CleanUpTokenizationSpaces is set, the spaces before punctuation
// and English contractions removed. With skipSpecialTokens the special
// tokens ([CLS], [SEP], [PAD], [UNK], [MASK]) are left out. Lowercasing and
// accent stripping cannot be undone: decode(encode("Café")) is "cafe".
func (t *BertTokenizer) Decode(ids []int, skipSpecialTokens bool) string {
	tokens := make([]string, 0, len(ids))
	for _, tok := range t.ConvertIDsToTokens(ids) {
		if skipSpecialTokens && t.isSpecialToken(tok) {
			continue
		}
		tokens = append(tokens, tok)
	}
	text := ConvertTokensToString(tokens)
	if t.CleanUpTokenizationSpaces {
		text = CleanUpTokenization(text)
	}
	return text
}

// isSpecialToken reports whether tok is one of the special tokens.
func (t *BertTokenizer) isSpecialToken(tok string) bool {
	for _, s := range t.SpecialTokens() {
		if tok == s {
			return true
		}
	}
	return false
}

// ConvertTokensToString joins WordPiece tokens into text: spaces between
// tokens, none before a "##" continuation (HF's convert_tokens_to_string).
func ConvertTokensToString(tokens []string) string {
	return strings.TrimSpace(strings.ReplaceAll(strings.Join(tokens, " "), " "+ContinuationPrefix, ""))
}

// CleanUpTokenization removes the spaces that tokenization leaves before
// punctuation and English contractions, exactly HF's clean_up_tokenization:
// " ." " ?" " !" " ," -> no space, " ' " -> "'", and " n't" " 'm" " 's"
// " 've" " 're" glued to the previous word. The replacements are applied one
// after another over the whole text, as HF does.
func CleanUpTokenization(text string) string {
	for _, r := range [][2]string{
		{" .", "."}, {" ?", "?"}, {" !", "!"}, {" ,", ","}, {" ' ", "'"},
		{" n't", "n't"}, {" 'm", "'m"}, {" 's", "'s"}, {" 've", "'ve"}, {" 're", "'re"},
	} {
		text = strings.ReplaceAll(text, r[0], r[1])
	}
	return text
}
