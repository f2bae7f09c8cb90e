package multimodal

import (
	"fmt"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/bert"
	"github.com/turinglab/turinglab/nn"
	"github.com/turinglab/turinglab/tokenizer"
)

// FusionModel answers questions about a picture or a sound with one
// transformer over both: the question's tokens (BERT embeddings) followed by
// the media's patch tokens (a PatchEmbedding) plus a learned modality-type
// vector, through BERT's encoder blocks, so every text token can attend to
// every patch and back (early fusion, as in ViLT). The final states of all
// tokens are averaged (padding excluded) and go to ViLT's VQA classifier
// (Linear to 2·hidden, LayerNorm, GELU, Linear to the answers). Averaging
// instead of reading the [CLS] state is a deliberate choice for these tiny
// models trained for a few hundred steps: every media token then gets a
// direct gradient, and colour questions are learned within ~300 steps where
// the [CLS] readout still answered from the question alone.
// Names: "media_type", "text_embeddings.*", "media_embeddings.*",
// "encoder.*", "classifier.{0,1,3}.*".
//
// NewCrossAttentionFusionModel builds the other variant, cross-attention
// fusion (as in LXMERT and ALBEF): Encoder reads the question alone,
// MediaEncoder the media tokens alone, and then one CrossAttention block
// lets every question token attend to the encoded media tokens; the
// question tokens' final states are averaged for the head. Its extra names:
// "media_encoder.*", "cross_attention.*".
type FusionModel struct {
	TextEmbed  *bert.Embeddings
	MediaEmbed *PatchEmbedding
	MediaType  *autograd.Tensor // [hidden], added to every media token
	Encoder    *bert.Encoder
	Head       *nn.Sequential
	// MediaEncoder and Cross are set in the cross-attention variant only
	// (nil for early fusion).
	MediaEncoder *bert.Encoder
	Cross        *CrossAttention

	Tok     *tokenizer.BertTokenizer
	Answers []string
	Config  *bert.Config
}

// NewFusionModel builds the model for media of numPatches × patchDim, the
// tokenizer's vocabulary and the given answers, shaped by cfg (its
// VocabSize is set from the tokenizer).
func NewFusionModel(cfg *bert.Config, tok *tokenizer.BertTokenizer, numPatches, patchDim int, answers []string, rng *autograd.RNG) (*FusionModel, error) {
	if len(answers) < 2 {
		return nil, fmt.Errorf("multimodal.NewFusionModel: need at least 2 answers, got %v", answers)
	}
	c := cfg.Clone()
	c.VocabSize = tok.Vocab.Size()
	if err := c.Validate(); err != nil {
		return nil, fmt.Errorf("multimodal.NewFusionModel: %w", err)
	}
	return &FusionModel{
		TextEmbed:  bert.NewEmbeddings(c, rng),
		MediaEmbed: NewPatchEmbedding(numPatches, patchDim, c.HiddenSize, float32(c.LayerNormEps), rng),
		MediaType:  autograd.Normal(rng, 0, 0.02, c.HiddenSize).SetRequiresGrad(true),
		Encoder:    bert.NewEncoder(c, rng),
		Head: nn.NewSequential(
			nn.NewLinear(c.HiddenSize, 2*c.HiddenSize, true, rng),
			nn.NewLayerNorm(2*c.HiddenSize, float32(c.LayerNormEps)),
			nn.NewGELU(),
			nn.NewLinear(2*c.HiddenSize, len(answers), true, rng)),
		Tok: tok, Answers: append([]string{}, answers...), Config: c,
	}, nil
}

// NewCrossAttentionFusionModel builds the cross-attention variant for the
// same inputs as NewFusionModel: a question encoder and a media encoder,
// each with cfg's layers, and one CrossAttention block of cfg's hidden,
// heads and intermediate sizes from the question to the media.
func NewCrossAttentionFusionModel(cfg *bert.Config, tok *tokenizer.BertTokenizer, numPatches, patchDim int, answers []string, rng *autograd.RNG) (*FusionModel, error) {
	f, err := NewFusionModel(cfg, tok, numPatches, patchDim, answers, rng)
	if err != nil {
		return nil, fmt.Errorf("multimodal.NewCrossAttentionFusionModel: %w", err)
	}
	c := f.Config
	f.MediaEncoder = bert.NewEncoder(c, rng)
	if f.Cross, err = NewCrossAttention(c.HiddenSize, c.NumAttentionHeads, c.IntermediateSize, float32(c.LayerNormEps), rng); err != nil {
		return nil, fmt.Errorf("multimodal.NewCrossAttentionFusionModel: %w", err)
	}
	return f, nil
}

// Forward returns answer logits [batch, len(Answers)] for questions about
// patches [batch, N, patchDim] (question i is about patches[i]).
func (f *FusionModel) Forward(patches *autograd.Tensor, questions []string) (*autograd.Tensor, error) {
	if patches.Size(0) != len(questions) {
		return nil, fmt.Errorf("multimodal.FusionModel: %d media items but %d questions", patches.Size(0), len(questions))
	}
	encs, err := f.Tok.EncodeBatch(questions, tokenizer.EncodeOptions{MaxLength: 32, Truncation: tokenizer.TruncateLongestFirst, Padding: tokenizer.PadLongest})
	if err != nil {
		return nil, err
	}
	in, err := bert.InputsFromEncodings(encs)
	if err != nil {
		return nil, err
	}
	text := f.TextEmbed.Forward(in)                         // [B, T, H]
	media := f.MediaEmbed.Forward(patches).Add(f.MediaType) // [B, 1+N, H]
	if f.Cross != nil {
		return f.crossForward(text, media, in.AttentionMask)
	}
	h := autograd.Cat([]*autograd.Tensor{text, media}, 1) // [B, T+1+N, H]
	mask := make([]int, 0, in.Batch*h.Size(1))
	for b := 0; b < in.Batch; b++ {
		mask = append(mask, in.AttentionMask[b*in.SeqLen:(b+1)*in.SeqLen]...)
		for i := 0; i < media.Size(1); i++ {
			mask = append(mask, 1)
		}
	}
	out, err := f.Encoder.Forward(h, mask, false, false)
	if err != nil {
		return nil, err
	}
	return f.Head.Forward(MeanPool(out.LastHiddenState, mask)), nil
}

// crossForward is Forward of the cross-attention variant: each modality
// through its own encoder, then the question tokens attend to the media.
func (f *FusionModel) crossForward(text, media *autograd.Tensor, mask []int) (*autograd.Tensor, error) {
	t, err := f.Encoder.Forward(text, mask, false, false)
	if err != nil {
		return nil, err
	}
	m, err := f.MediaEncoder.Forward(media, nil, false, false)
	if err != nil {
		return nil, err
	}
	fused, _ := f.Cross.Forward(t.LastHiddenState, m.LastHiddenState)
	return f.Head.Forward(MeanPool(fused, mask)), nil
}

// Loss is the cross-entropy of the answers' indices in Answers.
func (f *FusionModel) Loss(patches *autograd.Tensor, qas []QA) (*autograd.Tensor, error) {
	logits, err := f.Forward(patches, QuestionTexts(qas))
	if err != nil {
		return nil, err
	}
	targets, err := f.answerIDs(qas)
	if err != nil {
		return nil, err
	}
	return autograd.CrossEntropy(logits, targets, autograd.CrossEntropyOptions{}), nil
}

func (f *FusionModel) answerIDs(qas []QA) ([]int, error) {
	ids := make([]int, len(qas))
	for i, q := range qas {
		ids[i] = indexOf(f.Answers, q.Answer)
		if ids[i] < 0 {
			return nil, fmt.Errorf("multimodal.FusionModel: answer %q of %q is not one of %v", q.Answer, q.Question, f.Answers)
		}
	}
	return ids, nil
}

// Children lists the sub-modules.
func (f *FusionModel) Children() []nn.NamedModule {
	c := []nn.NamedModule{
		{Name: "text_embeddings", Module: f.TextEmbed}, {Name: "media_embeddings", Module: f.MediaEmbed},
		{Name: "encoder", Module: f.Encoder}, {Name: "classifier", Module: f.Head},
	}
	if f.Cross != nil {
		c = append(c, nn.NamedModule{Name: "media_encoder", Module: f.MediaEncoder}, nn.NamedModule{Name: "cross_attention", Module: f.Cross})
	}
	return c
}

// SetChild replaces the classifier (the other children are edited through
// their own SetChild).
func (f *FusionModel) SetChild(name string, m nn.Module) error {
	l, ok := m.(*nn.Sequential)
	if name != "classifier" || !ok {
		return fmt.Errorf("multimodal.FusionModel: can only replace classifier by *nn.Sequential (got %q, %T)", name, m)
	}
	f.Head = l
	return nil
}

// NamedParameters lists media_type, then the children's parameters.
func (f *FusionModel) NamedParameters(prefix string) []nn.NamedParameter {
	return append([]nn.NamedParameter{{Name: nn.Join(prefix, "media_type"), Tensor: f.MediaType}}, nn.ChildParameters(prefix, f.Children())...)
}

// SetTraining switches dropout in every sub-module.
func (f *FusionModel) SetTraining(train bool) { nn.SetChildrenTraining(f.Children(), train) }
