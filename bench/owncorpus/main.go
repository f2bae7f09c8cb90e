// Command owncorpus measures what pretraining on your own corpus buys within
// a time budget: the learning curve of recipes.OwnCorpusRecipe (notebook 16)
// on the shipped State of the Union corpus. It pretrains one run, stopping at
// each cumulative budget (resuming from the checkpoint written at the
// previous one), and after each fine-tunes the encoder on the party task;
// it also scores the baselines and the same model from scratch. Run from the
// repository root:
//
//	go run ./bench/owncorpus -budgets 1m,2m,5m,10m
//
// It prints one line per point (minutes of pretraining, steps, held-out MLM
// accuracy, test accuracy) and the comparison table, for BENCHMARKS.md.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/turinglab/turinglab/bert"
	"github.com/turinglab/turinglab/recipes"
	"github.com/turinglab/turinglab/train"
)

func main() {
	budgets := flag.String("budgets", "1m,2m,5m,10m", "cumulative pretraining budgets, comma-separated")
	dir := flag.String("data", "corpora/sotu", "the data folder")
	maxTrain := flag.Int("max-train", recipes.DefaultOwnCorpusRecipe.MaxTrain, "labeled training sentences used")
	maxEval := flag.Int("max-eval", recipes.DefaultOwnCorpusRecipe.MaxEval, "dev and test sentences used")
	flag.Parse()
	if err := run(*budgets, *dir, *maxTrain, *maxEval); err != nil {
		fmt.Fprintln(os.Stderr, "owncorpus:", err)
		os.Exit(1)
	}
}

func run(budgetList, dir string, maxTrain, maxEval int) error {
	var budgets []time.Duration
	for _, s := range strings.Split(budgetList, ",") {
		d, err := time.ParseDuration(strings.TrimSpace(s))
		if err != nil {
			return fmt.Errorf("-budgets: %v", err)
		}
		budgets = append(budgets, d)
	}
	work, err := os.MkdirTemp("", "owncorpus-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	r := recipes.DefaultOwnCorpusRecipe
	r.Dir, r.MaxTrain, r.MaxEval = dir, maxTrain, maxEval
	r.OutputDir = filepath.Join(work, "run")
	fmt.Printf("GOMAXPROCS %d, %s\n", runtime.GOMAXPROCS(0), time.Now().Format(time.RFC3339))

	began := time.Now()
	tok, err := r.Vocabulary()
	if err != nil {
		return err
	}
	fmt.Printf("vocabulary: %d tokens in %.1fs\n", tok.Vocab.Size(), time.Since(began).Seconds())
	began = time.Now()
	corpus, err := r.Instances(tok)
	if err != nil {
		return err
	}
	fmt.Printf("%s (%.1fs)\n", corpus.Summary(), time.Since(began).Seconds())
	task, err := r.Task()
	if err != nil {
		return err
	}
	cmp := r.Baselines(task)

	model, rng, err := r.NewPretrainingModel(tok)
	if err != nil {
		return err
	}
	pt := r.PretrainingTask(model, tok, corpus)
	scratchDir := filepath.Join(work, "scratch")
	if err := bert.SavePretrained(scratchDir, model, model.Bert.Config, tok); err != nil {
		return err
	}
	if err := fineTune(r, scratchDir, task, true, "BERT from scratch", cmp); err != nil {
		return err
	}
	fmt.Printf("from scratch: test accuracy %.3f\n", cmp.Accuracy[len(cmp.Accuracy)-1])

	resume := ""
	var done time.Duration
	for _, b := range budgets {
		r.PretrainBudget = b - done
		began := time.Now()
		h, err := r.Pretrain(pt, rng, resume, 0, true)
		if err != nil {
			return err
		}
		done = b
		if resume, err = train.LastCheckpoint(r.OutputDir); err != nil {
			return err
		}
		mlm := h.Evals[len(h.Evals)-1].Metrics
		encDir := filepath.Join(work, "encoder")
		if err := bert.SavePretrained(encDir, model, model.Bert.Config, tok); err != nil {
			return err
		}
		name := fmt.Sprintf("BERT pretrained %v", b)
		if err := fineTune(r, encDir, task, false, name, cmp); err != nil {
			return err
		}
		fmt.Printf("pretrained %v (this call %.0fs): %d steps, held-out MLM loss %.3f accuracy %.3f; test accuracy %.3f\n",
			b, time.Since(began).Seconds(), len(h.Steps), mlm["mlm_loss"], mlm["mlm_accuracy"], cmp.Accuracy[len(cmp.Accuracy)-1])
	}
	fmt.Println(cmp)
	return nil
}

// fineTune fine-tunes the checkpoint in dir (or its architecture from
// scratch) and adds its test predictions to cmp.
func fineTune(r recipes.OwnCorpusRecipe, dir string, task *recipes.OwnTask, fromScratch bool, name string, cmp *recipes.Comparison) error {
	ck, err := bert.OpenCheckpoint(dir)
	if err != nil {
		return err
	}
	st, _, err := r.FineTune(ck, task, fromScratch, true)
	if err != nil {
		return err
	}
	predicted, _, err := st.Predict(task.Test)
	if err != nil {
		return err
	}
	cmp.Add(name, predicted, task)
	return nil
}
