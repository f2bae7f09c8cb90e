// Command owncorpus measures what pretraining on your own corpus buys: the
// learning curve of recipes.OwnCorpusRecipe (notebook 16) on the shipped
// State of the Union corpus. It pretrains one run and, at each point of the
// curve, fine-tunes the encoder on the party task with several seeds; it
// also scores the baselines and the same model from scratch with the same
// seeds. Run from the repository root:
//
//	go run ./bench/owncorpus -budgets 1m,2m,5m,10m
//	go run ./bench/owncorpus -recipe 30min -steps 2000,5000,10000 -ft-seeds 1,2,3 -max-eval 0
//
// A point is either a cumulative wall-time budget (-budgets: the run stops
// at each and resumes from its checkpoint) or a cumulative number of
// optimizer steps (-steps: one run, the encoder taken at each step count).
// Steps are what to compare on a shared machine: a run is deterministic
// given its steps and seeds, so a loaded machine gets the accuracies a quiet
// one gets, only later. -time-shapes measures the step time of model shapes
// against each other, interleaved in the same minutes, to convert minutes of
// a quiet machine into steps of each shape.
//
// Flags override the chosen recipe (-recipe default or 30min): the shape,
// vocabulary, instance length, data files and fine-tuning. It prints one
// line per point (steps, held-out MLM accuracy, test accuracy mean ± sd over
// the fine-tuning seeds) and the baselines, for BENCHMARKS.md.
package main

import (
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/bert"
	"github.com/turinglab/turinglab/data"
	"github.com/turinglab/turinglab/nn"
	"github.com/turinglab/turinglab/recipes"
	"github.com/turinglab/turinglab/train"
)

// options are the command's flags.
type options struct {
	recipe                string
	budgets, steps        string
	dir                   string
	trainFile, devFile    string
	testFile              string
	maxTrain, maxEval     int
	shape                 string
	vocab, seq, dupe      int
	lr                    float64
	staticMasks           bool
	objective             string
	pretrainOnly          bool
	maxLength, ftEpochs   int
	ftLR                  float64
	ftSeeds               string
	scratch, ftScratch    bool
	keep                  string
	finetune              string
	timeShapes            string
	timeSteps, timeRounds int
	exportDir             string
	exportEpochs          int
}

func main() {
	var o options
	flag.StringVar(&o.recipe, "recipe", "default", "the recipe the other flags change: default (recipes.DefaultOwnCorpusRecipe) or 30min (recipes.OwnCorpus30MinRecipe)")
	flag.StringVar(&o.budgets, "budgets", "", "cumulative wall-time budgets of pretraining, comma-separated (e.g. 1m,2m,5m)")
	flag.StringVar(&o.steps, "steps", "", "cumulative pretraining steps, comma-separated (e.g. 1000,5000,20000); replaces -budgets")
	flag.StringVar(&o.dir, "data", "corpora/sotu", "the data folder")
	flag.StringVar(&o.trainFile, "train", "", "training file in the data folder (default: the recipe's)")
	flag.StringVar(&o.devFile, "dev", "", "dev file (default: the recipe's)")
	flag.StringVar(&o.testFile, "test", "", "test file (default: the recipe's)")
	flag.IntVar(&o.maxTrain, "max-train", -1, "labeled training examples used (0: all; default: the recipe's)")
	flag.IntVar(&o.maxEval, "max-eval", -1, "dev and test examples used (0: all; default: the recipe's)")
	flag.StringVar(&o.shape, "shape", "", "model shape L<layers>/H<hidden>/A<heads>/I<intermediate>, e.g. L4/H256/A4/I1024 (default: the recipe's)")
	flag.IntVar(&o.vocab, "vocab", 0, "WordPiece vocabulary size (default: the recipe's)")
	flag.IntVar(&o.seq, "seq", 0, "pretraining instance length in tokens (default: the recipe's)")
	flag.IntVar(&o.dupe, "dupe", 0, "masked copies of the corpus (DupeFactor; default: the recipe's)")
	flag.Float64Var(&o.lr, "lr", 0, "pretraining learning rate (default: the recipe's)")
	flag.BoolVar(&o.staticMasks, "static-masks", false, "the same masks every epoch (no dynamic masking)")
	flag.StringVar(&o.objective, "objective", "", "pretraining objective: mlm (one segment, masked LM alone, as RoBERTa) or mlm+nsp (sentence pairs, as BERT) (default: the recipe's)")
	flag.BoolVar(&o.pretrainOnly, "pretrain-only", false, "only pretrain and keep the encoders (-keep), for a -finetune run beside it")
	flag.IntVar(&o.maxLength, "max-length", 0, "fine-tuning input length in tokens (default: the recipe's)")
	flag.IntVar(&o.ftEpochs, "ft-epochs", 0, "fine-tuning epochs, the best dev epoch kept (default: the recipe's)")
	flag.Float64Var(&o.ftLR, "ft-lr", 0, "fine-tuning learning rate (default: the recipe's)")
	flag.StringVar(&o.ftSeeds, "ft-seeds", "1", "fine-tuning seeds (head and shuffling), comma-separated; each point reports mean ± sd")
	flag.BoolVar(&o.scratch, "scratch", true, "also fine-tune the same model from scratch")
	flag.BoolVar(&o.ftScratch, "ft-scratch", false, "with -finetune: fine-tune each encoder's architecture from scratch (random weights) instead")
	flag.StringVar(&o.keep, "keep", "", "folder to keep each point's encoder in (encoder-<steps>), for -finetune later")
	flag.StringVar(&o.finetune, "finetune", "", "only fine-tune these saved encoders (comma-separated folders), no pretraining")
	flag.StringVar(&o.timeShapes, "time-shapes", "", "only time pretraining steps of these shapes (L/H/A/I@seq, comma-separated), interleaved")
	flag.IntVar(&o.timeSteps, "time-steps", 200, "steps per shape and round of -time-shapes")
	flag.IntVar(&o.timeRounds, "time-rounds", 2, "rounds of -time-shapes (A, B, A, B, ...)")
	flag.StringVar(&o.exportDir, "export-instances", "", "only write the vocabulary, held-out instances and the first -export-epochs epochs of training instances (with their dynamic masks) and batches to this folder, for bench/mlm_plateau_torch.py")
	flag.IntVar(&o.exportEpochs, "export-epochs", 12, "epochs of training masks and batches -export-instances writes")
	flag.Parse()
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "owncorpus:", err)
		os.Exit(1)
	}
}

// shape is a model shape and instance length.
type shape struct{ layers, hidden, heads, intermediate, seq int }

// parseShape reads "L4/H256/A4/I1024", optionally followed by "@128".
func parseShape(s string) (shape, error) {
	var sh shape
	body, seq, hasSeq := strings.Cut(s, "@")
	if hasSeq {
		n, err := strconv.Atoi(seq)
		if err != nil {
			return sh, fmt.Errorf("shape %q: the length after @ is not a number", s)
		}
		sh.seq = n
	}
	fields := map[byte]*int{'L': &sh.layers, 'H': &sh.hidden, 'A': &sh.heads, 'I': &sh.intermediate}
	for _, part := range strings.Split(body, "/") {
		if len(part) < 2 || fields[part[0]] == nil {
			return sh, fmt.Errorf("shape %q: want L<layers>/H<hidden>/A<heads>/I<intermediate>, got part %q", s, part)
		}
		n, err := strconv.Atoi(part[1:])
		if err != nil || n <= 0 {
			return sh, fmt.Errorf("shape %q: part %q is not a positive number", s, part)
		}
		*fields[part[0]] = n
	}
	return sh, nil
}

// apply sets the shape's non-zero fields on r.
func (sh shape) apply(r *recipes.OwnCorpusRecipe) {
	set := func(dst *int, v int) {
		if v > 0 {
			*dst = v
		}
	}
	set(&r.Layers, sh.layers)
	set(&r.Hidden, sh.hidden)
	set(&r.Heads, sh.heads)
	set(&r.Intermediate, sh.intermediate)
	set(&r.Pretraining.MaxSeqLength, sh.seq)
}

// ints parses a comma-separated list of integers.
func ints(flagName, list string) ([]int, error) {
	var out []int
	for _, s := range strings.Split(list, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			return nil, fmt.Errorf("-%s: %q is not a number", flagName, s)
		}
		out = append(out, n)
	}
	return out, nil
}

// recipe is the chosen recipe with the flags applied.
func (o options) recipeOf() (recipes.OwnCorpusRecipe, error) {
	var r recipes.OwnCorpusRecipe
	switch o.recipe {
	case "default":
		r = recipes.DefaultOwnCorpusRecipe
	case "30min":
		r = recipes.OwnCorpus30MinRecipe
	default:
		return r, fmt.Errorf("-recipe %q: want default or 30min", o.recipe)
	}
	r.Dir = o.dir
	setS := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	setI := func(dst *int, v int) {
		if v > 0 {
			*dst = v
		}
	}
	setS(&r.TrainFile, o.trainFile)
	setS(&r.DevFile, o.devFile)
	setS(&r.TestFile, o.testFile)
	if o.maxTrain >= 0 {
		r.MaxTrain = o.maxTrain
	}
	if o.maxEval >= 0 {
		r.MaxEval = o.maxEval
	}
	if o.shape != "" {
		sh, err := parseShape(o.shape)
		if err != nil {
			return r, fmt.Errorf("-shape: %v", err)
		}
		sh.apply(&r)
	}
	setI(&r.VocabSize, o.vocab)
	setI(&r.Pretraining.MaxSeqLength, o.seq)
	setI(&r.Pretraining.DupeFactor, o.dupe)
	switch o.objective {
	case "":
	case "mlm":
		r.Pretraining.MLMOnly = true
	case "mlm+nsp":
		r.Pretraining.MLMOnly = false
	default:
		return r, fmt.Errorf("-objective %q: want mlm or mlm+nsp", o.objective)
	}
	setI(&r.MaxLength, o.maxLength)
	setI(&r.FineTuneEpochs, o.ftEpochs)
	if o.lr > 0 {
		r.PretrainLR = o.lr
	}
	if o.ftLR > 0 {
		r.FineTuneLR = o.ftLR
	}
	return r, nil
}

func run(o options) error {
	r, err := o.recipeOf()
	if err != nil {
		return err
	}
	seeds, err := ints("ft-seeds", o.ftSeeds)
	if err != nil {
		return err
	}
	fmt.Printf("GOMAXPROCS %d, %s\n", runtime.GOMAXPROCS(0), time.Now().Format(time.RFC3339))
	if o.timeShapes != "" {
		return timeShapes(r, o)
	}
	fmt.Printf("recipe %s: L%d/H%d/A%d/I%d, vocabulary %d, instances of %d tokens (dupe %d, static masks %v, MLM only %v), batch %d, lr %g; fine-tuning on %s (max %d), %d epochs at %g, max length %d, seeds %v\n",
		o.recipe, r.Layers, r.Hidden, r.Heads, r.Intermediate, r.VocabSize, r.Pretraining.MaxSeqLength, r.Pretraining.DupeFactor, o.staticMasks, r.Pretraining.MLMOnly,
		r.PretrainBatch, r.PretrainLR, r.TrainFile, r.MaxTrain, r.FineTuneEpochs, r.FineTuneLR, r.MaxLength, seeds)
	var task *recipes.OwnTask
	if !o.pretrainOnly {
		began := time.Now()
		if task, err = r.Task(); err != nil {
			return err
		}
		fmt.Printf("task: %d train, %d dev, %d test examples\n", len(task.Train), len(task.Dev), len(task.Test))
		fmt.Println(r.Baselines(task))
		fmt.Printf("baselines in %.1fs\n", time.Since(began).Seconds())
	}
	if o.finetune != "" {
		for _, dir := range strings.Split(o.finetune, ",") {
			label := dir
			if o.ftScratch {
				label += " (its architecture from scratch)"
			}
			if err := fineTuneSeeds(r, dir, task, o.ftScratch, seeds, label); err != nil {
				return err
			}
		}
		return nil
	}

	work, err := os.MkdirTemp("", "owncorpus-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
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

	model, rng, err := r.NewPretrainingModel(tok)
	if err != nil {
		return err
	}
	pt := r.PretrainingTask(model, tok, corpus)
	pt.StaticMasks = o.staticMasks
	if o.exportDir != "" {
		r.PretrainBudget = 0
		return exportInstances(o.exportDir, o.exportEpochs, pt, tok, r.PretrainConfig(0, true))
	}
	if o.keep != "" {
		// encoder-0 is the untrained model: fine-tuning it is training from scratch.
		if err := bert.SavePretrained(filepath.Join(o.keep, "encoder-0"), model, model.Bert.Config, tok); err != nil {
			return err
		}
	}
	if o.scratch && !o.pretrainOnly {
		scratchDir := filepath.Join(work, "scratch")
		if err := bert.SavePretrained(scratchDir, model, model.Bert.Config, tok); err != nil {
			return err
		}
		if err := fineTuneSeeds(r, scratchDir, task, true, seeds, "from scratch"); err != nil {
			return err
		}
	}
	point := func(label string, steps int) error {
		nn.Eval(model)
		mlm, err := pt.Evaluate()
		nn.Train(model)
		if err != nil {
			return err
		}
		encDir := filepath.Join(work, "encoder")
		if o.keep != "" {
			encDir = filepath.Join(o.keep, fmt.Sprintf("encoder-%d", steps))
		}
		if err := bert.SavePretrained(encDir, model, model.Bert.Config, tok); err != nil {
			return err
		}
		nsp := "no NSP"
		if acc, ok := mlm["nsp_accuracy"]; ok {
			nsp = fmt.Sprintf("NSP accuracy %.3f", acc)
		}
		fmt.Printf("%s: %d steps, held-out MLM loss %.3f accuracy %.3f, %s, saved in %s\n", label, steps, mlm["mlm_loss"], mlm["mlm_accuracy"], nsp, encDir)
		if o.pretrainOnly {
			return nil
		}
		return fineTuneSeeds(r, encDir, task, false, seeds, label)
	}
	if o.steps != "" {
		return pretrainSteps(r, o, pt, rng, point)
	}
	if o.budgets == "" {
		return fmt.Errorf("give -steps or -budgets (or -finetune, -time-shapes)")
	}
	r.OutputDir = filepath.Join(work, "run")
	resume := ""
	var done time.Duration
	for _, s := range strings.Split(o.budgets, ",") {
		b, err := time.ParseDuration(strings.TrimSpace(s))
		if err != nil {
			return fmt.Errorf("-budgets: %v", err)
		}
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
		fmt.Printf("(this call %.0fs)\n", time.Since(began).Seconds())
		if err := point(fmt.Sprintf("pretrained %v", b), len(h.Steps)); err != nil {
			return err
		}
	}
	return nil
}

// pretrainSteps runs one pretraining run to the last of -steps, calling
// point at each listed step count (from a step hook, so the run goes on
// afterwards exactly as if it had not paused).
func pretrainSteps(r recipes.OwnCorpusRecipe, o options, pt *train.PretrainingTask, rng *autograd.RNG, point func(string, int) error) error {
	points, err := ints("steps", o.steps)
	if err != nil {
		return err
	}
	last := points[len(points)-1]
	r.PretrainSteps, r.PretrainBudget = last, 0
	cfg := r.PretrainConfig(0, true)
	cfg.EvalEvery = last // evaluate only at the end; point evaluates on its own
	tr := pt.Trainer(cfg)
	tr.RNG = rng
	began := time.Now()
	pretrainTime := time.Duration(0)
	tr.Hooks = append(tr.Hooks, func(info train.StepInfo) error {
		for _, p := range points {
			if info.Step == p {
				pretrainTime += time.Since(began)
				fmt.Printf("(pretraining %.0fs so far, %.1f steps/s)\n", pretrainTime.Seconds(), float64(p)/pretrainTime.Seconds())
				err := point(fmt.Sprintf("pretrained %d steps (epoch %.2f)", p, info.Record.Epoch), p)
				began = time.Now()
				return err
			}
		}
		return nil
	})
	_, err = tr.Train()
	return err
}

// fineTuneSeeds fine-tunes the checkpoint in dir (or its architecture from
// scratch) once per seed and prints the test accuracy's mean ± sd, the
// macro-F1's and the dev accuracy's.
func fineTuneSeeds(r recipes.OwnCorpusRecipe, dir string, task *recipes.OwnTask, fromScratch bool, seeds []int, label string) error {
	ck, err := bert.OpenCheckpoint(dir)
	if err != nil {
		return err
	}
	began := time.Now()
	var acc, f1, dev []float64
	var bestEpochs []float64
	for _, s := range seeds {
		r.Seed = uint64(s)
		st, h, err := r.FineTune(ck, task, fromScratch, true)
		if err != nil {
			return err
		}
		predicted, _, err := st.Predict(task.Test)
		if err != nil {
			return err
		}
		rep := train.ClassificationReport(predicted, train.Golds(task.Test), task.Labels)
		acc, f1 = append(acc, rep.Accuracy), append(f1, rep.Macro.F1)
		best, bestEpoch := 0.0, 0.0
		for _, e := range h.Evals {
			if e.Metrics["accuracy"] > best {
				best, bestEpoch = e.Metrics["accuracy"], e.Epoch
			}
		}
		dev, bestEpochs = append(dev, best), append(bestEpochs, bestEpoch)
	}
	fmt.Printf("  %s: test accuracy %s, macro-F1 %s, best dev accuracy %s (%d seeds, %.0fs) test %.3f, best epochs %.0f\n",
		label, meanSD(acc), meanSD(f1), meanSD(dev), len(seeds), time.Since(began).Seconds(), acc, bestEpochs)
	return nil
}

// meanSD formats the mean and sample standard deviation of v.
func meanSD(v []float64) string {
	mean := 0.0
	for _, x := range v {
		mean += x
	}
	mean /= float64(len(v))
	if len(v) < 2 {
		return fmt.Sprintf("%.3f", mean)
	}
	ss := 0.0
	for _, x := range v {
		ss += (x - mean) * (x - mean)
	}
	return fmt.Sprintf("%.3f ± %.3f", mean, math.Sqrt(ss/float64(len(v)-1)))
}

// timeShapes times pretraining steps of each shape, interleaved: round after
// round, each shape runs -time-steps steps on its own instances, and the
// step time of each is printed with its ratio to the first shape's.
func timeShapes(r recipes.OwnCorpusRecipe, o options) error {
	tok, err := r.Vocabulary()
	if err != nil {
		return err
	}
	type runner struct {
		name  string
		train func(steps int) error
		times []float64
	}
	var runners []*runner
	instances := map[int]*data.PretrainingCorpus{}
	for _, spec := range strings.Split(o.timeShapes, ",") {
		sh, err := parseShape(spec)
		if err != nil {
			return fmt.Errorf("-time-shapes: %v", err)
		}
		rs := r
		sh.apply(&rs)
		corpus := instances[rs.Pretraining.MaxSeqLength]
		if corpus == nil {
			if corpus, err = rs.Instances(tok); err != nil {
				return err
			}
			instances[rs.Pretraining.MaxSeqLength] = corpus
		}
		model, rng, err := rs.NewPretrainingModel(tok)
		if err != nil {
			return err
		}
		pt := rs.PretrainingTask(model, tok, corpus)
		pt.Dev = nil
		rs.PretrainBudget = 0
		round := 0
		runners = append(runners, &runner{name: spec, train: func(steps int) error {
			round++
			rs.PretrainSteps = steps
			cfg := rs.PretrainConfig(0, true)
			cfg.Seed = uint64(round)
			tr := pt.Trainer(cfg)
			tr.RNG = rng
			_, err := tr.Train()
			return err
		}})
	}
	for round := 0; round < o.timeRounds; round++ {
		for _, rn := range runners {
			began := time.Now()
			if err := rn.train(o.timeSteps); err != nil {
				return err
			}
			ms := 1000 * time.Since(began).Seconds() / float64(o.timeSteps)
			rn.times = append(rn.times, ms)
			fmt.Printf("round %d %-24s %7.1f ms/step\n", round+1, rn.name, ms)
		}
	}
	mean := func(v []float64) float64 {
		s := 0.0
		for _, x := range v {
			s += x
		}
		return s / float64(len(v))
	}
	base := mean(runners[0].times)
	for _, rn := range runners {
		fmt.Printf("%-24s %7.1f ms/step, %.2f× the first shape's\n", rn.name, mean(rn.times), mean(rn.times)/base)
	}
	return nil
}
