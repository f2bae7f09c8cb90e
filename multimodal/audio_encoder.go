package multimodal

import (
	"fmt"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/bert"
)

// SpectrogramPatches groups spectrograms [N, frames, bands] into patches of
// framesPerPatch consecutive whole frames (all bands): [N, frames/k, k·bands].
// Trailing frames that do not fill a patch are dropped. A patch spanning all
// frequencies keeps "what happens over time" in the order of the tokens,
// which is what pitch direction and tempo are about.
func SpectrogramPatches(specs *autograd.Tensor, framesPerPatch int) *autograd.Tensor {
	s := specs.Shape()
	if len(s) != 3 {
		panic(fmt.Sprintf("multimodal.SpectrogramPatches: spectrograms have shape %v, expected [N, frames, bands]", s))
	}
	if framesPerPatch < 1 || framesPerPatch > s[1] {
		panic(fmt.Sprintf("multimodal.SpectrogramPatches: %d frames per patch for %d frames", framesPerPatch, s[1]))
	}
	np := s[1] / framesPerPatch
	return specs.Narrow(1, 0, np*framesPerPatch).Contiguous().Reshape(s[0], np, framesPerPatch*s[2])
}

// NewAudioEncoder is the same tower as the image encoder, over spectrograms
// of frames × bands cut into framesPerPatch-frame patches.
func NewAudioEncoder(cfg *bert.Config, frames, bands, framesPerPatch int, rng *autograd.RNG) (*PatchEncoder, error) {
	if framesPerPatch < 1 || framesPerPatch > frames {
		return nil, fmt.Errorf("multimodal.NewAudioEncoder: %d frames per patch for %d frames", framesPerPatch, frames)
	}
	return NewPatchEncoder(cfg, frames/framesPerPatch, framesPerPatch*bands, rng)
}
