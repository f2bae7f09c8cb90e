package multimodal

import (
	"fmt"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/bert"
)

// ImagePatches cuts images [N, C, H, W] into non-overlapping patch×patch
// squares, row by row, each flattened channel-major (c, y, x) as a
// convolution with kernel = stride = patch would see it:
// [N, (H/patch)·(W/patch), C·patch²]. It is data preparation, not a
// differentiable op: the pixels need no gradient.
func ImagePatches(images *autograd.Tensor, patch int) *autograd.Tensor {
	s := images.Shape()
	if len(s) != 4 {
		panic(fmt.Sprintf("multimodal.ImagePatches: images have shape %v, expected [N, C, H, W]", s))
	}
	n, c, h, w := s[0], s[1], s[2], s[3]
	if patch < 1 || h%patch != 0 || w%patch != 0 {
		panic(fmt.Sprintf("multimodal.ImagePatches: patch size %d does not divide the %dx%d images", patch, h, w))
	}
	src := images.Contiguous().Data()
	gh, gw := h/patch, w/patch
	dim := c * patch * patch
	out := make([]float32, n*gh*gw*dim)
	i := 0
	for b := 0; b < n; b++ {
		for py := 0; py < gh; py++ {
			for px := 0; px < gw; px++ {
				for ch := 0; ch < c; ch++ {
					for y := 0; y < patch; y++ {
						row := ((b*c+ch)*h+py*patch+y)*w + px*patch
						copy(out[i:i+patch], src[row:row+patch])
						i += patch
					}
				}
			}
		}
	}
	return autograd.New(out, n, gh*gw, dim)
}

// NewImageEncoder is a ViT for RGB images of imageSize² pixels cut into
// patch² squares, on BERT blocks shaped by cfg.
func NewImageEncoder(cfg *bert.Config, imageSize, patch int, rng *autograd.RNG) (*PatchEncoder, error) {
	if patch < 1 || imageSize%patch != 0 {
		return nil, fmt.Errorf("multimodal.NewImageEncoder: patch size %d does not divide image size %d", patch, imageSize)
	}
	g := imageSize / patch
	return NewPatchEncoder(cfg, g*g, 3*patch*patch, rng)
}
