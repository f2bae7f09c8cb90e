// Package tokenizer turns text into token ids and back, the way HuggingFace's
// tokenizers do, so that a model trained or loaded here sees exactly the ids
// that the same model sees in Python. It holds the two tokenizers of the
// course's models, each named after its HF class: GPT2 (GPT2Tokenizer) and
// BertTokenizer.
//
// GPT-2's byte-level BPE (type GPT2, built on the merge model BPE):
//
//  1. special and added tokens (`<|endoftext|>`) are split out of the text
//     first (added_tokens.go);
//  2. every other piece is pre-tokenized with GPT-2's regular expression
//     (pretokenize_gpt2.go), a hand-written scanner because Go's regexp has no
//     lookahead;
//  3. each pre-token's UTF-8 bytes are mapped to printable characters
//     (byte_level.go), so that any byte sequence has a spelling in the
//     vocabulary and nothing is ever unknown;
//  4. the merges of merges.txt are applied, lowest rank first (bpe.go).
//
// Decoding maps the characters back to bytes and decodes UTF-8 as Python
// does with errors="replace". LoadGPT2 and (*GPT2).Save read and write HF's
// folder layout (vocab.json, merges.txt, tokenizer_config.json,
// special_tokens_map.json); TrainBPE builds a new vocabulary from a corpus
// with the semantics of HF tokenizers' BpeTrainer (bpe_trainer.go).
//
// BERT's WordPiece (type BertTokenizer) reads top to bottom in this order:
//
//   - wordpiece_vocab.go: the vocabulary (vocab.txt), token <-> id.
//   - basic_tokenizer.go: BertTokenizer's "basic" step: clean the text, space
//     out CJK ideographs, NFC, split on whitespace, lowercase (Python str.lower
//     semantics, in basic_tokenizer_lowercase.go), strip accents, split on
//     punctuation. Every character remembers where it came from in the
//     original text (basic_tokenizer_alignment.go), so tokens get offsets.
//     basic_tokenizer_steps.go shows the steps one by one.
//   - wordpiece.go: greedy longest-match-first WordPiece with "##" pieces,
//     the longest match found by walking a trie (wordpiece_trie.go);
//     wordpiece_trace.go shows HF's loop lookup by lookup.
//   - bert_tokenizer.go: the full BertTokenizer: special tokens, Tokenize.
//   - bert_encoding.go, bert_truncation.go, bert_padding.go: [CLS] A [SEP] B
//     [SEP] encodings (BertEncoding) with token types, truncation, padding,
//     attention masks and offsets, one text or a batch; bert_display.go
//     shows an encoding as a table in a notebook, and bert_stats.go measures
//     a tokenizer on a corpus.
//   - bert_decode.go: ids back to text.
//   - bert_files.go: load and save vocab.txt + tokenizer_config.json;
//     bert_hf_cases.go compares a tokenizer with results HF recorded.
//   - wordpiece_trainer.go: learn a WordPiece vocabulary from text (the
//     HuggingFace tokenizers algorithm: BPE-style merges with "##" pieces).
//
// The reference for every behaviour is HF transformers' Python tokenizer
// class (GPT2Tokenizer, BertTokenizer); where the fast tokenizer agrees the
// tests check both, and where they differ the doc comment of the symbol says
// which one is followed. Where this package deliberately differs (it returns
// errors where HF only logs), the doc comment says so too. BertEncoding's
// Offsets count Unicode code points (runes) like HF's offset_mapping on
// Python strings, and its ByteOffsets give the same spans in bytes; GPT-2's
// Encoding.Offsets are in bytes.
package tokenizer
