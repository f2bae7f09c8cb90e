// Package bert is BERT in Go, exact to HuggingFace transformers: the WordPiece
// tokenizer and its vocabulary trainer, the model with its heads, and
// checkpoints in the HuggingFace layout.
//
// The tokenizer half reads top to bottom in this order:
//
//   - vocab.go: the vocabulary (vocab.txt), token <-> id.
//   - basic_tokenizer.go: BertTokenizer's "basic" step: clean the text, space
//     out CJK ideographs, NFC, split on whitespace, lowercase (Python str.lower
//     semantics, in basic_tokenizer_lowercase.go), strip accents, split on
//     punctuation. Every character remembers where it came from in the
//     original text (basic_tokenizer_alignment.go), so tokens get offsets.
//     basic_tokenizer_steps.go shows the steps one by one.
//   - wordpiece.go: greedy longest-match-first WordPiece with "##" pieces,
//     the longest match found by walking a trie (wordpiece_trie.go);
//     wordpiece_trace.go shows HF's loop lookup by lookup.
//   - tokenizer.go: the full BertTokenizer: special tokens, Tokenize.
//   - tokenizer_encoding.go, tokenizer_truncation.go, tokenizer_padding.go:
//     [CLS] A [SEP] B [SEP] encodings with token types, truncation, padding,
//     attention masks and offsets, one text or a batch;
//     tokenizer_display.go shows an encoding as a table in a notebook, and
//     tokenizer_stats.go measures a tokenizer on a corpus.
//   - tokenizer_decode.go: ids back to text.
//   - tokenizer_files.go: load and save vocab.txt + tokenizer_config.json.
//   - wordpiece_trainer.go: learn a WordPiece vocabulary from text (the
//     HuggingFace tokenizers algorithm: BPE-style merges with "##" pieces).
//
// The model half starts at config.go (Config, config.json) and model.go.
//
// Every rule follows HuggingFace's Python BertTokenizer; where this package
// deliberately differs (it returns errors where HF only logs), the doc comment
// says so. Offsets count Unicode code points (runes) like HF's offset_mapping
// on Python strings; Encoding.ByteOffsets gives the same spans in bytes.
package bert
