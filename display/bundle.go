// Package display is the bottom of turinglab's stack: how a value shows itself in
// a notebook. It defines MIME bundles, the Renderer interface that figures, tensors
// and tables implement, the Sink that the Jupyter kernel plugs in to receive them,
// display handles that update in place, progress bars, and the interrupt check that
// long-running compiled code polls. It imports nothing from the project, so every
// library can show things and stop cleanly without knowing about the kernel.
package display

import (
	"fmt"
	"sort"
)

// Common MIME types, named once so that producers and the kernel agree.
const (
	MIMEText     = "text/plain"
	MIMEHTML     = "text/html"
	MIMEMarkdown = "text/markdown"
	MIMELatex    = "text/latex"
	MIMESVG      = "image/svg+xml"
	MIMEPNG      = "image/png"
	MIMEJPEG     = "image/jpeg"
	MIMEJSON     = "application/json"
)

// Bundle is one value in several representations, as Jupyter's display_data and
// execute_result carry it: Data maps a MIME type to its content (a string for
// text types, base64 text for binary images, any JSON-encodable value for
// application/json), and Metadata holds per-type hints such as image sizes.
// A front end shows the richest type it understands, so text/plain is always set.
type Bundle struct {
	Data     map[string]any
	Metadata map[string]any
}

// Renderer is implemented by anything that knows how to show itself richly:
// figures, tensors, tables, reports. Its bundle must include text/plain.
type Renderer interface {
	MIMEBundle() Bundle
}

// TextBundle returns a bundle holding only a plain-text representation.
func TextBundle(s string) Bundle {
	return Bundle{Data: map[string]any{MIMEText: s}}
}

// Render turns any value into a bundle: a Renderer renders itself (text/plain is
// filled in from fmt.Sprint if it forgot), and every other value shows as fmt.Sprint.
func Render(v any) Bundle {
	r, ok := v.(Renderer)
	if !ok {
		return TextBundle(fmt.Sprint(v))
	}
	b := r.MIMEBundle()
	if b.Data == nil {
		b.Data = map[string]any{}
	}
	if _, ok := b.Data[MIMEText]; !ok {
		b.Data[MIMEText] = fmt.Sprint(v)
	}
	return b
}

// Types lists the MIME types a bundle carries, sorted, for tests and debugging.
func (b Bundle) Types() []string {
	types := make([]string, 0, len(b.Data))
	for t := range b.Data {
		types = append(types, t)
	}
	sort.Strings(types)
	return types
}

// Text returns the bundle's text/plain representation ("" if absent).
func (b Bundle) Text() string {
	s, _ := b.Data[MIMEText].(string)
	return s
}
