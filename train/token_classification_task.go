package train

import (
	"fmt"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/bert"
	"github.com/turinglab/turinglab/data"
	"github.com/turinglab/turinglab/tokenizer"
)

// TokenClassificationTask connects tagging (NER-style BIO tags, or plain tags
// such as parts of speech) to the Trainer. Words are tokenized one by one, as HF does with
// is_split_into_words=True; the first piece of each word carries the word's
// label and the others are ignored (data.AlignLabels), so the loss and the
// metrics count each word once (LabelAllPieces labels and reads them all). Evaluate scores as the tag set calls for
// (DetectTagScheme): entity-level F1 (seqeval) for BIO/BIOES tags, token
// accuracy for plain tags.
type TokenClassificationTask struct {
	Model     *bert.ForTokenClassification
	Tokenizer *tokenizer.BertTokenizer
	Train     []data.TaggedSentence
	Dev       []data.TaggedSentence
	Labels    []string // tag names, Labels[id] (e.g. data.NERLabels)
	MaxLength int      // truncate to this many tokens, specials included (default 128)
	// EvalBatchSize is the batch size of Evaluate and Predict (default 64).
	EvalBatchSize int
	// Quiet turns off Predict's progress bar.
	Quiet bool
	// LabelAllPieces gives every piece of a word the word's label in training
	// (HF run_ner's label_all_tokens), and Predict tags a word by the sum of
	// its pieces' logits. By default only the first piece is labelled and
	// read, which fails when that piece is mostly another word: "Africa" is
	// a ##f ##ri ##c ##a to the course's tokenizer, and "a" is the article.
	LabelAllPieces bool
}

// encodeWords tokenizes pre-split words into [CLS] pieces... [SEP] with the
// word index of every token (-1 for specials); a word the tokenizer drops
// entirely becomes [UNK] so that every word keeps a token.
func (s *TokenClassificationTask) encodeWords(words []string) (ids, wordIDs []int) {
	maxLen := s.MaxLength
	if maxLen <= 0 {
		maxLen = 128
	}
	tok := s.Tokenizer
	ids, wordIDs = []int{tok.ClsID}, []int{-1}
	for w, word := range words {
		pieces := tok.ConvertTokensToIDs(tok.Tokenize(word))
		if len(pieces) == 0 {
			pieces = []int{tok.UnkID}
		}
		for _, id := range pieces {
			if len(ids) >= maxLen-1 {
				break
			}
			ids = append(ids, id)
			wordIDs = append(wordIDs, w)
		}
	}
	return append(ids, tok.SepID), append(wordIDs, -1)
}

// Batch builds padded inputs and aligned labels for sentences[batch...], and
// returns each sentence's word ids (for mapping predictions back to words).
func (s *TokenClassificationTask) Batch(sentences []data.TaggedSentence, batch []int) (*bert.Inputs, []int, [][]int, error) {
	rows := make([][]int, len(batch))
	labelRows := make([][]int, len(batch))
	words := make([][]int, len(batch))
	for i, b := range batch {
		tagIDs, err := data.TagIDs(sentences[b].Tags, s.Labels)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("train.TokenClassificationTask: sentence %d: %w", b, err)
		}
		rows[i], words[i] = s.encodeWords(sentences[b].Tokens)
		if s.LabelAllPieces {
			labelRows[i] = labelEveryPiece(words[i], tagIDs)
		} else {
			labelRows[i] = data.AlignLabels(words[i], tagIDs)
		}
	}
	ids, mask, longest := data.PadBatch(rows, s.Tokenizer.PadID)
	labels, _, _ := data.PadBatch(labelRows, data.IgnoreLabel)
	in := &bert.Inputs{InputIDs: ids, AttentionMask: mask, Batch: len(batch), SeqLen: longest}
	return in, labels, words, nil
}

// Loss is the Trainer's LossFunc: token-level cross-entropy of a batch.
func (s *TokenClassificationTask) Loss(batch []int) (*autograd.Tensor, error) {
	in, labels, _, err := s.Batch(s.Train, batch)
	if err != nil {
		return nil, err
	}
	out, err := s.Model.Forward(in, labels)
	if err != nil {
		return nil, err
	}
	return out.Loss, nil
}

// Predict returns the predicted tag of every word of every sentence (the
// prediction at each word's first piece, or from all its pieces with
// LabelAllPieces; words cut by truncation get "O").
// Sentences are batched by length; a progress bar shows for long runs, and
// the stop button ends it between batches with display.ErrInterrupted.
func (s *TokenClassificationTask) Predict(sentences []data.TaggedSentence) ([][]string, error) {
	out := make([][]string, len(sentences))
	err := predictLoop(sentenceLengths(sentences), s.EvalBatchSize, s.Quiet, func(batch []int) error {
		in, _, words, err := s.Batch(sentences, batch)
		if err != nil {
			return err
		}
		var result *bert.ClassificationOutput
		autograd.NoGrad(func() { result, err = s.Model.Forward(in, nil) })
		if err != nil {
			return err
		}
		predicted := result.Logits.ArgMax(2) // [batch*T]
		var logits []float32
		if s.LabelAllPieces {
			logits = result.Logits.Contiguous().Data() // [batch, T, labels]
		}
		for i, b := range batch {
			tags := make([]string, len(sentences[b].Tokens))
			for j := range tags {
				tags[j] = "O"
			}
			if s.LabelAllPieces {
				for w, id := range wordArgMax(logits[i*in.SeqLen*len(s.Labels):(i+1)*in.SeqLen*len(s.Labels)], words[i], len(tags), len(s.Labels)) {
					if id >= 0 {
						tags[w] = s.Labels[id]
					}
				}
				out[b] = tags
				continue
			}
			previous := -1
			for t, w := range words[i] {
				if w >= 0 && w != previous {
					tags[w] = s.Labels[predicted[i*in.SeqLen+t]]
				}
				previous = w
			}
			out[b] = tags
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// labelEveryPiece labels every token with its word's label, and the special
// tokens (word id -1) with IgnoreLabel.
func labelEveryPiece(wordIDs []int, wordLabels []int) []int {
	labels := make([]int, len(wordIDs))
	for i, w := range wordIDs {
		labels[i] = data.IgnoreLabel
		if w >= 0 {
			labels[i] = wordLabels[w]
		}
	}
	return labels
}

// wordArgMax returns, for each of words words, the label whose logits summed
// over the word's pieces are highest (-1 for a word with no pieces, cut by
// truncation); logits are one sentence's, [tokens, labels].
func wordArgMax(logits []float32, wordIDs []int, words, labels int) []int {
	sums := make([]float64, words*labels)
	has := make([]bool, words)
	for t, w := range wordIDs {
		if w < 0 {
			continue
		}
		has[w] = true
		for l := range labels {
			sums[w*labels+l] += float64(logits[t*labels+l])
		}
	}
	best := make([]int, words)
	for w := range best {
		best[w] = -1
		if !has[w] {
			continue
		}
		best[w] = 0
		for l := 1; l < labels; l++ {
			if sums[w*labels+l] > sums[w*labels+best[w]] {
				best[w] = l
			}
		}
	}
	return best
}

// sentenceLengths is each sentence's number of words.
func sentenceLengths(sentences []data.TaggedSentence) []int {
	lengths := make([]int, len(sentences))
	for i, s := range sentences {
		lengths[i] = len(s.Tokens)
	}
	return lengths
}

// Evaluate is the Trainer's EvalFunc on Dev, with the metrics of the tag
// scheme (TagReport.Metrics): "accuracy" always, and entity-level "f1",
// "precision" and "recall" (micro-averaged, seqeval semantics) for BIO/BIOES
// tags.
func (s *TokenClassificationTask) Evaluate() (map[string]float64, error) {
	if len(s.Dev) == 0 {
		return nil, fmt.Errorf("train.TokenClassificationTask: no Dev sentences to evaluate on")
	}
	report, err := s.TagReport(s.Dev)
	if err != nil {
		return nil, err
	}
	return report.Metrics(), nil
}

// TagReport scores the model's tags on sentences with the metric the tag
// set calls for, and says which (see ScoreTags).
func (s *TokenClassificationTask) TagReport(sentences []data.TaggedSentence) (TagReport, error) {
	predicted, err := s.Predict(sentences)
	if err != nil {
		return TagReport{}, err
	}
	return ScoreTags(predicted, goldTags(sentences), s.Labels), nil
}

// Report scores the model's tags on sentences at the entity level (for
// BIO/BIOES tags; TagReport chooses the metric for any tag set).
func (s *TokenClassificationTask) Report(sentences []data.TaggedSentence) (EntityReport, error) {
	predicted, err := s.Predict(sentences)
	if err != nil {
		return EntityReport{}, err
	}
	return EntityF1(predicted, goldTags(sentences)), nil
}

// goldTags returns each sentence's tags.
func goldTags(sentences []data.TaggedSentence) [][]string {
	gold := make([][]string, len(sentences))
	for i, sent := range sentences {
		gold[i] = sent.Tags
	}
	return gold
}

// Trainer returns a Trainer for this task with the given configuration: the
// model, the training-set size, the loss, the evaluation and the sentence
// lengths (for length-bucketed batches) are the task's. Evaluate reports no
// loss, so when cfg.Metric is empty the tag scheme's headline metric picks
// the best model: "f1" for BIO/BIOES tags, "accuracy" for plain tags
// (greater is better). Without Dev sentences it trains without evaluation
// and says so in a note.
// Its Loss keeps nothing of a step's graph, so the Trainer recycles the
// step's activations (Recycle).
func (s *TokenClassificationTask) Trainer(cfg Config) *Trainer {
	if cfg.Metric == "" {
		cfg.Metric, cfg.GreaterIsBetter = "accuracy", true
		if DetectTagScheme(s.Labels) != PlainTags {
			cfg.Metric = "f1"
		}
	}
	t := &Trainer{Model: s.Model, TrainSize: len(s.Train), Loss: s.Loss, Lengths: sentenceLengths(s.Train), Config: cfg, Recycle: true}
	return t.evaluatingOnDev(len(s.Dev), s.Evaluate)
}
