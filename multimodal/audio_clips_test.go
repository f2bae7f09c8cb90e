package multimodal

import (
	"encoding/binary"
	"math"
	"strings"
	"testing"
)

// dominantFrequency is the frequency of the strongest bin of a frame
// starting at sample s.
func dominantFrequency(c *AudioClip, s int) float64 {
	pow := PowerSpectrogram(c.Samples[s:s+512], SpectrogramOptions{FrameSize: 512, Hop: 512})
	best := 0
	for k, p := range pow[0] {
		if p > pow[0][best] {
			best = k
		}
	}
	return float64(best) * float64(c.SampleRate) / 512
}

func peak(xs []float32) float64 {
	m := 0.0
	for _, x := range xs {
		m = math.Max(m, math.Abs(float64(x)))
	}
	return m
}

// TestClipAttributesMatchCaptions measures each clip: its loudness from
// the peak amplitude, its pitch from the strongest frequency, a chirp's
// direction from the pitch at start and end, a rhythm's tempo from the
// number of beeps; and the caption names those attributes.
func TestClipAttributesMatchCaptions(t *testing.T) {
	clips := GenerateClips(100, AudioOptions{Seed: 2})
	for i, c := range clips {
		if len(c.Samples) != 4800 {
			t.Fatalf("clip %d has %d samples, want 4800", i, len(c.Samples))
		}
		if !strings.Contains(c.Caption, c.Loudness) || !strings.Contains(c.Caption, c.Kind) && c.Kind != "noise" {
			t.Fatalf("clip %d caption %q misses %s/%s", i, c.Caption, c.Loudness, c.Kind)
		}
		p := peak(c.Samples)
		if (c.Loudness == "loud") != (p > 0.4) {
			t.Errorf("clip %d %q: peak %.2f", i, c.Caption, p)
		}
		switch c.Kind {
		case "tone", "chord":
			f := dominantFrequency(c, 1000)
			if (c.Pitch == "high") != (f > 700) {
				t.Errorf("clip %d %q: dominant %.0f Hz", i, c.Caption, f)
			}
		case "chirp":
			f0, f1 := dominantFrequency(c, 0), dominantFrequency(c, len(c.Samples)-512)
			if (c.Direction == "rising") != (f1 > f0) {
				t.Errorf("clip %d %q: %.0f Hz -> %.0f Hz", i, c.Caption, f0, f1)
			}
		case "rhythm":
			// a beep's sine crosses zero, so count runs of sound between silences
			beeps := countOnsets(c.Samples, c.SampleRate)
			want := 3 // 4 beats/s over 0.6 s
			if c.Tempo == "fast" {
				want = 6
			}
			if beeps != want {
				t.Errorf("clip %d %q: %d beeps, want %d", i, c.Caption, beeps, want)
			}
		}
	}
}

// countOnsets counts runs of sound separated by at least 5 ms of silence.
func countOnsets(xs []float32, sr int) int {
	gap := sr / 200
	n, quiet := 0, gap
	for _, x := range xs {
		if x == 0 {
			quiet++
			continue
		}
		if quiet >= gap {
			n++
		}
		quiet = 0
	}
	return n
}

// TestClipsDeterministic: same seed, same samples.
func TestClipsDeterministic(t *testing.T) {
	a, b := GenerateClips(10, AudioOptions{Seed: 9}), GenerateClips(10, AudioOptions{Seed: 9})
	c := GenerateClips(10, AudioOptions{Seed: 10})
	same := func(x, y []*AudioClip) bool {
		for i := range x {
			if x[i].Caption != y[i].Caption {
				return false
			}
			for j := range x[i].Samples {
				if x[i].Samples[j] != y[i].Samples[j] {
					return false
				}
			}
		}
		return true
	}
	if !same(a, b) || same(a, c) {
		t.Fatal("clips are not determined by the seed")
	}
}

// TestPowerSpectrogramMatchesDirectDFT compares the FFT-based frames with
// the definition X[k] = Σ x[n]·w[n]·e^{−2πikn/N} summed directly.
func TestPowerSpectrogramMatchesDirectDFT(t *testing.T) {
	clip := GenerateClips(3, AudioOptions{Seed: 4})[2] // a chirp
	opts := SpectrogramOptions{FrameSize: 64, Hop: 48}
	got := PowerSpectrogram(clip.Samples[:400], opts)
	if len(got) != 1+(400-64)/48 {
		t.Fatalf("%d frames", len(got))
	}
	w := HannWindow(64)
	for f, row := range got {
		for k := range row {
			var re, im float64
			for n := 0; n < 64; n++ {
				x := float64(clip.Samples[f*48+n]) * w[n]
				re += x * math.Cos(2*math.Pi*float64(k*n)/64)
				im -= x * math.Sin(2*math.Pi*float64(k*n)/64)
			}
			want := re*re + im*im
			if math.Abs(row[k]-want) > 1e-9*(1+want) {
				t.Fatalf("frame %d bin %d: fft %g, direct %g", f, k, row[k], want)
			}
		}
	}
}

// TestMelFilterBank checks the triangles: each band peaks at 1 on its own
// centre (where a bin falls there), bands overlap so that inside the range
// the weights of neighbouring bands sum to 1, and band centres rise.
func TestMelFilterBank(t *testing.T) {
	fb := MelFilterBank(256, 8000, 16)
	if len(fb) != 129 || len(fb[0]) != 16 {
		t.Fatalf("shape %dx%d", len(fb), len(fb[0]))
	}
	prev := -1
	for m := 0; m < 16; m++ {
		best := 0
		for k := range fb {
			if fb[k][m] > fb[best][m] {
				best = k
			}
		}
		if best <= prev {
			t.Fatalf("band %d peaks at bin %d, band %d at %d", m, best, m-1, prev)
		}
		prev = best
	}
	// between the first and last centre the triangles form a partition of unity
	for k := 20; k < 100; k++ {
		s := 0.0
		for _, w := range fb[k] {
			s += w
		}
		if math.Abs(s-1) > 1e-9 {
			t.Fatalf("bin %d: weights sum to %v", k, s)
		}
	}
}

// TestLogMelShowsPitch: a high tone puts its energy in higher mel bands
// than a low one.
func TestLogMelShowsPitch(t *testing.T) {
	hi := &AudioClip{Kind: "tone", Pitch: "high", Loudness: "loud", SampleRate: 8000}
	lo := &AudioClip{Kind: "tone", Pitch: "low", Loudness: "loud", SampleRate: 8000}
	rng := newSplitMix(1)
	hi.Samples, lo.Samples = Synthesize(hi, 2048, rng), Synthesize(lo, 2048, rng)
	argmax := func(c *AudioClip) int {
		s := LogSpectrogram(c.Samples, 8000, SpectrogramOptions{Mels: 32})
		row := s[len(s)/2]
		b := 0
		for i := range row {
			if row[i] > row[b] {
				b = i
			}
		}
		return b
	}
	if argmax(hi) <= argmax(lo)+3 {
		t.Fatalf("high tone peaks at mel band %d, low tone at %d", argmax(hi), argmax(lo))
	}
	x := SpectrogramsTensor([]*AudioClip{hi, lo}, SpectrogramOptions{Mels: 32})
	if s := x.Shape(); s[0] != 2 || s[1] != 15 || s[2] != 32 {
		t.Fatalf("spectrogram tensor %v", s)
	}
	p := SpectrogramPatches(x, 4)
	if s := p.Shape(); s[1] != 3 || s[2] != 128 || p.At(1, 2, 1*32+7) != x.At(1, 9, 7) {
		t.Fatalf("patches %v or layout wrong", s)
	}
}

// TestWAV checks the RIFF header fields and the 16-bit samples.
func TestWAV(t *testing.T) {
	b := WAV([]float32{0, 0.5, -1, 2}, 8000)
	if string(b[:4]) != "RIFF" || string(b[8:16]) != "WAVEfmt " || string(b[36:40]) != "data" || len(b) != 44+8 {
		t.Fatalf("bad header % x", b[:44])
	}
	le := binary.LittleEndian
	if le.Uint32(b[4:]) != 36+8 || le.Uint16(b[22:]) != 1 || le.Uint32(b[24:]) != 8000 || le.Uint16(b[34:]) != 16 {
		t.Fatalf("bad fmt chunk % x", b[:44])
	}
	want := []int16{0, 16384, -32767, 32767}
	for i, w := range want {
		if got := int16(le.Uint16(b[44+2*i:])); got != w {
			t.Fatalf("sample %d = %d, want %d", i, got, w)
		}
	}
	if h := string(AudioHTML([]float32{0}, 8000, "a <b>")); !strings.Contains(h, "data:audio/wav;base64,") || !strings.Contains(h, "a &lt;b&gt;") {
		t.Fatalf("audio html %q", h)
	}
}
