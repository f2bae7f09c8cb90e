// Command tagging measures the tagging path against the most-frequent-tag
// baseline (train.MostFrequentTag: every word gets its most frequent tag in
// training, unseen words the most frequent tag overall). The tagger is the
// course's small BERT (recipes.LoadOrPretrain, the model notebook 06 saves)
// fine-tuned as a token classifier with notebook 07b's settings, on two tag
// sets of the generated small-world sentences (data.NER):
//
//   - BIO entity tags (B-PER, I-LOC, ...), scored by entity-level F1 and
//     token accuracy;
//   - plain entity types (PER, LOC, ORG, O: no B-/I-, so the tag scheme is
//     plain and the metric token accuracy), written as CoNLL train, dev and
//     test files and read back with data.LoadCoNLL, as a user's own CoNLL
//     data would be.
//
// Both are tested on sentences with names seen in training and with names
// held out (data.SplitNERNames). Every seed draws new sentences and a new
// head and batch order. Run from the repository root:
//
//	go run ./bench/tagging -seeds 1,2,3
//
// It prints a Markdown table (mean ± sd over the seeds) for BENCHMARKS.md.
package main

import (
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/turinglab/turinglab/bert"
	"github.com/turinglab/turinglab/data"
	"github.com/turinglab/turinglab/recipes"
	"github.com/turinglab/turinglab/tokenizer"
	"github.com/turinglab/turinglab/train"
)

func main() {
	seedList := flag.String("seeds", "1,2,3", "comma-separated seeds")
	dir := flag.String("model", filepath.Join("notebooks", recipes.CourseCheckpointDir), "the course BERT (pretrained there when absent)")
	epochs := flag.Int("epochs", 6, "fine-tuning epochs (notebook 07b: 6)")
	flag.Float64Var(&learningRate, "lr", 2e-3, "fine-tuning learning rate (notebook 07b: 2e-3)")
	flag.BoolVar(&showErrors, "errors", false, "print the words the tagger gets wrong")
	flag.Parse()
	if err := run(*seedList, *dir, *epochs); err != nil {
		fmt.Fprintln(os.Stderr, "tagging:", err)
		os.Exit(1)
	}
}

// showErrors prints the tagger's mistakes (-errors); learningRate is -lr.
var (
	showErrors   bool
	learningRate float64
)

// scores collects one number per seed for each row of the table.
type scores map[string][]float64

func run(seedList, dir string, epochs int) error {
	_, tok, err := recipes.LoadOrPretrain(dir, recipes.DefaultCourseRecipe)
	if err != nil {
		return err
	}
	world := data.SmallWorld(recipes.DefaultCourseRecipe.World)
	seen, unseen, err := data.SplitNERNames(world, 0.3, 1)
	if err != nil {
		return err
	}
	firstPiece, allPieces, baseline := scores{}, scores{}, scores{}
	var rows []string
	for _, field := range strings.Split(seedList, ",") {
		seed, err := strconv.ParseUint(strings.TrimSpace(field), 10, 64)
		if err != nil {
			return fmt.Errorf("-seeds: %q is not a seed", field)
		}
		sentences := data.NER(world, data.NEROptions{Seed: 4 + 10*seed, N: 600, Names: &seen})
		splits := map[string][]data.TaggedSentence{"train": sentences[:300], "dev": sentences[300:400], "seen": sentences[400:],
			"unseen": data.NER(world, data.NEROptions{Seed: 5 + 10*seed, N: 200, Names: &unseen})}
		if err := compare("BIO", splits, data.NERLabels, dir, tok, seed, epochs, firstPiece, allPieces, baseline, &rows); err != nil {
			return err
		}
		plain, labels, err := viaCoNLL(splits)
		if err != nil {
			return err
		}
		if err := compare("plain (CoNLL files)", plain, labels, dir, tok, seed, epochs, firstPiece, allPieces, baseline, &rows); err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "seed %d done\n", seed)
	}
	fmt.Println("| tags | test names | metric | course BERT, first piece | course BERT, all pieces | most-frequent tag |")
	fmt.Println("|---|---|---|---|---|---|")
	for _, row := range rows {
		fmt.Printf("| %s | %s | %s | %s |\n", row, meanSD(firstPiece[row]), meanSD(allPieces[row]), meanSD(baseline[row]))
	}
	return nil
}

// compare fine-tunes two taggers on splits["train"], labelling the first
// piece of each word and all of them (best model by the tag scheme's metric
// on "dev"), and scores them and the baseline on "seen" and "unseen".
func compare(name string, splits map[string][]data.TaggedSentence, labels []string, dir string, tok *tokenizer.BertTokenizer, seed uint64, epochs int, firstPiece, allPieces, baseline scores, rows *[]string) error {
	mft := train.TrainMostFrequentTag(splits["train"])
	for _, all := range []bool{false, true} {
		model, err := bert.LoadForTokenClassification(dir, labels, seed)
		if err != nil {
			return err
		}
		task := &train.TokenClassificationTask{Model: model, Tokenizer: tok, Train: splits["train"], Dev: splits["dev"], Labels: labels,
			MaxLength: 48, Quiet: true, LabelAllPieces: all}
		// No Metric: the task picks the tag scheme's (F1 for BIO, accuracy for plain tags).
		tr := task.Trainer(train.Config{Epochs: epochs, BatchSize: 16, LearningRate: learningRate, WarmupRatio: 0.1, WeightDecay: 0.01,
			MaxGradNorm: 1, LoadBestAtEnd: true, Seed: seed, Quiet: true})
		if _, err := tr.Train(); err != nil {
			return err
		}
		tagger := firstPiece
		if all {
			tagger = allPieces
		}
		for _, test := range []string{"seen", "unseen"} {
			predicted, err := task.Predict(splits[test])
			if err != nil {
				return err
			}
			got := train.ScoreTags(predicted, goldTags(splits[test]), labels)
			base := train.ScoreTags(mft.Predict(splits[test]), goldTags(splits[test]), labels)
			if showErrors {
				printErrors(fmt.Sprintf("%s, all pieces %v, %s names", name, all, test), splits[test], predicted)
			}
			add := func(metric string, t, b float64) {
				row := fmt.Sprintf("%s | %s | %s", name, test, metric)
				if len(tagger[row]) == 0 && !all {
					*rows = append(*rows, row)
				}
				tagger[row] = append(tagger[row], t)
				if !all {
					baseline[row] = append(baseline[row], b)
				}
			}
			add("token accuracy", got.Accuracy, base.Accuracy)
			if got.Scheme != train.PlainTags {
				add("entity F1", got.Entities.Micro.F1, base.Entities.Micro.F1)
			}
		}
	}
	return nil
}

// viaCoNLL writes the splits with plain entity types (B-PER and I-PER both
// PER) as CoNLL files and reads them back, returning them and their sorted
// tag set.
func viaCoNLL(splits map[string][]data.TaggedSentence) (map[string][]data.TaggedSentence, []string, error) {
	tmp, err := os.MkdirTemp("", "tagging-conll-")
	if err != nil {
		return nil, nil, err
	}
	defer os.RemoveAll(tmp)
	out := map[string][]data.TaggedSentence{}
	tagSet := map[string]bool{}
	for name, sentences := range splits {
		path := filepath.Join(tmp, name+".conll")
		f, err := os.Create(path)
		if err != nil {
			return nil, nil, err
		}
		plain := make([]data.TaggedSentence, len(sentences))
		for i, s := range sentences {
			plain[i] = data.TaggedSentence{Tokens: s.Tokens, Tags: make([]string, len(s.Tags))}
			for j, tag := range s.Tags {
				plain[i].Tags[j] = strings.TrimPrefix(strings.TrimPrefix(tag, "B-"), "I-")
			}
		}
		err = data.WriteCoNLL(f, plain)
		if closeErr := f.Close(); err == nil {
			err = closeErr
		}
		if err != nil {
			return nil, nil, err
		}
		if out[name], err = data.LoadCoNLL(path); err != nil {
			return nil, nil, err
		}
		for _, s := range out[name] {
			for _, tag := range s.Tags {
				tagSet[tag] = true
			}
		}
	}
	var labels []string
	for tag := range tagSet {
		labels = append(labels, tag)
	}
	sort.Strings(labels)
	return out, labels, nil
}

// printErrors shows every wrongly tagged word in its sentence.
func printErrors(title string, sentences []data.TaggedSentence, predicted [][]string) {
	for i, s := range sentences {
		for j, w := range s.Tokens {
			if predicted[i][j] != s.Tags[j] {
				fmt.Printf("%s: %q tagged %s, gold %s: %s\n", title, w, predicted[i][j], s.Tags[j], strings.Join(s.Tokens, " "))
			}
		}
	}
}

func goldTags(sentences []data.TaggedSentence) [][]string {
	gold := make([][]string, len(sentences))
	for i, s := range sentences {
		gold[i] = s.Tags
	}
	return gold
}

// meanSD formats values as mean ± sample standard deviation.
func meanSD(values []float64) string {
	var sum, squares float64
	for _, v := range values {
		sum += v
	}
	mean := sum / float64(len(values))
	for _, v := range values {
		squares += (v - mean) * (v - mean)
	}
	sd := 0.0
	if len(values) > 1 {
		sd = math.Sqrt(squares / float64(len(values)-1))
	}
	return fmt.Sprintf("%.3f ± %.3f", mean, sd)
}
