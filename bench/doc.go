// Package bench holds the end-to-end speed measurements of turinglab that
// compare it with PyTorch: a BERT pre-training step (forward, backward,
// AdamW), a BERT forward pass, a GPT-2 training step and GPT-2 generation
// with the key/value cache, run with
//
//	go test -run '^$' -bench . -benchtime 5x ./bench
//
// and, side by side with the PyTorch references (bert_step_torch.py,
// gpt2_step_torch.py, gpt2_generate_torch.py), by compare.sh (which runs
// compare_gpt.sh for the GPT-2 rows). It has no library code; it exists so
// that the benchmarks live next to the scripts that compare them.
// record.sh takes a machine's whole performance record in one command
// (compare.sh at one and two threads, matmul.sh at each level, the
// micro-kernels, a sweep of the GEMM's kc) and sums it up against the goals
// of issue #19.
//
// mlm_plateau_torch.py compares a learning curve rather than speed: it
// pretrains the own-corpus recipe's BERT in PyTorch on the instances that
// ./bench/owncorpus -export-instances writes (BENCHMARKS.md, "Is the
// plateau ours?").
package bench
