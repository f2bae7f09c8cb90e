package recipes

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/bert"
	"github.com/turinglab/turinglab/data"
	"github.com/turinglab/turinglab/nn"
	"github.com/turinglab/turinglab/tokenizer"
	"github.com/turinglab/turinglab/train"
)

// CourseRecipe is how the course pretrains its small BERT on the small-world
// corpus. Notebook 06 walks through these steps one cell at a time; later
// notebooks call LoadOrPretrain, which reuses the checkpoint 06 saved or
// repeats the recipe when it is absent, so every notebook also runs alone.
type CourseRecipe struct {
	World        data.SmallWorldOptions
	VocabSize    int
	Pretraining  data.PretrainingOptions
	Hidden       int
	Layers       int
	Heads        int
	Intermediate int
	Steps        int
	BatchSize    int
	LearningRate float64
	Seed         uint64
	// SalientFacts makes the objects of the world's facts (capitals,
	// birthplaces, professions, ...) salient words of the masked-LM task
	// (data.PretrainingOptions.SalientWords): predicted whenever they occur,
	// so that the short pretraining learns the facts, not only their kind.
	SalientFacts bool
}

// DefaultCourseRecipe pretrains in about two and a half minutes on one core of
// a laptop: a 2-layer, 128-wide BERT on a small world of 14 countries with
// their people and companies plus 600 film reviews. The facts' objects are
// salient words of the masked-LM task: with plain random masking, this short
// pretraining recalls almost none of the facts (0 of 7 one-token capitals,
// 1 of 9 birthplaces); with them it recalls most birthplaces and professions
// (2 of 7 capitals, 5 of 9 birthplaces, 5 of 5 professions), enough for
// notebook 10 to trace where it keeps them.
var DefaultCourseRecipe = CourseRecipe{
	World: data.SmallWorldOptions{Seed: 1, Countries: 6, RealCountries: true, CitiesPerCountry: 2,
		PeoplePerCountry: 2, CompaniesPerCountry: 1, DocumentsPerEntity: 4, Reviews: 600},
	VocabSize:    800,
	Pretraining:  data.PretrainingOptions{Seed: 12345, MaxSeqLength: 48, DupeFactor: 5, ShortSeqProb: 0.1, MaskedLMProb: 0.15, MaxPredictionsPerSeq: 8},
	Hidden:       128,
	Layers:       2,
	Heads:        4,
	Intermediate: 256,
	Steps:        1200,
	BatchSize:    32,
	LearningRate: 1.5e-3,
	Seed:         1,
	SalientFacts: true,
}

// BertConfig is the model configuration of the recipe for a vocabulary size.
func (r CourseRecipe) BertConfig(vocabSize int) *bert.Config {
	c := bert.DefaultConfig()
	c.VocabSize, c.HiddenSize, c.NumHiddenLayers, c.NumAttentionHeads, c.IntermediateSize = vocabSize, r.Hidden, r.Layers, r.Heads, r.Intermediate
	c.MaxPositionEmbeddings = r.Pretraining.MaxSeqLength
	c.Architectures = []string{"BertForPreTraining"}
	return c
}

// Corpus generates the world and trains the recipe's WordPiece tokenizer on it.
func (r CourseRecipe) Corpus() (*data.World, *tokenizer.BertTokenizer, error) {
	world := data.SmallWorld(r.World)
	vocab, err := tokenizer.NewWordPieceTrainer(r.VocabSize).Train(world.Sentences())
	if err != nil {
		return nil, nil, err
	}
	tok, err := tokenizer.NewBertTokenizer(vocab, true)
	return world, tok, err
}

// Instances tokenizes the world's documents and makes pretraining instances,
// holding out every tenth document for evaluation.
func (r CourseRecipe) Instances(world *data.World, tok *tokenizer.BertTokenizer) (trainSet, devSet []data.PretrainingInstance, err error) {
	opts := r.Pretraining
	if r.SalientFacts {
		for _, f := range world.Facts {
			opts.SalientWords = append(opts.SalientWords, strings.ToLower(f.Object))
		}
	}
	var trainDocs, devDocs [][][]string
	for i, d := range world.Documents {
		var doc [][]string
		for _, s := range d {
			doc = append(doc, tok.Tokenize(s))
		}
		if i%10 == 9 {
			devDocs = append(devDocs, doc)
		} else {
			trainDocs = append(trainDocs, doc)
		}
	}
	trainSet, err = data.CreatePretrainingInstances(trainDocs, tok.Vocab.Tokens(), opts)
	if err != nil {
		return nil, nil, err
	}
	devOpts := opts
	devOpts.Seed++
	devOpts.DupeFactor = 1
	devSet, err = data.CreatePretrainingInstances(devDocs, tok.Vocab.Tokens(), devOpts)
	return trainSet, devSet, err
}

// Pretrain runs the whole recipe and returns the model, its tokenizer and the
// training history.
func (r CourseRecipe) Pretrain(quiet bool) (*bert.ForPreTraining, *tokenizer.BertTokenizer, *train.History, error) {
	world, tok, err := r.Corpus()
	if err != nil {
		return nil, nil, nil, err
	}
	trainSet, devSet, err := r.Instances(world, tok)
	if err != nil {
		return nil, nil, nil, err
	}
	model, err := bert.NewForPreTraining(r.BertConfig(tok.Vocab.Size()), autograd.NewRNG(r.Seed))
	if err != nil {
		return nil, nil, nil, err
	}
	model.MaskedOnly = true
	task := &train.PretrainingTask{Model: model, Vocab: tok.Vocab, Train: trainSet, Dev: devSet}
	tr := &train.Trainer{Model: model, TrainSize: len(trainSet), Loss: task.Loss, Evaluate: task.Evaluate, Recycle: true,
		Config: train.Config{MaxSteps: r.Steps, BatchSize: r.BatchSize, LearningRate: r.LearningRate, WarmupRatio: 0.06,
			WeightDecay: 0.01, MaxGradNorm: 1, EvalEvery: max(r.Steps/4, 1), Seed: r.Seed, Quiet: quiet}}
	h, err := tr.Train()
	model.MaskedOnly = false
	return model, tok, h, err
}

// CourseCheckpointDir is where notebook 06 saves the pretrained model (relative
// to the notebooks folder; git ignores it).
const CourseCheckpointDir = ".cache/course-bert"

// LoadOrPretrain loads the course's pretrained BERT from dir when an earlier
// notebook saved it there, and otherwise runs the recipe and saves the result
// to dir for the next notebook.
func LoadOrPretrain(dir string, r CourseRecipe) (*bert.ForPreTraining, *tokenizer.BertTokenizer, error) {
	if _, err := os.Stat(filepath.Join(dir, bert.WeightsFile)); err == nil {
		ck, err := bert.OpenCheckpoint(dir)
		if err != nil {
			return nil, nil, err
		}
		if ck.Tokenizer == nil {
			return nil, nil, fmt.Errorf("recipes.LoadOrPretrain: %s has no vocab.txt", dir)
		}
		model, _, err := ck.ForPreTraining(autograd.NewRNG(r.Seed), nn.LoadOptions{Strict: true})
		return model, ck.Tokenizer, err
	}
	model, tok, _, err := r.Pretrain(false)
	if err != nil {
		return nil, nil, err
	}
	if err := bert.SavePretrained(dir, model, model.Bert.Config, tok); err != nil {
		return nil, nil, err
	}
	return model, tok, nil
}
