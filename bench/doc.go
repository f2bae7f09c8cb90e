// Package bench holds the end-to-end speed measurements of turinglab that
// compare it with PyTorch: a BERT pre-training step (forward, backward,
// AdamW) and a BERT forward pass, run with
//
//	go test -run '^$' -bench . -benchtime 5x ./bench
//
// and, side by side with the PyTorch reference bert_step_torch.py, by
// compare.sh. It has no library code; it exists so that the benchmarks live
// next to the script that compares them.
package bench
