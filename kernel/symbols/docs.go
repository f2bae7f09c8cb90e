package symbols

import (
	"bytes"
	"compress/gzip"
	_ "embed" // the documentation table is embedded at build time
	"encoding/json"
	"io"
	"sync"
)

// docsGz is the generated documentation table (see internal/gen): import path ->
// symbol ("Type.Method" for methods, "" for the package) -> declaration and doc.
//
//go:embed docs.json.gz
var docsGz []byte

// DocEntry is the documentation of one symbol: its declaration (a func's
// signature, a type's definition) and its doc comment.
type DocEntry struct {
	Decl string `json:"d"`
	Doc  string `json:"c,omitempty"`
}

var (
	docsOnce sync.Once
	docs     map[string]map[string]DocEntry
	docsErr  error
)

// Doc returns the documentation of symbol name of package importPath ("" for the
// package itself, "Type.Method" for a method). The table is decoded on first use
// so that starting a kernel does not pay for it.
func Doc(importPath, name string) (DocEntry, bool) {
	docsOnce.Do(func() {
		zr, err := gzip.NewReader(bytes.NewReader(docsGz))
		if err != nil {
			docsErr = err
			return
		}
		b, err := io.ReadAll(zr)
		if err != nil {
			docsErr = err
			return
		}
		docsErr = json.Unmarshal(b, &docs)
	})
	e, ok := docs[importPath][name]
	return e, ok
}
