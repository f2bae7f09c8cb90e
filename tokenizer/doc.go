// Package tokenizer turns text into token ids and back, the way HuggingFace's
// tokenizers do, so that a model trained or loaded here sees exactly the ids
// that the same model sees in Python.
//
// It holds GPT-2's byte-level BPE (type GPT2, built on the merge model BPE):
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
// The reference for every behaviour is HF transformers' GPT2Tokenizer (the
// Python one); where the fast tokenizer agrees the tests check both, and
// where they differ the doc comment of the symbol says which one is followed.
package tokenizer
