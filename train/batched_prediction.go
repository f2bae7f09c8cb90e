package train

import (
	"sort"

	"github.com/turinglab/turinglab/display"
)

// progressAfter is how many batches a prediction must have before it shows a
// progress bar (a few batches finish before a bar would be seen).
const progressAfter = 8

// predictionBatches orders rows by length and cuts them into batches of size,
// so each batch pads to a length close to its rows' own: on texts of mixed
// length most of the padding — and of the time — goes away. Callers put the
// results back in the original order.
func predictionBatches(lengths []int, size int) [][]int {
	order := make([]int, len(lengths))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return lengths[order[a]] < lengths[order[b]] })
	var batches [][]int
	for start := 0; start < len(order); start += size {
		batches = append(batches, order[start:min(start+size, len(order))])
	}
	return batches
}

// defaultEvalBatchSize is the batch size of a classification task's
// Predict and Evaluate when its EvalBatchSize is not set.
const defaultEvalBatchSize = 64

// predictLoop cuts rows of the given lengths into batches of about their
// length (predictionBatches; size rows each, defaultEvalBatchSize when size
// is not positive) and runs predict on every batch, with a progress bar (for
// more than progressAfter batches, unless quiet) and the stop button checked
// between batches.
func predictLoop(lengths []int, size int, quiet bool, predict func(batch []int) error) error {
	if size <= 0 {
		size = defaultEvalBatchSize
	}
	batches := predictionBatches(lengths, size)
	var bar *display.ProgressBar
	if !quiet && len(batches) > progressAfter {
		bar = display.Progress(len(lengths), "predicting")
		defer bar.Done()
	}
	for _, batch := range batches {
		if err := display.CheckInterrupt(); err != nil {
			return err
		}
		if err := predict(batch); err != nil {
			return err
		}
		if bar != nil {
			bar.Add(len(batch))
		}
	}
	return nil
}
