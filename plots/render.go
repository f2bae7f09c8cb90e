package plots

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"image/png"
	"io"
	"path/filepath"
	"strings"

	"github.com/turinglab/turinglab/display"
	"github.com/turinglab/turinglab/internal/atomicfile"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgpdf"
	"gonum.org/v1/plot/vg/vgsvg"
)

// DPI is the resolution of PNG output. With the default figure sizes (6.4 in
// wide) a PNG is 640 pixels wide: it fits a notebook column without scaling and
// its text is as large as the notebook's own.
const DPI = 100

// Default figure sizes in inches, used when a figure's Width or Height is zero.
const (
	DefaultWidth  = 6.4
	DefaultHeight = 4.0
)

// sizeOr returns w×h, substituting the defaults dw×dh for zero or negative values.
func sizeOr(w, h, dw, dh float64) (vg.Length, vg.Length) {
	if w <= 0 {
		w = dw
	}
	if h <= 0 {
		h = dh
	}
	return vg.Length(w) * vg.Inch, vg.Length(h) * vg.Inch
}

// drawer is the part of a Figure that rendering needs.
type drawer interface {
	Draw(c draw.Canvas)
}

// render draws d onto a fresh w×h canvas of the given format ("png", "svg" or
// "pdf") and returns the encoded file. A panic while drawing (bad data found
// late, a gonum limitation) comes back as an error, so that a notebook shows a
// message instead of losing the cell.
func render(d drawer, w, h vg.Length, format string) (out []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("plots: rendering %s failed: %v", format, r)
		}
	}()
	var c vg.CanvasWriterTo
	switch format {
	case "png":
		c = fastPNG{newRasterCanvas(w, h)}
	case "svg":
		c = vgsvg.New(w, h)
	case "pdf":
		c = vgpdf.New(w, h)
	default:
		return nil, fmt.Errorf("plots: unknown image format %q (want png, svg or pdf)", format)
	}
	d.Draw(draw.New(c))
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("plots: encoding %s: %w", format, err)
	}
	return buf.Bytes(), nil
}

// fastPNG encodes a raster canvas as PNG with zlib's fastest setting: figures
// are mostly flat colour, which compresses well even so, and encoding at the
// default level took more than half the time of rendering a large heat map.
type fastPNG struct {
	*rasterCanvas
}

// WriteTo encodes the canvas's image as PNG to w.
func (c fastPNG) WriteTo(w io.Writer) (int64, error) {
	cw := &countingWriter{w: w}
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	err := enc.Encode(cw, c.Image())
	return cw.n, err
}

// countingWriter counts the bytes written through it.
type countingWriter struct {
	w io.Writer
	n int64
}

// Write passes p on and counts it.
func (cw *countingWriter) Write(p []byte) (int, error) {
	n, err := cw.w.Write(p)
	cw.n += int64(n)
	return n, err
}

// formatOf returns the image format a path's extension asks for.
func formatOf(path string) (string, error) {
	ext := strings.ToLower(filepath.Ext(path))
	switch ext {
	case ".png", ".svg", ".pdf":
		return ext[1:], nil
	case "":
		return "", fmt.Errorf("plots: save %q: no file extension (want .png, .svg or .pdf)", path)
	default:
		return "", fmt.Errorf("plots: save %q: unknown extension %q (want .png, .svg or .pdf)", path, ext)
	}
}

// save renders d in the format picked by path's extension and writes it
// atomically: into a temporary file in the same directory, then renamed over
// path, so a reader never sees half a figure and a failure leaves no debris.
func save(d drawer, w, h vg.Length, path string) error {
	format, err := formatOf(path)
	if err != nil {
		return err
	}
	data, err := render(d, w, h, format)
	if err != nil {
		return err
	}
	if err := atomicfile.WriteFile(path, data); err != nil {
		return fmt.Errorf("plots: save: %w", err)
	}
	return nil
}

// bundle renders d as a PNG and wraps it for the notebook: image/png as base64
// text plus the text/plain summary. If rendering fails, the bundle carries the
// error in its text so the cell shows why instead of an empty output.
func bundle(d drawer, w, h vg.Length, summary string) display.Bundle {
	png, err := render(d, w, h, "png")
	if err != nil {
		return display.TextBundle(summary + "\n" + err.Error())
	}
	return display.Bundle{Data: map[string]any{
		display.MIMEText: summary,
		display.MIMEPNG:  base64.StdEncoding.EncodeToString(png),
	}}
}
