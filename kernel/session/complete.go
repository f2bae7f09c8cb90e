package session

import (
	"go/ast"
	"go/parser"
	"go/token"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/turinglab/turinglab/kernel/internal/cellsrc"
)

// Completion is the answer to a complete request: the candidates, and the rune
// range [Start, End) of the code that a chosen candidate replaces.
type Completion struct {
	Matches    []string
	Start, End int
}

// Complete proposes completions at cursor (an offset in runes): cell-declared
// names, keywords and builtins; members of an imported package after `pkg.`;
// fields and methods after `value.`.
func (s *Session) Complete(code string, cursor int) Completion {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := runeToByte(code, cursor)
	if c, ok := completeSpecial(code, b, cursor); ok {
		return c
	}
	start := b
	for start > 0 {
		r, n := utf8.DecodeLastRuneInString(code[:start])
		if !isIdentRune(r) {
			break
		}
		start -= n
	}
	prefix := code[start:b]
	var cands []string
	if start > 0 && code[start-1] == '.' {
		x := start - 1
		for x > 0 {
			r, n := utf8.DecodeLastRuneInString(code[:x])
			if !isIdentRune(r) {
				break
			}
			x -= n
		}
		cands = s.members(code[x : start-1])
	} else {
		cands = s.globalNames()
	}
	var matches []string
	seen := map[string]bool{}
	for _, c := range cands {
		if strings.HasPrefix(c, prefix) && !seen[c] && !strings.HasPrefix(c, "_tl") {
			seen[c] = true
			matches = append(matches, c)
		}
	}
	sort.Strings(matches)
	return Completion{Matches: matches, Start: cursor - utf8.RuneCountInString(prefix), End: cursor}
}

// importPathRE matches the text of a line up to the cursor when the cursor is
// inside an import path: `import "gon`, `import m "math/`, or `	"fm` in a block.
var importPathRE = regexp.MustCompile(`^\s*(?:import\s+)?(?:[\w.]+\s+)?"([^"]*)$`)

// completeSpecial completes import paths inside an import's quotes and magics
// at the start of a cell.
func completeSpecial(code string, b, cursor int) (Completion, bool) {
	line := code[strings.LastIndex(code[:b], "\n")+1 : b]
	if m := importPathRE.FindStringSubmatch(line); m != nil && inImport(code[:b], line) {
		var matches []string
		for _, p := range importablePaths() {
			if strings.HasPrefix(p, m[1]) {
				matches = append(matches, p)
			}
		}
		return Completion{Matches: matches, Start: cursor - utf8.RuneCountInString(m[1]), End: cursor}, true
	}
	if t := strings.TrimLeft(code[:b], " \t\n"); strings.HasPrefix(t, "%") && !strings.ContainsAny(t, " \n") {
		var matches []string
		for _, m := range []string{"%help", "%reset", "%who", "%auto_import", "%%time"} {
			if strings.HasPrefix(m, t) {
				matches = append(matches, m)
			}
		}
		return Completion{Matches: matches, Start: cursor - utf8.RuneCountInString(t), End: cursor}, true
	}
	return Completion{}, false
}

// inImport reports whether the line being typed is an import: it starts with
// `import`, or it lies inside an unclosed `import (` block.
func inImport(before, line string) bool {
	if strings.HasPrefix(strings.TrimSpace(line), "import") {
		return true
	}
	i := strings.LastIndex(before, "import (")
	return i >= 0 && !strings.Contains(before[i:], ")")
}

// members lists what may follow "x.": a package's exported symbols, or a
// variable's fields and methods.
func (s *Session) members(x string) []string {
	if x == "" {
		return nil
	}
	paths := s.autoImportPaths(x, nil) // a package not imported yet
	if p, ok := s.importPath(x); ok {
		paths = []string{p}
	}
	if len(paths) > 0 {
		idx, _ := packages()
		var out []string
		for _, p := range paths {
			for n := range idx[p] {
				if ast := n[0]; ast != '_' && unicode.IsUpper(rune(ast)) {
					out = append(out, n)
				}
			}
		}
		return out
	}
	if !s.reg.hasVar(x) {
		return nil
	}
	v, ok := varSlot(s.in, x)
	if !ok {
		return nil
	}
	var out []string
	t := v.Type()
	out = append(out, methodNames(t)...)
	out = append(out, methodNames(reflect.PointerTo(t))...)
	st := t
	if st.Kind() == reflect.Pointer {
		st = st.Elem()
		out = append(out, methodNames(st)...)
	}
	if tn := s.varTypeName(x); tn != "" {
		// A cell type: yaegi renames unexported fields in its reflect type, so
		// fields come from the declaration, methods from the registry.
		if d := s.reg.lookup(tn); d != nil {
			out = append(out, structFields(d.source)...)
		}
		for _, d := range s.reg.defs {
			if d.kind == defMethod && strings.HasPrefix(d.names[0], tn+".") {
				out = append(out, strings.TrimPrefix(d.names[0], tn+"."))
			}
		}
		return out
	}
	if st.Kind() == reflect.Struct {
		for i := 0; i < st.NumField(); i++ {
			if f := st.Field(i); f.IsExported() {
				out = append(out, f.Name)
			}
		}
	}
	return out
}

// structFields returns the field names of the struct type declared by src.
func structFields(src string) []string {
	f, err := parser.ParseFile(token.NewFileSet(), "", "package p;"+src, 0)
	if err != nil {
		return nil
	}
	var out []string
	ast.Inspect(f, func(n ast.Node) bool {
		if st, ok := n.(*ast.StructType); ok {
			for _, fl := range st.Fields.List {
				for _, name := range fl.Names {
					out = append(out, name.Name)
				}
				if len(fl.Names) == 0 { // embedded
					out = append(out, recvTypeName(fl.Type))
				}
			}
			return false
		}
		return true
	})
	return out
}

func methodNames(t reflect.Type) []string {
	var out []string
	for i := 0; i < t.NumMethod(); i++ {
		out = append(out, t.Method(i).Name)
	}
	return out
}

// importPath resolves a name to the package it imports in the cells.
func (s *Session) importPath(name string) (string, bool) {
	if s.reg.hasVar(name) || s.reg.lookup(name) != nil {
		return "", false
	}
	for i := len(s.reg.imports) - 1; i >= 0; i-- {
		if s.reg.imports[i].name() == name {
			return s.reg.imports[i].path, true
		}
	}
	if name == "wb" && hasPackage(workbenchPath) {
		return workbenchPath, true
	}
	return "", false
}

// globalNames lists the names visible at the top of a cell.
func (s *Session) globalNames() []string {
	out := append([]string(nil), s.reg.vars...)
	for _, d := range s.reg.defs {
		if d.kind != defMethod {
			out = append(out, d.names...)
		}
	}
	for _, imp := range s.reg.imports {
		out = append(out, imp.name())
	}
	if hasPackage(workbenchPath) {
		out = append(out, "wb")
	}
	if !s.autoImportOff {
		out = append(out, packageNames()...) // auto_import.go imports them on use
	}
	out = append(out, goKeywords...)
	out = append(out, cellsrc.BuiltinNames()...)
	return append(out, "bool", "byte", "complex64", "complex128", "error", "float32", "float64",
		"int", "int8", "int16", "int32", "int64", "rune", "string", "uint", "uint8", "uint16",
		"uint32", "uint64", "uintptr", "any", "true", "false", "nil", "iota")
}

var goKeywords = []string{"break", "case", "chan", "const", "continue", "default", "defer",
	"else", "fallthrough", "for", "func", "go", "goto", "if", "import", "interface", "map",
	"package", "range", "return", "select", "struct", "switch", "type", "var"}

func isIdentRune(r rune) bool { return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) }

// runeToByte converts an offset in runes to an offset in bytes, clamped.
func runeToByte(s string, runes int) int {
	if runes <= 0 {
		return 0
	}
	i := 0
	for b := range s {
		if i == runes {
			return b
		}
		i++
	}
	return len(s)
}
