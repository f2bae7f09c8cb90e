package display

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
)

// HTML is HTML source that a notebook renders as a page fragment. Use it as a
// conversion: wb.HTML("<b>bold</b>").
type HTML string

// MIMEBundle shows the HTML, with the source as the plain-text fallback.
func (h HTML) MIMEBundle() Bundle {
	return Bundle{Data: map[string]any{MIMEHTML: string(h), MIMEText: string(h)}}
}

// Markdown is Markdown text that a notebook renders formatted.
type Markdown string

// MIMEBundle shows the Markdown, with the source as the plain-text fallback.
func (m Markdown) MIMEBundle() Bundle {
	return Bundle{Data: map[string]any{MIMEMarkdown: string(m), MIMEText: string(m)}}
}

// Latex is a LaTeX formula, usually wrapped in $...$ or $$...$$, that a
// notebook typesets with MathJax.
type Latex string

// MIMEBundle shows the formula, with the source as the plain-text fallback.
func (l Latex) MIMEBundle() Bundle {
	return Bundle{Data: map[string]any{MIMELatex: string(l), MIMEText: string(l)}}
}

// SVG is an SVG document (or fragment starting with <svg>) drawn inline.
type SVG string

// MIMEBundle shows the drawing; terminals see a short placeholder.
func (s SVG) MIMEBundle() Bundle {
	return Bundle{Data: map[string]any{MIMESVG: string(s), MIMEText: fmt.Sprintf("<SVG image, %d bytes>", len(s))}}
}

// PNG is an encoded PNG image shown inline.
type PNG []byte

// MIMEBundle carries the image as base64, as Jupyter expects binary data, with
// its pixel size in the metadata when the header can be read.
func (p PNG) MIMEBundle() Bundle {
	return imageBundle(MIMEPNG, p)
}

// JPEG is an encoded JPEG image shown inline.
type JPEG []byte

// MIMEBundle carries the image as base64 with its pixel size in the metadata.
func (j JPEG) MIMEBundle() Bundle {
	return imageBundle(MIMEJPEG, j)
}

func imageBundle(mime string, data []byte) Bundle {
	b := Bundle{Data: map[string]any{
		mime:     base64.StdEncoding.EncodeToString(data),
		MIMEText: fmt.Sprintf("<%s image, %d bytes>", mime, len(data)),
	}}
	if cfg, _, err := image.DecodeConfig(bytes.NewReader(data)); err == nil {
		b.Data[MIMEText] = fmt.Sprintf("<%s image %dx%d>", mime, cfg.Width, cfg.Height)
		b.Metadata = map[string]any{mime: map[string]any{"width": cfg.Width, "height": cfg.Height}}
	}
	return b
}

// Image encodes an in-memory picture (a generated sample, a spectrogram, a
// rendered figure) as PNG so that it shows inline.
func Image(img image.Image) PNG {
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		// png.Encode fails only for images with a zero or enormous size.
		panic(fmt.Sprintf("display.Image: cannot encode %v image as PNG: %v", img.Bounds(), err))
	}
	return PNG(buf.Bytes())
}

// JSONValue is a value shown as an explorable JSON tree; see JSON.
type JSONValue struct {
	Value any
}

// JSON wraps any JSON-encodable value (a map, a struct with json tags, a slice)
// so that the notebook shows it as a JSON tree.
func JSON(v any) JSONValue {
	return JSONValue{Value: v}
}

// MIMEBundle carries the value as application/json (Jupyter wants an object or
// array there, so scalars are shown as text only) and indented text.
func (j JSONValue) MIMEBundle() Bundle {
	text, err := json.MarshalIndent(j.Value, "", "  ")
	if err != nil {
		return TextBundle(fmt.Sprintf("<JSON error: %v>", err))
	}
	b := TextBundle(string(text))
	// Round-trip through encoding/json so the kernel serialises exactly what
	// json.Marshal would (struct tags honoured), and so only objects/arrays
	// go into application/json.
	var generic any
	if json.Unmarshal(text, &generic) == nil {
		switch generic.(type) {
		case map[string]any, []any:
			b.Data[MIMEJSON] = generic
		}
	}
	return b
}
