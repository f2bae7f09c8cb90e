package plots

import (
	"bytes"
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSavePicksFormatFromExtension(t *testing.T) {
	dir := t.TempDir()
	l := Curve("loss", []float64{3, 2, 1})
	for _, name := range []string{"a.png", "b.svg", "c.pdf", "D.PNG"} {
		if err := l.Save(filepath.Join(dir, name)); err != nil {
			t.Fatalf("Save(%s): %v", name, err)
		}
	}
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	decodePNG(t, read("a.png"), 640, 400)
	decodePNG(t, read("D.PNG"), 640, 400)
	if b := read("c.pdf"); !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Errorf("c.pdf does not start with %%PDF-: %q", b[:min(len(b), 8)])
	}
	svg := read("b.svg")
	dec := xml.NewDecoder(bytes.NewReader(svg))
	for {
		_, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("b.svg is not well-formed XML: %v", err)
		}
	}
	wantTexts(t, svg, "loss")
	// Atomic: no temporary files are left behind.
	entries, _ := os.ReadDir(dir)
	if len(entries) != 4 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Fatalf("directory holds %v, want only the four saved files", names)
	}
}

func TestSaveOverwritesAtomically(t *testing.T) {
	path := filepath.Join(t.TempDir(), "fig.png")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Bars("b", []string{"x"}, []float64{1}).Save(path); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	decodePNG(t, b, 640, 400)
}

func TestSaveErrors(t *testing.T) {
	dir := t.TempDir()
	fig := NewHistogram("h", []float64{1, 2, 3}, 2)

	err := fig.Save(filepath.Join(dir, "no", "such", "dir", "h.png"))
	if err == nil || !strings.Contains(err.Error(), "cannot write in directory") || !strings.Contains(err.Error(), "h.png") {
		t.Errorf("missing directory: error %v", err)
	}
	// A path whose "directory" is a regular file cannot be written either
	// (unlike a read-only directory, this holds even when tests run as root).
	file := filepath.Join(dir, "plain")
	os.WriteFile(file, nil, 0o644)
	if err := fig.Save(filepath.Join(file, "h.png")); err == nil || !strings.Contains(err.Error(), "cannot write in directory") {
		t.Errorf("directory is a file: error %v", err)
	}
	if err := fig.Save(filepath.Join(dir, "h.jpg")); err == nil || !strings.Contains(err.Error(), `unknown extension ".jpg" (want .png, .svg or .pdf)`) {
		t.Errorf("unknown extension: error %v", err)
	}
	if err := fig.Save(filepath.Join(dir, "h")); err == nil || !strings.Contains(err.Error(), "no file extension") {
		t.Errorf("no extension: error %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("failed saves left files behind: %d entries", len(entries))
	}
}

func TestEveryFigureRendersInline(t *testing.T) {
	figs := map[string]Figure{
		"<Line figure: l (1 series)>":                                 Curve("l", []float64{1, 2}),
		"<Scatter figure: s (2 points, 1 classes)>":                   NewScatter("s").Add("a", []float64{1, 2}, []float64{1, 2}),
		"<Bar figure: b (1 categories × 1 groups)>":                   Bars("b", []string{"x"}, []float64{1}),
		"<HeatMap figure: h (1×2)>":                                   NewHeatMap("h", [][]float64{{1, 2}}),
		"<Grid figure: g (1×1, 1 figures)>":                           NewGrid("g", 1, Curve("l", []float64{1, 2})),
		"<HeatMap figure: c (2×2)>":                                   ConfusionMatrix("c", [][]int{{1, 0}, {0, 1}}, nil),
		"<Histogram figure: x (2 values, mean 1.5, std 0.5, 2 bins)>": NewHistogram("x", []float64{1, 2}, 2),
	}
	for want, f := range figs {
		b := f.MIMEBundle()
		if got := b.Text(); got != want {
			t.Errorf("text/plain %q, want %q", got, want)
		}
		if _, ok := b.Data["image/png"].(string); !ok {
			t.Errorf("%s: no image/png in bundle (types %v)", want, b.Types())
		}
	}
}

func TestEmptyFiguresStillRender(t *testing.T) {
	for name, f := range map[string]Figure{
		"line":    NewLine("empty"),
		"scatter": NewScatter("empty"),
		"bar":     NewBar("empty", []string{"a"}),
		"grid":    NewGrid("empty", 2),
	} {
		if _, err := f.PNG(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}
