package gpt2

import (
	"errors"
	"fmt"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/display"
)

// GenerateOptions are the arguments of HF's generate() that are not in the
// generation config.
type GenerateOptions struct {
	// Streamer receives the prompt, then each new token as it is chosen,
	// then End (batch 1 only, as in HF); nil for none.
	Streamer Streamer
	// RNG draws the tokens when the config samples; required then, so that
	// a seeded generator gives the same text on every run.
	RNG *autograd.RNG
	// OutputScores keeps the processed scores of every step (HF
	// output_scores): what the arg max or the sampler chose from.
	OutputScores bool
	// OutputLogits keeps the raw logits of every step (HF output_logits).
	OutputLogits bool
	// NoCache recomputes every step from the whole sequence instead of
	// feeding only the new token with the keys and values kept from earlier
	// steps (HF use_cache=False). Same tokens, slower; for checking.
	NoCache bool
}

// GenerateOutput is what Generate returns (HF's GenerateDecoderOnlyOutput).
type GenerateOutput struct {
	// Sequences holds each row's input (left padding included) followed by
	// its generated tokens; a row that ended at EOS is filled with the pad
	// token while the others go on.
	Sequences [][]int
	// PromptLen is the number of input columns, so Sequences[b][PromptLen:]
	// is what row b generated (see NewTokens).
	PromptLen int
	// Scores and Logits, when asked for, hold one [batch, vocab] tensor per
	// step: the processed scores and the raw logits of the last position.
	Scores []*autograd.Tensor
	Logits []*autograd.Tensor
	// Interrupted is set when the stop button ended generation early;
	// Sequences then holds what was generated until then.
	Interrupted bool
}

// NewTokens returns the tokens generated for row b (padding after EOS
// included).
func (o *GenerateOutput) NewTokens(b int) []int { return o.Sequences[b][o.PromptLen:] }

// LeftPad pads prompts of different lengths on the left with padID to one
// length, as HF's tokenizer does with padding_side="left" for generation,
// and returns the ids with their attention mask (0 on padding).
func LeftPad(prompts [][]int, padID int) (ids, mask [][]int) {
	width := 0
	for _, p := range prompts {
		width = max(width, len(p))
	}
	for _, p := range prompts {
		row := make([]int, width)
		m := make([]int, width)
		for i := range row {
			if j := i - (width - len(p)); j >= 0 {
				row[i], m[i] = p[j], 1
			} else {
				row[i] = padID
			}
		}
		ids, mask = append(ids, row), append(mask, m)
	}
	return ids, mask
}

// Generate continues each prompt with the model, as HF's generate() does for
// greedy search (cfg.DoSample false) and multinomial sampling: prompts of
// different lengths are left-padded with the pad token (cfg.PadTokenID, or
// the first EOS token when it has none) and masked. A nil cfg is what HF's
// model.generation_config is without a generation_config.json: the defaults
// with the model config's special tokens (NewGenerationConfig); pass a
// checkpoint's Generation to use its file. See GeneratePadded.
func (m *LMHeadModel) Generate(prompts [][]int, cfg *GenerationConfig, opts *GenerateOptions) (*GenerateOutput, error) {
	if len(prompts) == 0 {
		return nil, fmt.Errorf("gpt2: Generate: no prompts")
	}
	if cfg == nil {
		cfg = NewGenerationConfig(m.Transformer.Config)
	}
	pad := padToken(cfg)
	for i, p := range prompts {
		if len(p) == 0 {
			return nil, fmt.Errorf("gpt2: Generate: prompt %d is empty (GPT-2 needs at least one token, e.g. <|endoftext|>)", i)
		}
		if len(p) != len(prompts[0]) && pad < 0 {
			return nil, fmt.Errorf("gpt2: Generate: prompts of different lengths need padding, but the config has neither pad_token_id nor eos_token_id")
		}
	}
	ids, mask := LeftPad(prompts, max(pad, 0))
	return m.GeneratePadded(ids, mask, cfg, opts)
}

// GeneratePadded continues a batch that is already padded: inputIDs rows of
// one length and their attentionMask (1 for real tokens, 0 for padding; nil
// means HF's default: 0 where the input holds pad_token_id when that differs
// from every EOS token, 1 everywhere else). It is HF's _sample loop:
//
//  1. Run the model on the new tokens (the whole prompt first, then only the
//     last chosen token, the earlier keys and values coming from the cache),
//     with position ids cumsum(mask) − 1 (1 on padding), so a left-padded
//     prompt sees the positions it has alone.
//  2. Process the last position's logits (cfg.LogitsProcessors: repetition
//     penalty, temperature, top-k, top-p) with every row's sequence so far.
//  3. Take the arg max, or sample softmax(scores) with opts.RNG.
//  4. Rows that already ended get the pad token instead; append; grow the
//     mask by a 1; a row ends when its token is an EOS token; stop when all
//     rows ended or the length limit (max_new_tokens past the input, else
//     max_length in all) is reached.
//
// The stop button ends the loop between steps (or inside the forward pass):
// the output then holds what was generated so far, Interrupted is set, and
// the error wraps display.ErrInterrupted. The streamer's End runs in every case.
func (m *LMHeadModel) GeneratePadded(inputIDs, attentionMask [][]int, cfg *GenerationConfig, opts *GenerateOptions) (*GenerateOutput, error) {
	if cfg == nil {
		cfg = NewGenerationConfig(m.Transformer.Config)
	}
	if opts == nil {
		opts = &GenerateOptions{}
	}
	g, err := newGeneration(m, inputIDs, attentionMask, cfg, opts)
	if err != nil {
		return nil, err
	}
	if s := opts.Streamer; s != nil {
		if err := s.Put(g.sequences[0]); err != nil {
			return nil, err
		}
	}
	err = g.run()
	if s := opts.Streamer; s != nil {
		if endErr := s.End(); err == nil {
			err = endErr
		}
	}
	if err != nil && !g.out.Interrupted {
		return nil, err
	}
	g.out.Sequences = g.sequences
	return g.out, err
}

// generation is the state of one generate() call.
type generation struct {
	model      *LMHeadModel
	cfg        *GenerationConfig
	opts       *GenerateOptions
	processors LogitsProcessorList
	pad        int
	maxLength  int

	sequences  [][]int // every row so far
	mask       [][]int // attention mask over sequences
	unfinished []bool
	past       *Cache
	out        *GenerateOutput
}

// newGeneration checks the inputs and settings and prepares the loop.
func newGeneration(m *LMHeadModel, inputIDs, attentionMask [][]int, cfg *GenerationConfig, opts *GenerateOptions) (*generation, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if err := checkSupported(cfg); err != nil {
		return nil, err
	}
	if cfg.NumBeams > 1 {
		return nil, fmt.Errorf("gpt2: beam search (num_beams %d) is not implemented; set NumBeams to 1", cfg.NumBeams)
	}
	if len(inputIDs) == 0 || len(inputIDs[0]) == 0 {
		return nil, fmt.Errorf("gpt2: GeneratePadded: empty input")
	}
	batch, width := len(inputIDs), len(inputIDs[0])
	if cfg.DoSample && opts.RNG == nil {
		return nil, fmt.Errorf("gpt2: sampling (do_sample) needs GenerateOptions.RNG, e.g. autograd.NewRNG(seed)")
	}
	if opts.Streamer != nil && batch > 1 {
		return nil, fmt.Errorf("gpt2: a streamer takes one sequence, the batch has %d (as HF's TextStreamer)", batch)
	}
	g := &generation{
		model: m, cfg: cfg, opts: opts, processors: cfg.LogitsProcessors(), pad: padToken(cfg),
		unfinished: make([]bool, batch), out: &GenerateOutput{PromptLen: width},
	}
	g.maxLength = cfg.MaxLength
	if cfg.MaxNewTokens > 0 {
		g.maxLength = width + cfg.MaxNewTokens
	}
	if width >= g.maxLength {
		return nil, fmt.Errorf("gpt2: the input has %d tokens but max_length is %d: nothing to generate (set MaxNewTokens)", width, g.maxLength)
	}
	if n := m.Transformer.Config.NPositions; g.maxLength > n {
		// The longest row's last token sits at position maxLength − 1.
		return nil, fmt.Errorf("gpt2: generating up to %d tokens needs more than the model's %d positions (n_positions); ask for fewer new tokens", g.maxLength, n)
	}
	for b := range inputIDs {
		if len(inputIDs[b]) != width {
			return nil, fmt.Errorf("gpt2: input row %d has %d tokens, row 0 has %d (pad the batch, or use Generate)", b, len(inputIDs[b]), width)
		}
		g.sequences = append(g.sequences, append([]int(nil), inputIDs[b]...))
		g.unfinished[b] = true
		var row []int
		switch {
		case attentionMask != nil:
			if len(attentionMask) != batch || len(attentionMask[b]) != width {
				return nil, fmt.Errorf("gpt2: attention mask row %d does not match input ids [%d, %d]", b, batch, width)
			}
			row = append([]int(nil), attentionMask[b]...)
		default:
			row = defaultMaskRow(inputIDs[b], cfg)
		}
		g.mask = append(g.mask, row)
	}
	return g, nil
}

// run is the decoding loop; it leaves what it generated in g.sequences even
// when it fails.
func (g *generation) run() error {
	for step := 0; ; step++ {
		if err := display.CheckInterrupt(); err != nil {
			return g.interrupted(err)
		}
		logits, err := g.nextLogits(step)
		if err != nil {
			if errors.Is(err, display.ErrInterrupted) {
				return g.interrupted(err)
			}
			return err
		}
		scores, err := g.processors.Process(g.sequences, logits)
		if err != nil {
			return err
		}
		if g.opts.OutputScores {
			g.out.Scores = append(g.out.Scores, scores)
		}
		if g.opts.OutputLogits {
			g.out.Logits = append(g.out.Logits, logits)
		}
		var next []int
		if g.cfg.DoSample {
			next, err = SampleTokens(scores, g.opts.RNG)
		} else {
			next, err = ArgMax(scores)
		}
		if err != nil {
			return fmt.Errorf("gpt2: step %d: %w", step, err)
		}
		if len(g.cfg.EOSTokenID) > 0 {
			for b := range next {
				if !g.unfinished[b] {
					next[b] = g.pad
				}
			}
		}
		for b := range next {
			g.sequences[b] = append(g.sequences[b], next[b])
			g.mask[b] = append(g.mask[b], 1)
		}
		if s := g.opts.Streamer; s != nil {
			if err := s.Put(next[:1]); err != nil {
				return err
			}
		}
		if g.finished(next) {
			return nil
		}
	}
}

// nextLogits runs the model for one step and returns the raw logits of the
// last position, [batch, vocab]. With the cache, step 0 feeds the whole input
// and later steps only the token chosen last.
func (g *generation) nextLogits(step int) (*autograd.Tensor, error) {
	batch, keys := len(g.sequences), len(g.sequences[0])
	seq := keys
	if step > 0 && !g.opts.NoCache {
		seq = 1
	}
	in := &Inputs{Batch: batch, SeqLen: seq, UseCache: !g.opts.NoCache}
	if !g.opts.NoCache {
		in.Past = g.past
	}
	for b := 0; b < batch; b++ {
		in.InputIDs = append(in.InputIDs, g.sequences[b][keys-seq:]...)
		in.AttentionMask = append(in.AttentionMask, g.mask[b]...)
	}
	var err error
	if in.PositionIDs, err = PositionIDsFromMask(in.AttentionMask, batch, keys, seq); err != nil {
		return nil, err
	}
	var out *LMOutput
	autograd.NoGrad(func() { out, err = g.model.Forward(in, nil) })
	if err != nil {
		return nil, fmt.Errorf("gpt2: generation step %d: %w", step, err)
	}
	g.past = out.Cache
	vocab := out.Logits.Size(2)
	all := out.Logits.Data()
	last := make([]float32, 0, batch*vocab)
	for b := 0; b < batch; b++ {
		start := (b*seq + seq - 1) * vocab
		last = append(last, all[start:start+vocab]...)
	}
	return autograd.New(last, batch, vocab), nil
}

// finished applies HF's stopping criteria after a step: a row whose new
// token is an EOS token ends; everything ends at the length limit. It
// reports whether generation is over.
func (g *generation) finished(next []int) bool {
	atLimit := len(g.sequences[0]) >= g.maxLength
	anyLeft := false
	for b, tok := range next {
		if atLimit || isEOS(g.cfg, tok) {
			g.unfinished[b] = false
		}
		anyLeft = anyLeft || g.unfinished[b]
	}
	return !anyLeft
}

// interrupted marks the output as stopped by the user and wraps err.
func (g *generation) interrupted(err error) error {
	g.out.Interrupted = true
	return fmt.Errorf("gpt2: generation stopped after %d new tokens: %w", len(g.sequences[0])-g.out.PromptLen, err)
}

// padToken is the id written after EOS and used for left padding:
// pad_token_id, or the first EOS id when it is unset (HF: "Setting
// pad_token_id to eos_token_id for open-end generation"), or −1 when there is
// neither.
func padToken(cfg *GenerationConfig) int {
	if cfg.PadTokenID != nil {
		return *cfg.PadTokenID
	}
	if len(cfg.EOSTokenID) > 0 {
		return cfg.EOSTokenID[0]
	}
	return -1
}

// isEOS reports whether tok ends a sequence under cfg.
func isEOS(cfg *GenerationConfig, tok int) bool {
	for _, e := range cfg.EOSTokenID {
		if tok == e {
			return true
		}
	}
	return false
}

// defaultMaskRow is HF's _prepare_attention_mask_for_generation for one row
// without a mask: 0 on pad_token_id when a pad token is set and is not an
// EOS token, 1 everywhere else.
func defaultMaskRow(ids []int, cfg *GenerationConfig) []int {
	row := make([]int, len(ids))
	maskPad := cfg.PadTokenID != nil && !isEOS(cfg, *cfg.PadTokenID)
	for i, id := range ids {
		if !maskPad || id != *cfg.PadTokenID {
			row[i] = 1
		}
	}
	return row
}
