package multimodal

import "fmt"

// AttributeNames are the values of a single-object attribute: "colour",
// "shape", "size" or "position". They are the classes of zero-shot
// classification and of the per-attribute confusion matrices.
func AttributeNames(attr string) []string {
	switch attr {
	case "colour":
		return ColorNames
	case "shape":
		return ShapeNames
	case "size":
		return SizeNames
	case "position":
		return PositionNames
	}
	panic(fmt.Sprintf("multimodal.AttributeNames: unknown attribute %q (want colour, shape, size or position)", attr))
}

// SceneAttribute is the class (index in AttributeNames(attr)) of each
// single-object scene's attribute: the gold labels.
func SceneAttribute(scenes []*ShapeScene, attr string) []int {
	names := AttributeNames(attr)
	out := make([]int, len(scenes))
	for i, s := range scenes {
		if s.Kind != SceneSingle {
			panic(fmt.Sprintf("multimodal.SceneAttribute: scene %d is a %s scene, not single", i, s.Kind))
		}
		out[i] = indexOf(names, attributeOf(s.Objects[0], s.Position, attr))
	}
	return out
}

// CaptionAttribute is the class of attr named by each caption of
// AllSingleCaptions, the promptClass of ZeroShot: the model picks the most
// similar full caption, and the caption's colour (say) is the prediction.
func CaptionAttribute(attr string) []int {
	_, objs, pos := AllSingleCaptions()
	names := AttributeNames(attr)
	out := make([]int, len(objs))
	for i, o := range objs {
		out[i] = indexOf(names, attributeOf(o, pos[i], attr))
	}
	return out
}

func attributeOf(o Object, pos, attr string) string {
	switch attr {
	case "colour":
		return o.Color
	case "shape":
		return o.Shape
	case "size":
		return o.Size
	}
	return pos
}

// SceneNegatives returns, for each scene, its hard negative number k (for
// pairs: 0 relation swapped, 1 objects swapped, 2 a colour changed).
func SceneNegatives(scenes []*ShapeScene, k int) []string {
	out := make([]string, len(scenes))
	for i, s := range scenes {
		if k >= len(s.HardNegatives) {
			panic(fmt.Sprintf("multimodal.SceneNegatives: scene %d (%s) has %d hard negatives, asked for number %d", i, s.Kind, len(s.HardNegatives), k))
		}
		out[i] = s.HardNegatives[k]
	}
	return out
}

// ClipNegatives returns each clip's hard negative number k (0: loudness
// changed; for chirps 1: direction swapped; for rhythms 1: tempo changed).
func ClipNegatives(clips []*AudioClip, k int) []string {
	out := make([]string, len(clips))
	for i, c := range clips {
		if k >= len(c.HardNegatives) {
			panic(fmt.Sprintf("multimodal.ClipNegatives: clip %d (%s) has %d hard negatives, asked for number %d", i, c.Kind, len(c.HardNegatives), k))
		}
		out[i] = c.HardNegatives[k]
	}
	return out
}

// SpectrogramHeatMapData is a clip's log-mel spectrogram as rows of
// frequency bands, highest band first (so a heat map draws high pitches at
// the top), columns of frames.
func SpectrogramHeatMapData(c *AudioClip, opts SpectrogramOptions) [][]float64 {
	t := Transpose(LogSpectrogram(c.Samples, c.SampleRate, opts))
	for i, j := 0, len(t)-1; i < j; i, j = i+1, j-1 {
		t[i], t[j] = t[j], t[i]
	}
	return t
}
