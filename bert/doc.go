// Package bert is BERT in Go, exact to HuggingFace transformers: the model
// with its heads, fill-mask, and checkpoints in the HuggingFace layout.
//
// BERT's tokenizer (WordPiece, HF's BertTokenizer) and its vocabulary
// trainer live in package tokenizer, beside GPT-2's: tokenizer.BertTokenizer
// turns text into the tokenizer.BertEncoding that InputsFromEncodings makes
// model inputs of, and a Checkpoint carries the tokenizer saved with it.
//
// The package starts at config.go (Config, config.json) and model.go.
//
// Every rule follows HuggingFace's Python BertModel; where this package
// deliberately differs (it returns errors where HF only logs), the doc comment
// says so.
package bert
