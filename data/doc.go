// Package data makes and loads the course's data: the project's own generated
// teaching corpora (a "small world" of entities and facts for pretraining, a
// sentiment dataset that needs more than a bag of words, an NER dataset over the
// same world), BERT pretraining instances (masked LM + next-sentence
// prediction) with the semantics of Google's create_pretraining_data.py, and
// HF's dynamic masking. Everything is deterministic for a seed, and nothing is
// downloaded. Its loaders read a user's own files: labeled TSV, CSV, JSONL and
// Parquet tables (LoadClassification), CoNLL token tags and plain-text corpora.
package data
