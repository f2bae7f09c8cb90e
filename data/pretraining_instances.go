package data

import (
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"strings"

	"github.com/turinglab/turinglab/display"
)

// PretrainingOptions are the knobs of BERT's create_pretraining_data.py, with
// the same meaning. Start from DefaultPretraining and change what you need:
// every field is used as given (a zero ShortSeqProb means no short sequences).
type PretrainingOptions struct {
	Seed                 uint64
	MaxSeqLength         int     // tokens per instance including [CLS] and two [SEP]
	DupeFactor           int     // passes over the corpus, each with fresh masks and pairs
	ShortSeqProb         float64 // chance of a shorter random target length
	MaskedLMProb         float64 // fraction of tokens to predict
	MaxPredictionsPerSeq int     // cap on predictions per instance
	WholeWordMask        bool    // mask all pieces of a word together
	// SalientWords are predicted before any other word whenever they occur
	// (REALM's salient span masking, Guu et al. 2020): a word of the list
	// (lowercase, its pieces joined) is chosen first, then random words fill
	// the prediction budget. Empty means Google's plain random choice.
	SalientWords []string
	// MLMOnly makes single-segment instances for the masked-LM objective
	// alone (RoBERTa's DOC-SENTENCES input, Liu et al. 2019): contiguous
	// sentences of one document, [CLS] text [SEP], with no sentence pairs
	// and no next-sentence label. train.PretrainingTask then trains and
	// reports the MLM loss only. RoBERTa found next-sentence prediction
	// does not help; on a small corpus it also holds the MLM back
	// (BENCHMARKS.md, "Is the plateau ours?").
	MLMOnly bool
}

// DefaultPretraining holds the values of Google's README for 128-token
// pretraining (dupe factor 10 there; 5 here to keep the course quick).
var DefaultPretraining = PretrainingOptions{Seed: 12345, MaxSeqLength: 128, DupeFactor: 5,
	ShortSeqProb: 0.1, MaskedLMProb: 0.15, MaxPredictionsPerSeq: 20}

// PretrainingInstance is one sentence pair ready for masked LM and
// next-sentence prediction, [CLS] A [SEP] B [SEP], or with
// PretrainingOptions.MLMOnly one segment of text, [CLS] text [SEP], with
// some tokens replaced.
type PretrainingInstance struct {
	Tokens          []string // after masking
	SegmentIDs      []int    // 0 for [CLS] A [SEP], 1 for B [SEP] (all 0 for one segment)
	IsRandomNext    bool     // B was drawn from another document (NSP label 1)
	MaskedPositions []int    // increasing positions in Tokens to predict
	MaskedLabels    []string // the original token at each masked position
}

// ReadDocuments reads the pretraining input format — one sentence per line, a
// blank line between documents — tokenizing each sentence with tokenize
// (e.g. a WordPiece tokenizer's Tokenize). Empty documents are dropped.
func ReadDocuments(r io.Reader, tokenize func(string) []string) ([][][]string, error) {
	var docs [][][]string
	var doc [][]string
	lines := newLineReader(r)
	for {
		line, err := lines.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("data.ReadDocuments: line %d: %w", lines.line+1, err)
		}
		line = strings.TrimSpace(line)
		if line == "" {
			if len(doc) > 0 {
				docs = append(docs, doc)
			}
			doc = nil
			continue
		}
		if tokens := tokenize(line); len(tokens) > 0 {
			doc = append(doc, tokens)
		}
	}
	if len(doc) > 0 {
		docs = append(docs, doc)
	}
	return docs, nil
}

// CreatePretrainingInstances turns tokenized documents (documents of sentences
// of tokens) into pretraining instances with the semantics of
// create_pretraining_data.py: documents shuffled, DupeFactor passes, chunks of
// whole sentences filling a target length (shorter with ShortSeqProb), A/B split
// at a random sentence boundary, B from a random other document half of the time
// (the unused sentences of the chunk are put back), the longer side truncated
// from a random end, and masked-LM predictions (see maskTokens). vocabWords are
// the candidates for random replacement (the vocabulary, in id order). With
// MLMOnly the chunks become single segments instead (see
// singleSegmentInstances). It stops
// early, returning what it has and display.ErrInterrupted, on an interrupt.
func CreatePretrainingInstances(documents [][][]string, vocabWords []string, opts PretrainingOptions) ([]PretrainingInstance, error) {
	if opts.MaxSeqLength < 5 {
		return nil, fmt.Errorf("data.CreatePretrainingInstances: MaxSeqLength %d is too short (need room for [CLS], [SEP], [SEP] and two tokens)", opts.MaxSeqLength)
	}
	if len(vocabWords) == 0 {
		return nil, fmt.Errorf("data.CreatePretrainingInstances: vocabWords is empty")
	}
	rng := newRand(opts.Seed)
	docs := make([][][]string, 0, len(documents))
	for _, d := range documents {
		if len(d) > 0 {
			docs = append(docs, d)
		}
	}
	rng.Shuffle(len(docs), func(i, j int) { docs[i], docs[j] = docs[j], docs[i] })
	var instances []PretrainingInstance
	for pass := 0; pass < opts.DupeFactor; pass++ {
		for i := range docs {
			if err := display.CheckInterrupt(); err != nil {
				return instances, err
			}
			instances = append(instances, instancesFromDocument(rng, docs, i, vocabWords, opts)...)
		}
	}
	rng.Shuffle(len(instances), func(i, j int) { instances[i], instances[j] = instances[j], instances[i] })
	return instances, nil
}

// randInt returns a uniform integer in [lo, hi], like Python's random.randint.
func randInt(rng *rand.Rand, lo, hi int) int {
	return lo + rng.IntN(hi-lo+1)
}

func instancesFromDocument(rng *rand.Rand, docs [][][]string, docIndex int, vocabWords []string, opts PretrainingOptions) []PretrainingInstance {
	if opts.MLMOnly {
		return singleSegmentInstances(rng, docs[docIndex], vocabWords, opts)
	}
	doc := docs[docIndex]
	maxTokens := opts.MaxSeqLength - 3 // [CLS], [SEP], [SEP]
	// Usually fill the whole sequence; sometimes a shorter one, so the model also
	// sees the short inputs it will get when fine-tuned.
	target := maxTokens
	if rng.Float64() < opts.ShortSeqProb {
		target = randInt(rng, 2, maxTokens)
	}
	var instances []PretrainingInstance
	var chunk [][]string
	length := 0
	for i := 0; i < len(doc); i++ {
		chunk = append(chunk, doc[i])
		length += len(doc[i])
		if i != len(doc)-1 && length < target {
			continue
		}
		// The chunk is full (or the document ended): split it into A and B.
		aEnd := 1
		if len(chunk) >= 2 {
			aEnd = randInt(rng, 1, len(chunk)-1)
		}
		var a, b []string
		for _, s := range chunk[:aEnd] {
			a = append(a, s...)
		}
		isRandomNext := len(chunk) == 1 || rng.Float64() < 0.5
		if isRandomNext {
			targetB := target - len(a)
			other := docIndex
			for try := 0; try < 10 && other == docIndex; try++ {
				other = rng.IntN(len(docs))
			}
			random := docs[other]
			for j := rng.IntN(len(random)); j < len(random); j++ {
				b = append(b, random[j]...)
				if len(b) >= targetB {
					break
				}
			}
			// Put back the chunk's unused sentences, so they are not wasted.
			i -= len(chunk) - aEnd
		} else {
			for _, s := range chunk[aEnd:] {
				b = append(b, s...)
			}
		}
		a, b = truncatePair(rng, a, b, maxTokens)
		if len(a) >= 1 && len(b) >= 1 {
			tokens := make([]string, 0, len(a)+len(b)+3)
			segments := make([]int, 0, cap(tokens))
			tokens = append(append(append(tokens, "[CLS]"), a...), "[SEP]")
			for range tokens {
				segments = append(segments, 0)
			}
			tokens = append(append(tokens, b...), "[SEP]")
			for len(segments) < len(tokens) {
				segments = append(segments, 1)
			}
			masked, positions, labels := maskTokens(rng, tokens, vocabWords, opts)
			instances = append(instances, PretrainingInstance{Tokens: masked, SegmentIDs: segments,
				IsRandomNext: isRandomNext, MaskedPositions: positions, MaskedLabels: labels})
		}
		chunk, length = nil, 0
	}
	return instances
}

// singleSegmentInstances packs a document's consecutive sentences into
// chunks of at most a target length (shorter with ShortSeqProb, as for pairs)
// and makes each chunk one segment, [CLS] text [SEP]. A sentence that would
// overflow the chunk starts the next one, so no sentence is split off from its
// context or replaced by another document's text; only a sentence longer than
// the whole sequence is cut, from a random end, as pairs are.
func singleSegmentInstances(rng *rand.Rand, doc [][]string, vocabWords []string, opts PretrainingOptions) []PretrainingInstance {
	maxTokens := opts.MaxSeqLength - 2 // [CLS], [SEP]
	target := maxTokens
	if rng.Float64() < opts.ShortSeqProb {
		target = randInt(rng, 2, maxTokens)
	}
	var instances []PretrainingInstance
	emit := func(text []string) {
		text, _ = truncatePair(rng, text, nil, maxTokens)
		tokens := make([]string, 0, len(text)+2)
		tokens = append(append(append(tokens, "[CLS]"), text...), "[SEP]")
		masked, positions, labels := maskTokens(rng, tokens, vocabWords, opts)
		instances = append(instances, PretrainingInstance{Tokens: masked, SegmentIDs: make([]int, len(tokens)),
			MaskedPositions: positions, MaskedLabels: labels})
	}
	var text []string
	for _, sentence := range doc {
		if len(text) > 0 && len(text)+len(sentence) > target {
			emit(text)
			text = nil
		}
		text = append(text, sentence...)
	}
	if len(text) > 0 {
		emit(text)
	}
	return instances
}

// truncatePair shortens the longer of a and b one token at a time, from the
// front or the back at random, until both fit in maxTokens together.
func truncatePair(rng *rand.Rand, a, b []string, maxTokens int) ([]string, []string) {
	for len(a)+len(b) > maxTokens {
		longer := &b
		if len(a) > len(b) {
			longer = &a
		}
		if rng.Float64() < 0.5 {
			*longer = (*longer)[1:]
		} else {
			*longer = (*longer)[:len(*longer)-1]
		}
	}
	return a, b
}

// salientFirst reorders candidate words (lists of token positions) so that
// the salient ones come first, keeping the random order within each part.
func salientFirst(candidates [][]int, tokens []string, salient []string) [][]int {
	isSalient := make(map[string]bool, len(salient))
	for _, w := range salient {
		isSalient[strings.ToLower(w)] = true
	}
	var first, rest [][]int
	for _, word := range candidates {
		var b strings.Builder
		for _, i := range word {
			b.WriteString(strings.TrimPrefix(tokens[i], "##"))
		}
		if isSalient[b.String()] {
			first = append(first, word)
		} else {
			rest = append(rest, word)
		}
	}
	return append(first, rest...)
}

// maskTokens picks round-half-even(len·MaskedLMProb) positions (at least 1, at
// most MaxPredictionsPerSeq; never [CLS]/[SEP]; with WholeWordMask, all pieces of
// a word or none; SalientWords first) and replaces each by [MASK] 80% of the time, by itself 10%,
// and by a random vocabulary word 10%. Positions come back in increasing order.
func maskTokens(rng *rand.Rand, tokens []string, vocabWords []string, opts PretrainingOptions) ([]string, []int, []string) {
	var candidates [][]int
	for i, tok := range tokens {
		if tok == "[CLS]" || tok == "[SEP]" {
			continue
		}
		if opts.WholeWordMask && len(candidates) > 0 && strings.HasPrefix(tok, "##") {
			candidates[len(candidates)-1] = append(candidates[len(candidates)-1], i)
			continue
		}
		candidates = append(candidates, []int{i})
	}
	rng.Shuffle(len(candidates), func(i, j int) { candidates[i], candidates[j] = candidates[j], candidates[i] })
	if len(opts.SalientWords) > 0 {
		candidates = salientFirst(candidates, tokens, opts.SalientWords)
	}

	numToPredict := min(opts.MaxPredictionsPerSeq, max(1, int(math.RoundToEven(float64(len(tokens))*opts.MaskedLMProb))))
	output := append([]string(nil), tokens...)
	chosen := make([]bool, len(tokens))
	count := 0
	for _, word := range candidates {
		if count >= numToPredict {
			break
		}
		if count+len(word) > numToPredict {
			continue // a whole word that does not fit; a shorter one may
		}
		for _, i := range word {
			chosen[i] = true
			count++
			switch {
			case rng.Float64() < 0.8:
				output[i] = "[MASK]"
			case rng.Float64() < 0.5:
				// keep the original token
			default:
				output[i] = vocabWords[rng.IntN(len(vocabWords))]
			}
		}
	}
	var positions []int
	var labels []string
	for i, c := range chosen {
		if c {
			positions = append(positions, i)
			labels = append(labels, tokens[i])
		}
	}
	return output, positions, labels
}
