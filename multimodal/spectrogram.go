package multimodal

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/dsp/fourier"

	"github.com/turinglab/turinglab/autograd"
)

// SpectrogramOptions are the short-time Fourier transform's settings, with
// torch.stft's meanings (center=False: frames start at sample 0 and only
// whole frames are kept).
type SpectrogramOptions struct {
	FrameSize int // samples per frame, n_fft (default 256)
	Hop       int // samples between frame starts, hop_length (default 128)
	// Mels is the number of mel bands; 0 keeps the FrameSize/2+1 linear
	// frequency bins (a plain log spectrogram).
	Mels int
	// Floor is added to the power before the log (default 1e-6) so silence
	// is finite.
	Floor float64
}

func (o *SpectrogramOptions) defaults() {
	if o.FrameSize == 0 {
		o.FrameSize = 256
	}
	if o.Hop == 0 {
		o.Hop = 128
	}
	if o.Floor == 0 {
		o.Floor = 1e-6
	}
}

// HannWindow is the periodic Hann window of n points, torch.hann_window's
// default: w[i] = 0.5 − 0.5·cos(2πi/n).
func HannWindow(n int) []float64 {
	w := make([]float64, n)
	for i := range w {
		w[i] = 0.5 - 0.5*math.Cos(2*math.Pi*float64(i)/float64(n))
	}
	return w
}

// PowerSpectrogram is |STFT|²: one row per frame, FrameSize/2+1 bins per
// row (bin k is frequency k·sampleRate/FrameSize). Each frame is multiplied
// by the Hann window and transformed with gonum's real FFT.
func PowerSpectrogram(samples []float32, opts SpectrogramOptions) [][]float64 {
	opts.defaults()
	n := opts.FrameSize
	if len(samples) < n {
		panic(fmt.Sprintf("multimodal.PowerSpectrogram: %d samples are fewer than one frame of %d", len(samples), n))
	}
	win := HannWindow(n)
	fft := fourier.NewFFT(n)
	frames := 1 + (len(samples)-n)/opts.Hop
	out := make([][]float64, frames)
	buf := make([]float64, n)
	coef := make([]complex128, n/2+1)
	for f := range out {
		start := f * opts.Hop
		for i := range buf {
			buf[i] = float64(samples[start+i]) * win[i]
		}
		coef = fft.Coefficients(coef, buf)
		row := make([]float64, len(coef))
		for k, c := range coef {
			row[k] = real(c)*real(c) + imag(c)*imag(c)
		}
		out[f] = row
	}
	return out
}

// MelFilterBank is the triangular filter bank mapping FrameSize/2+1 linear
// bins to mels bands, evenly spaced on the HTK mel scale
// m = 2595·log10(1 + f/700) from 0 Hz to sampleRate/2, without area
// normalisation (torchaudio.functional.melscale_fbanks with norm=None,
// mel_scale="htk"). The result is [bins][mels].
func MelFilterBank(frameSize, sampleRate, mels int) [][]float64 {
	bins := frameSize/2 + 1
	toMel := func(f float64) float64 { return 2595 * math.Log10(1+f/700) }
	fromMel := func(m float64) float64 { return 700 * (math.Pow(10, m/2595) - 1) }
	top := toMel(float64(sampleRate) / 2)
	pts := make([]float64, mels+2) // band edges in Hz
	for i := range pts {
		pts[i] = fromMel(top * float64(i) / float64(mels+1))
	}
	fb := make([][]float64, bins)
	for k := range fb {
		f := float64(sampleRate) / 2 * float64(k) / float64(bins-1)
		fb[k] = make([]float64, mels)
		for m := 0; m < mels; m++ {
			lo, mid, hi := pts[m], pts[m+1], pts[m+2]
			up := (f - lo) / (mid - lo)
			down := (hi - f) / (hi - mid)
			fb[k][m] = math.Max(0, math.Min(up, down))
		}
	}
	return fb
}

// LogSpectrogram is the clip's log power spectrogram, log(power + Floor),
// on mel bands when opts.Mels > 0: [frames][bins or mels]. It is what the
// audio encoder sees and what the notebook shows as a heat map.
func LogSpectrogram(samples []float32, sampleRate int, opts SpectrogramOptions) [][]float64 {
	opts.defaults()
	pow := PowerSpectrogram(samples, opts)
	if opts.Mels > 0 {
		fb := MelFilterBank(opts.FrameSize, sampleRate, opts.Mels)
		for f, row := range pow {
			mel := make([]float64, opts.Mels)
			for k, p := range row {
				for m, w := range fb[k] {
					mel[m] += p * w
				}
			}
			pow[f] = mel
		}
	}
	for _, row := range pow {
		for i, p := range row {
			row[i] = math.Log(p + opts.Floor)
		}
	}
	return pow
}

// Transpose turns a [frames][bands] spectrogram into [bands][frames], the
// orientation of a spectrogram picture (time across, frequency up when the
// rows are then reversed by the heat map).
func Transpose(m [][]float64) [][]float64 {
	if len(m) == 0 {
		return nil
	}
	out := make([][]float64, len(m[0]))
	for j := range out {
		out[j] = make([]float64, len(m))
		for i := range m {
			out[j][i] = m[i][j]
		}
	}
	return out
}

// SpectrogramsTensor computes every clip's log(-mel) spectrogram and stacks
// them as [N, frames, bands], standardised with one mean and standard
// deviation over the whole set (so loudness differences are kept).
func SpectrogramsTensor(clips []*AudioClip, opts SpectrogramOptions) *autograd.Tensor {
	if len(clips) == 0 {
		panic("multimodal.SpectrogramsTensor: no clips")
	}
	var data []float64
	frames, bands := 0, 0
	for i, c := range clips {
		s := LogSpectrogram(c.Samples, c.SampleRate, opts)
		if i == 0 {
			frames, bands = len(s), len(s[0])
		} else if len(s) != frames {
			panic(fmt.Sprintf("multimodal.SpectrogramsTensor: clip %d has %d frames, clip 0 has %d (clips must have the same length)", i, len(s), frames))
		}
		for _, row := range s {
			data = append(data, row...)
		}
	}
	mean, sq := 0.0, 0.0
	for _, v := range data {
		mean += v
	}
	mean /= float64(len(data))
	for _, v := range data {
		sq += (v - mean) * (v - mean)
	}
	std := math.Sqrt(sq / float64(len(data)))
	for i := range data {
		data[i] = (data[i] - mean) / std
	}
	return autograd.FromFloat64s(data, len(clips), frames, bands)
}
