package multimodal

import (
	"fmt"
	"math"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/nn"
)

// L2Normalize scales each row of x [batch, dim] to unit Euclidean length
// (torch.nn.functional.normalize with eps 1e-12), so that the dot product
// of two rows is their cosine similarity.
func L2Normalize(x *autograd.Tensor) *autograd.Tensor {
	return x.Div(x.Norm(2, true, x.Dim()-1).ClampMin(1e-12))
}

// MaxLogitScale caps exp(logit scale) at 100, as CLIP does, so the
// temperature cannot shrink until the softmax saturates.
const MaxLogitScale = 100

// CLIPLoss is CLIP's symmetric contrastive loss for a batch of B matching
// pairs: a [B, D] and b [B, D] are normalised embeddings where row i of a
// belongs with row i of b; logitScale is the scalar log of the inverse
// temperature.
//
//	logits = min(exp(logitScale), 100) · a·bᵀ          [B, B]
//	loss   = ½ (CE(logits, 0..B−1) + CE(logitsᵀ, 0..B−1))
//
// Each row is a B-way classification "which caption is mine?", each column
// "which image is mine?"; every other item of the batch is a negative.
func CLIPLoss(a, b, logitScale *autograd.Tensor) *autograd.Tensor {
	sa, sb := a.Shape(), b.Shape()
	if len(sa) != 2 || len(sb) != 2 || sa[0] != sb[0] || sa[1] != sb[1] {
		panic(fmt.Sprintf("multimodal.CLIPLoss: embeddings have shapes %v and %v, expected two equal [batch, dim]", sa, sb))
	}
	if logitScale.Numel() != 1 {
		panic(fmt.Sprintf("multimodal.CLIPLoss: logit scale has shape %v, expected a scalar", logitScale.Shape()))
	}
	targets := make([]int, sa[0])
	for i := range targets {
		targets[i] = i
	}
	logits := a.MatMul(b.T()).Mul(logitScale.Reshape().Exp().ClampMax(MaxLogitScale))
	l1 := autograd.CrossEntropy(logits, targets, autograd.CrossEntropyOptions{})
	l2 := autograd.CrossEntropy(logits.T().Contiguous(), targets, autograd.CrossEntropyOptions{})
	return l1.Add(l2).MulScalar(0.5)
}

// DualEncoder is a CLIP-style model: a media tower (images or sounds) and a
// text tower, each followed by a linear projection (no bias, as in CLIP)
// into one shared space of ProjectionDim, where matching pairs should have
// the highest cosine similarity. LogitScale starts at log(1/0.07), CLIP's
// initial temperature, and is learned.
// Names: "media.*", "text.*", "media_projection.weight",
// "text_projection.weight", "logit_scale".
type DualEncoder struct {
	Media          *PatchEncoder
	Text           *TextEncoder
	MediaProj      *nn.Linear
	TextProj       *nn.Linear
	LogitScale     *autograd.Tensor // scalar
	ProjectionDims int
}

// NewDualEncoder joins two towers with projections to dim dimensions.
func NewDualEncoder(media *PatchEncoder, text *TextEncoder, dim int, rng *autograd.RNG) *DualEncoder {
	if media == nil || text == nil || dim < 1 {
		panic(fmt.Sprintf("multimodal.NewDualEncoder: need both towers and dim >= 1 (got dim %d)", dim))
	}
	return &DualEncoder{
		Media:          media,
		Text:           text,
		MediaProj:      nn.NewLinear(media.Config.HiddenSize, dim, false, rng),
		TextProj:       nn.NewLinear(text.Bert.Config.HiddenSize, dim, false, rng),
		LogitScale:     autograd.Scalar(float32(math.Log(1 / 0.07))).SetRequiresGrad(true),
		ProjectionDims: dim,
	}
}

// EmbedMedia is the normalised media embedding [batch, dim] of patches.
func (m *DualEncoder) EmbedMedia(patches *autograd.Tensor) (*autograd.Tensor, error) {
	_, pooled, err := m.Media.Forward(patches)
	if err != nil {
		return nil, err
	}
	return L2Normalize(m.MediaProj.Forward(pooled)), nil
}

// EmbedText is the normalised text embedding [len(texts), dim].
func (m *DualEncoder) EmbedText(texts []string) (*autograd.Tensor, error) {
	pooled, err := m.Text.Forward(texts)
	if err != nil {
		return nil, err
	}
	return L2Normalize(m.TextProj.Forward(pooled)), nil
}

// Loss is CLIPLoss on a batch of matching (patches[i], texts[i]) pairs.
func (m *DualEncoder) Loss(patches *autograd.Tensor, texts []string) (*autograd.Tensor, error) {
	if patches.Size(0) != len(texts) {
		return nil, fmt.Errorf("multimodal.DualEncoder.Loss: %d media items but %d texts", patches.Size(0), len(texts))
	}
	a, err := m.EmbedMedia(patches)
	if err != nil {
		return nil, err
	}
	b, err := m.EmbedText(texts)
	if err != nil {
		return nil, err
	}
	return CLIPLoss(a, b, m.LogitScale), nil
}

// Temperature is the current softmax temperature 1/exp(logit scale).
func (m *DualEncoder) Temperature() float64 {
	return 1 / math.Min(MaxLogitScale, math.Exp(float64(m.LogitScale.Item())))
}

// Children lists the towers and projections.
func (m *DualEncoder) Children() []nn.NamedModule {
	return []nn.NamedModule{
		{Name: "media", Module: m.Media}, {Name: "text", Module: m.Text},
		{Name: "media_projection", Module: m.MediaProj}, {Name: "text_projection", Module: m.TextProj},
	}
}

// SetChild replaces a projection (e.g. by a LoRA layer); the towers are
// edited through their own SetChild.
func (m *DualEncoder) SetChild(name string, c nn.Module) error {
	l, ok := c.(*nn.Linear)
	switch {
	case name != "media_projection" && name != "text_projection":
		return fmt.Errorf("multimodal.DualEncoder: cannot replace child %q (only media_projection, text_projection)", name)
	case !ok:
		return fmt.Errorf("multimodal.DualEncoder: %s must be *nn.Linear, got %T", name, c)
	case name == "media_projection":
		m.MediaProj = l
	default:
		m.TextProj = l
	}
	return nil
}

// NamedParameters lists the children's parameters, then logit_scale.
func (m *DualEncoder) NamedParameters(prefix string) []nn.NamedParameter {
	return append(nn.ChildParameters(prefix, m.Children()), nn.NamedParameter{Name: nn.Join(prefix, "logit_scale"), Tensor: m.LogitScale})
}

// SetTraining switches both towers.
func (m *DualEncoder) SetTraining(train bool) { nn.SetChildrenTraining(m.Children(), train) }
