package multimodal

import (
	"fmt"
	"math"
)

// The attribute values of the sounds world.
var (
	// ClipKinds are the kinds of sound a clip can be.
	ClipKinds = []string{"tone", "chord", "chirp", "noise", "rhythm"}
	// PitchNames: low clips sit around 300 Hz, high ones around 1200 Hz.
	PitchNames = []string{"low", "high"}
	// LoudnessNames: peak amplitude 0.15 or 0.8.
	LoudnessNames = []string{"quiet", "loud"}
	// DirectionNames: whether a chirp's frequency goes up or down.
	DirectionNames = []string{"rising", "falling"}
	// TempoNames: a rhythm's beats per second, 4 or 10.
	TempoNames = []string{"slow", "fast"}
)

// AudioClip is one generated sound with its attributes and captions.
// Attributes that do not apply to the kind are "" (a noise burst has no
// pitch, only a chirp has a direction, only a rhythm has a tempo).
type AudioClip struct {
	Kind, Pitch, Loudness, Direction, Tempo string

	SampleRate int
	Samples    []float32 // mono, in [-1, 1]

	Caption       string
	HardNegatives []string
}

// AudioOptions says what GenerateClips synthesises.
type AudioOptions struct {
	SampleRate int     // samples per second (default 8000)
	Duration   float64 // seconds per clip (default 0.6)
	Seed       uint64
	Kinds      []string // default: all of ClipKinds
}

// ClipCaption is the canonical caption of a clip with these attributes.
func ClipCaption(kind, pitch, loudness, direction, tempo string) string {
	switch kind {
	case "tone":
		return fmt.Sprintf("a %s %s tone", loudness, pitch)
	case "chord":
		return fmt.Sprintf("a %s %s chord", loudness, pitch)
	case "chirp":
		return fmt.Sprintf("a %s %s chirp starting %s", loudness, direction, pitch)
	case "noise":
		return fmt.Sprintf("a burst of %s noise", loudness)
	case "rhythm":
		return fmt.Sprintf("a %s rhythm of %s %s beeps", tempo, loudness, pitch)
	}
	panic(fmt.Sprintf("multimodal.ClipCaption: unknown clip kind %q (want one of %v)", kind, ClipKinds))
}

// GenerateClips synthesises n clips, cycling through the kinds, with the
// other attributes drawn at random (deterministic for opts.Seed).
func GenerateClips(n int, opts AudioOptions) []*AudioClip {
	if opts.SampleRate == 0 {
		opts.SampleRate = 8000
	}
	if opts.Duration == 0 {
		opts.Duration = 0.6
	}
	kinds := opts.Kinds
	if len(kinds) == 0 {
		kinds = ClipKinds
	}
	rng := newSplitMix(opts.Seed ^ 0xA0D10)
	out := make([]*AudioClip, n)
	for i := range out {
		c := &AudioClip{Kind: kinds[i%len(kinds)], Loudness: pick(rng, LoudnessNames), SampleRate: opts.SampleRate}
		if indexOf(ClipKinds, c.Kind) < 0 {
			panic(fmt.Sprintf("multimodal.GenerateClips: unknown clip kind %q (want one of %v)", c.Kind, ClipKinds))
		}
		if c.Kind != "noise" {
			c.Pitch = pick(rng, PitchNames)
		}
		if c.Kind == "chirp" {
			c.Direction = pick(rng, DirectionNames)
		}
		if c.Kind == "rhythm" {
			c.Tempo = pick(rng, TempoNames)
		}
		c.Samples = Synthesize(c, int(opts.Duration*float64(opts.SampleRate)), rng)
		c.Caption = ClipCaption(c.Kind, c.Pitch, c.Loudness, c.Direction, c.Tempo)
		c.HardNegatives = clipNegatives(c, rng)
		out[i] = c
	}
	return out
}

func clipNegatives(c *AudioClip, rng *splitMix) []string {
	neg := []string{ClipCaption(c.Kind, c.Pitch, other(rng, LoudnessNames, c.Loudness), c.Direction, c.Tempo)}
	switch c.Kind {
	case "chirp":
		neg = append(neg, ClipCaption(c.Kind, c.Pitch, c.Loudness, other(rng, DirectionNames, c.Direction), c.Tempo))
	case "rhythm":
		neg = append(neg, ClipCaption(c.Kind, c.Pitch, c.Loudness, c.Direction, other(rng, TempoNames, c.Tempo)))
	}
	if c.Pitch != "" {
		neg = append(neg, ClipCaption(c.Kind, other(rng, PitchNames, c.Pitch), c.Loudness, c.Direction, c.Tempo))
	}
	return neg
}

// baseFrequency is the pitch's frequency, jittered by up to ±10%.
func baseFrequency(pitch string, rng *splitMix) float64 {
	f := 300.0
	if pitch == "high" {
		f = 1200
	}
	return f * (0.9 + 0.2*rng.float())
}

// Synthesize renders a clip's attributes into n samples: sines (a major
// triad for a chord), an exponential sweep over two octaves for a chirp,
// Gaussian noise, or 40 ms beeps at the tempo, each with 10 ms fades so no
// click is heard.
func Synthesize(c *AudioClip, n int, rng *splitMix) []float32 {
	sr := float64(c.SampleRate)
	amp := 0.15
	if c.Loudness == "loud" {
		amp = 0.8
	}
	out := make([]float32, n)
	f0 := 0.0
	if c.Pitch != "" {
		f0 = baseFrequency(c.Pitch, rng)
	}
	phase := 0.0
	for i := range out {
		t := float64(i) / sr
		var v float64
		switch c.Kind {
		case "tone":
			v = math.Sin(2 * math.Pi * f0 * t)
		case "chord":
			v = (math.Sin(2*math.Pi*f0*t) + math.Sin(2*math.Pi*f0*1.25*t) + math.Sin(2*math.Pi*f0*1.5*t)) / 3
		case "chirp":
			frac := float64(i) / float64(n)
			f := f0 * math.Pow(4, frac) // up two octaves
			if c.Direction == "falling" {
				f = f0 * 4 * math.Pow(0.25, frac)
			}
			phase += 2 * math.Pi * f / sr
			v = math.Sin(phase)
		case "noise":
			v = 0.5 * rng.normal()
		case "rhythm":
			beat := 4.0
			if c.Tempo == "fast" {
				beat = 10
			}
			if math.Mod(t*beat, 1)/beat < 0.04 {
				v = math.Sin(2 * math.Pi * f0 * t)
			}
		}
		out[i] = float32(math.Max(-1, math.Min(1, amp*v*fade(t, float64(n)/sr))))
	}
	return out
}

// fade is 1 except for the first and last 10 ms, where it ramps linearly.
func fade(t, total float64) float64 {
	const r = 0.01
	return math.Min(1, math.Min(t/r, (total-t)/r))
}

// ClipCaptions returns the clips' captions.
func ClipCaptions(clips []*AudioClip) []string {
	out := make([]string, len(clips))
	for i, c := range clips {
		out[i] = c.Caption
	}
	return out
}
