package data

import (
	"fmt"
	"io"
	"math/rand/v2"
)

// PretrainingCorpus is a plain-text file turned into pretraining instances:
// the documents split into a training part and a held-out part (whole
// documents, so no held-out sentence was seen in training).
type PretrainingCorpus struct {
	Path             string
	Train            []PretrainingInstance
	HeldOut          []PretrainingInstance
	TrainDocuments   int
	HeldOutDocuments int
}

// Summary says in one line what was made.
func (c *PretrainingCorpus) Summary() string {
	return fmt.Sprintf("%s: %d training instances from %d documents, %d held-out instances from %d documents",
		c.Path, len(c.Train), c.TrainDocuments, len(c.HeldOut), c.HeldOutDocuments)
}

// String is the summary.
func (c *PretrainingCorpus) String() string { return c.Summary() }

// PretrainingFromFile is the one call from your own text file (one sentence
// per line, a blank line between documents; see CorpusReader) to pretraining
// instances: it reads and tokenizes the corpus (tokenize is e.g. a WordPiece
// tokenizer's Tokenize, vocabWords its vocabulary in id order), holds out
// heldOutFraction of the documents (chosen at random with opts.Seed; at least
// one when the fraction is positive and there are two or more documents), and
// makes instances with CreatePretrainingInstances: the training ones with
// opts, the held-out ones with one pass (DupeFactor 1) and the next seed.
func PretrainingFromFile(path string, tokenize func(string) []string, vocabWords []string, opts PretrainingOptions, heldOutFraction float64) (*PretrainingCorpus, error) {
	const op = "data.PretrainingFromFile"
	if heldOutFraction < 0 || heldOutFraction >= 1 {
		return nil, fmt.Errorf("%s: heldOutFraction %v outside [0, 1)", op, heldOutFraction)
	}
	docs, err := LoadCorpus(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	var tokenized [][][]string
	for _, d := range docs {
		if t := tokenizeDocument(d, tokenize); len(t) > 0 {
			tokenized = append(tokenized, t)
		}
	}
	if len(tokenized) == 0 {
		return nil, fmt.Errorf("%s: %s has no documents with tokens (one sentence per line, a blank line between documents)", op, path)
	}
	heldOut := int(heldOutFraction*float64(len(tokenized)) + 0.5)
	if heldOutFraction > 0 && heldOut == 0 && len(tokenized) >= 2 {
		heldOut = 1
	}
	order := newRand(opts.Seed).Perm(len(tokenized))
	isHeldOut := make([]bool, len(tokenized))
	for _, i := range order[:heldOut] {
		isHeldOut[i] = true
	}
	var trainDocs, heldOutDocs [][][]string
	for i, d := range tokenized {
		if isHeldOut[i] {
			heldOutDocs = append(heldOutDocs, d)
		} else {
			trainDocs = append(trainDocs, d)
		}
	}
	c := &PretrainingCorpus{Path: path, TrainDocuments: len(trainDocs), HeldOutDocuments: len(heldOutDocs)}
	if c.Train, err = CreatePretrainingInstances(trainDocs, vocabWords, opts); err != nil {
		return nil, fmt.Errorf("%s: %s: %w", op, path, err)
	}
	if len(heldOutDocs) > 0 {
		heldOutOpts := opts
		heldOutOpts.Seed++
		heldOutOpts.DupeFactor = 1
		if c.HeldOut, err = CreatePretrainingInstances(heldOutDocs, vocabWords, heldOutOpts); err != nil {
			return nil, fmt.Errorf("%s: %s: %w", op, path, err)
		}
	}
	return c, nil
}

// epochRand is the random source of one epoch's dynamic masks: a function of
// the seed and the epoch alone, so epoch e is the same in every run.
func epochRand(seed uint64, epoch int) *rand.Rand {
	return rand.New(rand.NewPCG(seed, 0x5851f42d4c957f2d+uint64(epoch)))
}

// RemaskInstances gives instances fresh masked-LM predictions for an epoch
// (dynamic masking, as RoBERTa): the original tokens are restored and masked
// again with the rules of CreatePretrainingInstances (opts' MaskedLMProb,
// MaxPredictionsPerSeq, WholeWordMask, SalientWords), from a random source
// fixed by opts.Seed and epoch. Pairs and segments stay; the input is not
// changed.
func RemaskInstances(instances []PretrainingInstance, vocabWords []string, opts PretrainingOptions, epoch int) []PretrainingInstance {
	rng := epochRand(opts.Seed, epoch)
	out := make([]PretrainingInstance, len(instances))
	for i, inst := range instances {
		original := append([]string(nil), inst.Tokens...)
		for k, pos := range inst.MaskedPositions {
			original[pos] = inst.MaskedLabels[k]
		}
		masked, positions, labels := maskTokens(rng, original, vocabWords, opts)
		out[i] = PretrainingInstance{Tokens: masked, SegmentIDs: inst.SegmentIDs, IsRandomNext: inst.IsRandomNext,
			MaskedPositions: positions, MaskedLabels: labels}
	}
	return out
}

// PretrainingStream makes pretraining instances on the fly from a corpus
// read from disk, for corpora larger than memory: it reads BufferDocuments
// documents at a time, tokenizes them, makes instances from them as
// CreatePretrainingInstances does (the random "next" sentence B comes from
// another document of the same buffer), shuffles them, and hands them out.
// Every epoch re-reads the file with a random source fixed by the seed and
// the epoch, so each epoch has new pairs and new masks (dynamic masking, as
// RoBERTa) and the same epoch is the same in every run. DupeFactor is not
// used: epochs are the passes.
type PretrainingStream struct {
	corpus     *CorpusReader
	tokenize   func(string) []string
	vocabWords []string
	opts       PretrainingOptions
	buffer     int
	epoch      int
	rng        *rand.Rand
	pending    []PretrainingInstance
	served     int
}

// OpenPretrainingStream opens path for streaming with the given options;
// bufferDocuments (default 1000 when 0) is how many documents are in memory
// at once. It starts at epoch 0.
func OpenPretrainingStream(path string, tokenize func(string) []string, vocabWords []string, opts PretrainingOptions, bufferDocuments int) (*PretrainingStream, error) {
	const op = "data.OpenPretrainingStream"
	if opts.MaxSeqLength < 5 {
		return nil, fmt.Errorf("%s: MaxSeqLength %d is too short (need room for [CLS], [SEP], [SEP] and two tokens)", op, opts.MaxSeqLength)
	}
	if len(vocabWords) == 0 {
		return nil, fmt.Errorf("%s: vocabWords is empty", op)
	}
	if bufferDocuments < 0 {
		return nil, fmt.Errorf("%s: negative bufferDocuments %d", op, bufferDocuments)
	}
	if bufferDocuments == 0 {
		bufferDocuments = 1000
	}
	corpus, err := OpenCorpus(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	s := &PretrainingStream{corpus: corpus, tokenize: tokenize, vocabWords: vocabWords, opts: opts, buffer: bufferDocuments}
	s.rng = epochRand(opts.Seed, 0)
	return s, nil
}

// Options returns the options the stream makes instances with.
func (s *PretrainingStream) Options() PretrainingOptions { return s.opts }

// Epoch returns the epoch being read.
func (s *PretrainingStream) Epoch() int { return s.epoch }

// Served returns how many instances this epoch has handed out.
func (s *PretrainingStream) Served() int { return s.served }

// StartEpoch rewinds the corpus and starts epoch e: its pairs and masks are
// those of epoch e in every run.
func (s *PretrainingStream) StartEpoch(epoch int) error {
	if err := s.corpus.Rewind(); err != nil {
		return err
	}
	s.epoch, s.rng, s.pending, s.served = epoch, epochRand(s.opts.Seed, epoch), nil, 0
	return nil
}

// Next returns the next instance of the epoch, or io.EOF when the epoch is
// over (call StartEpoch for the next one).
func (s *PretrainingStream) Next() (PretrainingInstance, error) {
	for len(s.pending) == 0 {
		if err := s.fill(); err != nil {
			return PretrainingInstance{}, err
		}
	}
	inst := s.pending[0]
	s.pending = s.pending[1:]
	s.served++
	return inst, nil
}

// NextBatch returns up to n instances; fewer at the end of the epoch, and
// io.EOF when none are left.
func (s *PretrainingStream) NextBatch(n int) ([]PretrainingInstance, error) {
	var batch []PretrainingInstance
	for len(batch) < n {
		inst, err := s.Next()
		if err == io.EOF && len(batch) > 0 {
			return batch, nil
		}
		if err != nil {
			return nil, err
		}
		batch = append(batch, inst)
	}
	return batch, nil
}

// Skip discards n instances of the epoch: how a resumed run returns to where
// it stopped.
func (s *PretrainingStream) Skip(n int) error {
	for range n {
		if _, err := s.Next(); err != nil {
			return fmt.Errorf("data.PretrainingStream: skipping %d instances of epoch %d: %w", n, s.epoch, err)
		}
	}
	return nil
}

// fill reads the next buffer of documents and makes their instances.
func (s *PretrainingStream) fill() error {
	var docs [][][]string
	for len(docs) < s.buffer {
		doc, err := s.corpus.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		if t := tokenizeDocument(doc, s.tokenize); len(t) > 0 {
			docs = append(docs, t)
		}
	}
	if len(docs) == 0 {
		return io.EOF
	}
	for i := range docs {
		s.pending = append(s.pending, instancesFromDocument(s.rng, docs, i, s.vocabWords, s.opts)...)
	}
	s.rng.Shuffle(len(s.pending), func(i, j int) { s.pending[i], s.pending[j] = s.pending[j], s.pending[i] })
	return nil
}

// Close closes the corpus file.
func (s *PretrainingStream) Close() error { return s.corpus.Close() }
