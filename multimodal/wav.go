package multimodal

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"math"

	"github.com/turinglab/turinglab/display"
)

// WAV encodes mono samples in [-1, 1] as a 16-bit PCM RIFF/WAVE file: the
// format every browser's <audio> element plays.
func WAV(samples []float32, sampleRate int) []byte {
	if sampleRate <= 0 {
		panic(fmt.Sprintf("multimodal.WAV: sample rate must be positive, got %d", sampleRate))
	}
	var b bytes.Buffer
	dataLen := 2 * len(samples)
	w := func(v any) { _ = binary.Write(&b, binary.LittleEndian, v) }
	b.WriteString("RIFF")
	w(uint32(36 + dataLen))
	b.WriteString("WAVEfmt ")
	w(uint32(16))             // fmt chunk size
	w(uint16(1))              // PCM
	w(uint16(1))              // mono
	w(uint32(sampleRate))     // sample rate
	w(uint32(2 * sampleRate)) // byte rate
	w(uint16(2))              // block align
	w(uint16(16))             // bits per sample
	b.WriteString("data")
	w(uint32(dataLen))
	for _, s := range samples {
		v := math.Max(-1, math.Min(1, float64(s)))
		w(int16(math.Round(v * 32767)))
	}
	return b.Bytes()
}

// AudioHTML is an <audio> player for the samples, the WAV embedded as a
// data URL, with an optional caption under it: display it (or end a cell
// with it) to hear a clip in the notebook.
func AudioHTML(samples []float32, sampleRate int, caption string) display.HTML {
	url := "data:audio/wav;base64," + base64.StdEncoding.EncodeToString(WAV(samples, sampleRate))
	html := fmt.Sprintf(`<div style="display:inline-block;margin:4px"><audio controls src="%s"></audio>`, url)
	if caption != "" {
		html += fmt.Sprintf(`<div style="font-size:small">%s</div>`, htmlEscape(caption))
	}
	return display.HTML(html + "</div>")
}

// Player is AudioHTML for a generated clip, captioned with its caption.
func (c *AudioClip) Player() display.HTML { return AudioHTML(c.Samples, c.SampleRate, c.Caption) }

func htmlEscape(s string) string {
	var b bytes.Buffer
	for _, r := range s {
		switch r {
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		case '"':
			b.WriteString("&quot;")
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
