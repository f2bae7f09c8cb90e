// Command gen regenerates the kernel's yaegi symbol tables and documentation
// table. `go generate ./kernel/symbols` runs it in kernel/symbols. It
//
//  1. discovers the project's packages with `go list` (every package of the
//     module except commands, internal packages and the kernel itself), so a
//     package added by anyone is picked up without editing this file;
//  2. writes one symbol file per package with yaegi's extractor (the code behind
//     `yaegi extract`), for those packages and the third-party ones in extra;
//  3. writes packages_gen.go, the list of extracted packages, which the session
//     uses for its "cannot import" message and the freshness test checks;
//  4. writes docs.json.gz: signature and doc comment of every exported symbol of
//     those packages and of the stdlib packages cells commonly use, for inspect.
package main

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/build"
	"go/doc"
	"go/format"
	"go/parser"
	"go/printer"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"github.com/traefik/yaegi/extract"
	"github.com/turinglab/turinglab/internal/atomicfile"
)

const module = "github.com/turinglab/turinglab"

// extra are the third-party packages compiled into the kernel.
var extra = []string{
	"gonum.org/v1/gonum/mat",
	"gonum.org/v1/gonum/stat",
	"gonum.org/v1/gonum/floats",
	"gonum.org/v1/plot",
	"gonum.org/v1/plot/plotter",
	"gonum.org/v1/plot/vg",
	"gonum.org/v1/plot/vg/draw",
	"gonum.org/v1/plot/plotutil",
}

// stdDocs are the stdlib packages whose documentation is embedded for inspect
// (their symbols come from yaegi's own stdlib tables).
var stdDocs = []string{
	"bufio", "bytes", "context", "encoding/binary", "encoding/csv", "encoding/json",
	"errors", "fmt", "image", "image/color", "image/png", "io", "log", "maps", "math",
	"math/bits", "math/cmplx", "math/rand", "os", "path/filepath", "regexp", "slices",
	"sort", "strconv", "strings", "sync", "time", "unicode", "unicode/utf8",
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "kernel/symbols/internal/gen:", err)
		os.Exit(1)
	}
}

func run() error {
	force := len(os.Args) > 1 && os.Args[1] == "-force"
	project, err := projectPackages()
	if err != nil {
		return err
	}
	all := append(append([]string{}, project...), extra...)
	hashes, err := sourceHashes(all)
	if err != nil {
		return err
	}
	old := previousHashes()
	wanted := map[string]bool{}
	for _, p := range all {
		wanted[symbolFile(p)] = true
	}
	// Tables of packages that are gone are removed; the others are rewritten in
	// place, so a package that fails to type-check right now (someone is in the
	// middle of editing it) keeps its previous table instead of vanishing.
	if err := removeGenerated(".", wanted); err != nil {
		return err
	}
	var extracted []string
	for _, p := range all {
		_, statErr := os.Stat(symbolFile(p))
		if !force && hashes[p] != "" && old[p] == hashes[p] && statErr == nil {
			extracted = append(extracted, p)
			continue
		}
		fmt.Fprintf(os.Stderr, "gen: extracting %s\n", p)
		if err := extractPackage(p); err != nil {
			if statErr == nil {
				fmt.Fprintf(os.Stderr, "gen: %s does not type-check; keeping its previous table: %v\n", p, err)
				hashes[p] = old[p] // retried on the next run
				extracted = append(extracted, p)
			} else {
				fmt.Fprintf(os.Stderr, "gen: skipping %s: %v\n", p, err)
				delete(hashes, p)
			}
			continue
		}
		extracted = append(extracted, p)
	}
	sort.Strings(extracted)
	if err := writePackageList(extracted, hashes); err != nil {
		return err
	}
	return writeDocs(append(append([]string{}, extracted...), stdDocs...))
}

// sourceHashes fingerprints the Go files of each package, so that a package
// whose source did not change since the last run is not extracted again
// (extraction type-checks from source and is slow). -force ignores them.
func sourceHashes(pkgs []string) (map[string]string, error) {
	args := append([]string{"list", "-e", "-f", "{{.ImportPath}}\t{{.Dir}}\t{{join .GoFiles \",\"}}"}, pkgs...)
	out, err := exec.Command("go", args...).Output()
	if err != nil {
		return nil, fmt.Errorf("go list: %v", err)
	}
	hashes := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Split(line, "\t")
		if len(f) != 3 || f[2] == "" {
			continue
		}
		h := sha256.New()
		for _, name := range strings.Split(f[2], ",") {
			b, err := os.ReadFile(filepath.Join(f[1], name))
			if err != nil {
				return nil, err
			}
			fmt.Fprintf(h, "%s %d\n", name, len(b))
			h.Write(b)
		}
		hashes[f[0]] = hex.EncodeToString(h.Sum(nil))[:16]
	}
	return hashes, nil
}

// previousHashes reads the fingerprints recorded in packages_gen.go.
func previousHashes() map[string]string {
	m := map[string]string{}
	b, err := os.ReadFile("packages_gen.go")
	if err != nil {
		return m
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) == 4 && f[0] == "//" && f[1] == "source" {
			m[f[2]] = f[3]
		}
	}
	return m
}

// symbolFile is the name of a package's symbol file, as yaegi's command names
// it (path with '/' -> '-', '.' -> '_').
func symbolFile(importPath string) string {
	return strings.NewReplacer("/", "-", ".", "_", "~", "_").Replace(importPath) + ".go"
}

// projectPackages lists the module's packages that cells may import.
func projectPackages() ([]string, error) {
	out, err := exec.Command("go", "list", "-e", "-f", "{{.ImportPath}}\t{{.Name}}\t{{len .GoFiles}}", module+"/...").Output()
	if err != nil {
		return nil, fmt.Errorf("go list %s/...: %v", module, err)
	}
	var pkgs []string
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Split(line, "\t")
		if len(f) != 3 || f[2] == "0" || f[1] == "main" || !Importable(f[0]) {
			continue
		}
		pkgs = append(pkgs, f[0])
	}
	return pkgs, nil
}

// Importable reports whether a project package belongs in the tables: not
// internal, not the kernel (cells must not reach into their own interpreter).
// The freshness test in kernel/symbols applies the same rule.
func Importable(path string) bool {
	rel := strings.TrimPrefix(path, module)
	if rel == path {
		return false
	}
	for _, seg := range strings.Split(rel, "/") {
		if seg == "internal" || seg == "testdata" {
			return false
		}
	}
	return rel != "/kernel" && !strings.HasPrefix(rel, "/kernel/") && !strings.HasPrefix(rel, "/cmd/")
}

// removeGenerated deletes the symbol files of an earlier run that are not in
// keep, so a package that was removed from the project disappears from the tables.
func removeGenerated(dir string, keep map[string]bool) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".go") || keep[e.Name()] {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return err
		}
		if bytes.HasPrefix(b, []byte("// Code generated by 'yaegi extract")) {
			if err := os.Remove(filepath.Join(dir, e.Name())); err != nil {
				return err
			}
		}
	}
	return nil
}

// extractPackage writes the symbol file of one package.
func extractPackage(importPath string) error {
	ext := extract.Extractor{Dest: "symbols"}
	var buf bytes.Buffer
	if _, err := ext.Extract(importPath, "", &buf); err != nil {
		return err
	}
	return atomicfile.WriteFile(symbolFile(importPath), buf.Bytes())
}

// writePackageList writes packages_gen.go: the extracted packages, and the
// source fingerprints that let the next run skip unchanged packages.
func writePackageList(pkgs []string, hashes map[string]string) error {
	var b bytes.Buffer
	b.WriteString("// Code generated by kernel/symbols/internal/gen. DO NOT EDIT.\n\n")
	for _, p := range pkgs {
		if hashes[p] != "" {
			fmt.Fprintf(&b, "// source %s %s\n", p, hashes[p])
		}
	}
	b.WriteString("\npackage symbols\n\n")
	b.WriteString("// Packages lists the import paths whose symbols are compiled into the kernel\n")
	b.WriteString("// (besides yaegi's stdlib), sorted.\nvar Packages = []string{\n")
	for _, p := range pkgs {
		fmt.Fprintf(&b, "\t%q,\n", p)
	}
	b.WriteString("}\n")
	src, err := format.Source(b.Bytes())
	if err != nil {
		return err
	}
	return atomicfile.WriteFile("packages_gen.go", src)
}

// Entry is the documentation of one symbol; the session decodes the same shape.
type Entry struct {
	Decl string `json:"d"`
	Doc  string `json:"c,omitempty"`
}

// writeDocs writes docs.json.gz: import path -> symbol name -> Entry. Methods are
// keyed "Type.Method"; the package's own doc has the key "".
func writeDocs(pkgs []string) error {
	all := map[string]map[string]Entry{}
	for _, p := range pkgs {
		m, err := packageDocs(p)
		if err != nil {
			fmt.Fprintf(os.Stderr, "gen: no docs for %s: %v\n", p, err)
			continue
		}
		all[p] = m
	}
	js, err := json.Marshal(all)
	if err != nil {
		return err
	}
	var gz bytes.Buffer
	w, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	w.Write(js)
	if err := w.Close(); err != nil {
		return err
	}
	return atomicfile.WriteFile("docs.json.gz", gz.Bytes())
}

func packageDocs(importPath string) (map[string]Entry, error) {
	bp, err := build.Import(importPath, ".", 0)
	if err != nil {
		return nil, err
	}
	fset := token.NewFileSet()
	var files []*ast.File
	for _, name := range bp.GoFiles {
		f, err := parser.ParseFile(fset, filepath.Join(bp.Dir, name), nil, parser.ParseComments)
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	pkg, err := doc.NewFromFiles(fset, files, importPath)
	if err != nil {
		return nil, err
	}
	m := map[string]Entry{"": {Decl: "package " + pkg.Name + ` // import "` + importPath + `"`, Doc: pkg.Doc}}
	decl := func(n ast.Node) string {
		var b bytes.Buffer
		(&printer.Config{Mode: printer.UseSpaces | printer.TabIndent, Tabwidth: 8}).Fprint(&b, fset, n)
		return b.String()
	}
	funcs := func(prefix string, fs []*doc.Func) {
		for _, f := range fs {
			if !ast.IsExported(f.Name) {
				continue
			}
			f.Decl.Body = nil
			m[prefix+f.Name] = Entry{Decl: decl(f.Decl), Doc: f.Doc}
		}
	}
	values := func(vs []*doc.Value) {
		for _, v := range vs {
			d := decl(v.Decl)
			if len(d) > 2000 {
				d = d[:2000] + "\n..."
			}
			for _, n := range v.Names {
				if ast.IsExported(n) {
					m[n] = Entry{Decl: d, Doc: v.Doc}
				}
			}
		}
	}
	values(pkg.Consts)
	values(pkg.Vars)
	funcs("", pkg.Funcs)
	for _, t := range pkg.Types {
		if !ast.IsExported(t.Name) {
			continue
		}
		d := decl(t.Decl)
		if len(d) > 3000 {
			d = d[:3000] + "\n..."
		}
		m[t.Name] = Entry{Decl: d, Doc: t.Doc}
		values(t.Consts)
		values(t.Vars)
		funcs("", t.Funcs)
		funcs(t.Name+".", t.Methods)
	}
	return m, nil
}
