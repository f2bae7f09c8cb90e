package interpret

import (
	"fmt"
	"strings"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/bert"
	"github.com/turinglab/turinglab/data"
	"github.com/turinglab/turinglab/display"
	"github.com/turinglab/turinglab/train"
)

// FactModelOptions size the small masked LM that causal tracing studies;
// zero values mean the defaults.
type FactModelOptions struct {
	// World is the small world whose facts the model learns; the zero value
	// means 6 invented countries with one city, person and company each, every
	// entity described 12 times (a fact-dense corpus).
	World data.SmallWorldOptions
	// VocabSize is the WordPiece vocabulary size; 0 means 400.
	VocabSize int
	// Hidden, Layers, Heads, Intermediate are the BERT sizes; 0 means 64, 3, 4, 128.
	Hidden, Layers, Heads, Intermediate int
	// Steps and BatchSize drive training; 0 means 600 and 32.
	Steps, BatchSize int
	// LearningRate is AdamW's peak rate; 0 means 5e-3.
	LearningRate float64
	// FactMaskProb is the probability that a sentence stating a fact has its
	// whole object masked (on top of BERT's random 15%); 0 means 0.9.
	FactMaskProb float64
	// FactRepeats adds every fact's cloze sentence, filled in, this many
	// times to the corpus (the fact focus); 0 means 20, −1 none.
	FactRepeats int
	Seed        uint64
	Quiet       bool
}

func (o FactModelOptions) withDefaults() FactModelOptions {
	if o.World == (data.SmallWorldOptions{}) {
		o.World = data.SmallWorldOptions{Seed: 3, Countries: 6, CitiesPerCountry: 1, PeoplePerCountry: 1, CompaniesPerCountry: 1, DocumentsPerEntity: 12, Reviews: 1}
	}
	def := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	def(&o.VocabSize, 400)
	def(&o.Hidden, 64)
	def(&o.Layers, 3)
	def(&o.Heads, 4)
	def(&o.Intermediate, 128)
	def(&o.Steps, 600)
	def(&o.BatchSize, 32)
	if o.LearningRate == 0 {
		o.LearningRate = 5e-3
	}
	def(&o.FactRepeats, 20)
	if o.FactRepeats < 0 {
		o.FactRepeats = 0
	}
	if o.FactMaskProb == 0 {
		o.FactMaskProb = 0.9
	}
	return o
}

// FactModel is a small masked LM trained to know a small world's facts, with
// its tokenizer and world.
type FactModel struct {
	Model     *bert.ForMaskedLM
	Tokenizer *bert.Tokenizer
	World     *data.World
	History   *train.History
}

// TrainFactModel generates a fact-dense small world, trains a WordPiece
// tokenizer on it and pretrains a small BERT masked LM on its sentences
// and on every fact's filled-in cloze sentence repeated FactRepeats times
// (dynamic 15% masking, plus whole-object masking of fact sentences), so
// that it reliably recalls facts such as the capitals: the subject of the
// causal-tracing notebook. It is a stand-in for the course's pretrained
// model, smaller and more repetitive so that it learns the facts in seconds.
func TrainFactModel(opts FactModelOptions) (*FactModel, error) {
	opts = opts.withDefaults()
	world := data.SmallWorld(opts.World)
	sentences := world.Sentences()
	for _, f := range world.Facts {
		for r := 0; r < opts.FactRepeats; r++ {
			sentences = append(sentences, strings.Replace(f.Cloze, "[MASK]", f.Object, 1))
		}
	}
	vocab, err := bert.NewWordPieceTrainer(opts.VocabSize).Train(sentences)
	if err != nil {
		return nil, err
	}
	tok, err := bert.NewTokenizer(vocab, true)
	if err != nil {
		return nil, err
	}
	// Tokenize once; note where each sentence states a fact's object.
	objects := map[string]bool{}
	for _, f := range world.Facts {
		objects[strings.ToLower(f.Object)] = true
	}
	type sentence struct {
		ids    []int
		object []int // token positions of a fact object, if any
	}
	var set []sentence
	maxLen := 0
	for _, s := range sentences {
		enc, err := tok.Encode(s, bert.EncodeOptions{})
		if err != nil {
			return nil, err
		}
		sn := sentence{ids: enc.IDs}
		for _, p := range splitWords(s) {
			if p.Word && objects[strings.ToLower(p.Text)] {
				for i, o := range enc.ByteOffsets {
					if o.End > o.Start && o.Start >= p.Start && o.End <= p.End {
						sn.object = append(sn.object, i)
					}
				}
				break
			}
		}
		set = append(set, sn)
		maxLen = max(maxLen, len(enc.IDs))
	}
	cfg := bert.DefaultConfig()
	cfg.VocabSize, cfg.HiddenSize, cfg.NumHiddenLayers, cfg.NumAttentionHeads, cfg.IntermediateSize = vocab.Size(), opts.Hidden, opts.Layers, opts.Heads, opts.Intermediate
	cfg.MaxPositionEmbeddings = max(64, maxLen)
	model, err := bert.NewForMaskedLM(cfg, autograd.NewRNG(opts.Seed+1))
	if err != nil {
		return nil, err
	}
	var special []int
	for _, t := range tok.SpecialTokens() {
		if id, ok := vocab.ID(t); ok {
			special = append(special, id)
		}
	}
	masker := data.NewDynamicMasker(tok.MaskID, vocab.Size(), special, opts.Seed+2)
	rng := autograd.NewRNG(opts.Seed + 3)
	loss := func(batch []int) (*autograd.Tensor, error) {
		var seqs, labels [][]int
		for _, i := range batch {
			in, lab := masker.Mask(set[i].ids)
			if len(set[i].object) > 0 && rng.Float64() < opts.FactMaskProb {
				for _, p := range set[i].object {
					in[p], lab[p] = tok.MaskID, set[i].ids[p]
				}
			}
			seqs, labels = append(seqs, in), append(labels, lab)
		}
		ids, mask, longest := data.PadBatch(seqs, tok.PadID)
		flat := make([]int, 0, len(ids))
		for _, l := range labels {
			flat = append(flat, l...)
			for k := len(l); k < longest; k++ {
				flat = append(flat, data.IgnoreLabel)
			}
		}
		out, err := model.Forward(&bert.Inputs{InputIDs: ids, AttentionMask: mask, Batch: len(batch), SeqLen: longest}, flat)
		if err != nil {
			return nil, err
		}
		return out.Loss, nil
	}
	model.MaskedOnly = true
	tr := &train.Trainer{Model: model, TrainSize: len(set), Loss: loss,
		Config: train.Config{MaxSteps: opts.Steps, BatchSize: opts.BatchSize, LearningRate: opts.LearningRate,
			WarmupRatio: 0.06, WeightDecay: 0.01, MaxGradNorm: 1, Seed: opts.Seed, Quiet: opts.Quiet}}
	h, err := tr.Train()
	model.MaskedOnly = false
	model.SetTraining(false)
	if err != nil {
		return nil, err
	}
	return &FactModel{Model: model, Tokenizer: tok, World: world, History: h}, nil
}

// FactRecall asks the model every fact of the given relation ("capital",
// "language", ...; "" for all) whose object is one token, as its cloze
// sentence, and returns the share it gets right (top-1) and a table.
func (f *FactModel) FactRecall(relation string) (float64, display.TableValue, error) {
	var rows [][]any
	ok, n := 0, 0
	for _, fact := range f.World.Facts {
		if relation != "" && fact.Relation != relation {
			continue
		}
		obj := f.Tokenizer.Tokenize(fact.Object)
		if len(obj) != 1 {
			continue
		}
		p, err := bert.FillMask(f.Model, f.Tokenizer, fact.Cloze, 1)
		if err != nil {
			return 0, display.TableValue{}, err
		}
		if len(p) != 1 || len(p[0]) == 0 {
			return 0, display.TableValue{}, fmt.Errorf("interpret: cloze %q has %d masks, want 1", fact.Cloze, len(p))
		}
		n++
		hit := p[0][0].Token == obj[0]
		if hit {
			ok++
		}
		rows = append(rows, []any{fact.Cloze, fact.Object, p[0][0].Token, fmt.Sprintf("%.3f", p[0][0].Prob), hit})
	}
	if n == 0 {
		return 0, display.TableValue{}, fmt.Errorf("interpret: no single-token facts of relation %q", relation)
	}
	return float64(ok) / float64(n), display.Table([]string{"cloze", "object", "predicted", "probability", "correct"}, rows), nil
}
