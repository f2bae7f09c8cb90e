package session

import (
	"fmt"
	"go/ast"
	"go/token"
	"path"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/turinglab/turinglab/kernel/internal/cellsrc"
)

// Auto-imports, goimports-style. A cell that uses pkg.Name without importing
// pkg gets the import added when pkg names exactly one package the kernel can
// import (the standard library packages in yaegi's table, this module's
// packages and the gonum and gonum/plot packages the kernel links). The choice
// follows goimports (golang.org/x/tools/internal/imports):
//
//   - only a selector X.Sel whose X the cell cannot resolve and whose Sel is
//     exported is a package reference; a local, a parameter, a cell
//     declaration, a global of an earlier cell, an import (under any name) or
//     the pre-imported wb resolves X, as in Go;
//   - the candidates are the packages named X that export every Sel the cell
//     uses with X;
//   - the standard library comes first; for rand, goimports tries crypto/rand
//     and then math/rand/v2 (math/rand is chosen when it alone fits, e.g.
//     rand.Intn);
//   - of several other packages, goimports takes the nearest directory, then the
//     shortest import path, then the first alphabetically: here this module's
//     packages (nearest to its notebooks) before gonum's, then the shortest path.
//
// When several standard library packages fit and goimports has no preference
// (html/template and text/template for template.New), or when packages named X
// exist but none exports what the cell uses, the cell fails with an error that
// names the candidates and asks for an explicit import. An added import is
// recorded in the registry like one the user wrote, so it stays for later cells
// and replays on a rebuild; the cell tells the user once, on Stderr:
// "auto-imported: fmt, strings".

// autoImportNote starts the Stderr line that lists what a cell auto-imported.
const autoImportNote = "auto-imported: "

// modulePrefix is the import path prefix of this module's packages.
const modulePrefix = "github.com/turinglab/turinglab/"

// preferredStdlib is goimports' order for standard library names it
// disambiguates itself (addStdlibCandidates): crypto before math/rand/v2.
var preferredStdlib = map[string][]string{
	"rand": {"crypto/rand", "math/rand/v2"},
}

var (
	byNameOnce sync.Once
	byName     map[string][]string // package name -> import paths, in goimports order
)

// packagesNamed returns the import paths of the importable packages named
// name: the standard library first (alphabetically), then this module's
// packages, then the others (each by path length, then alphabetically). It
// builds its index once per process.
func packagesNamed(name string) []string {
	byNameOnce.Do(func() {
		_, names := packages()
		byName = map[string][]string{}
		for p, n := range names {
			if strings.Contains(p, "/internal/") || strings.HasSuffix(p, "/internal") {
				continue
			}
			byName[n] = append(byName[n], p)
		}
		for _, ps := range byName {
			sort.Slice(ps, func(i, j int) bool {
				ri, rj := pathRank(ps[i]), pathRank(ps[j])
				if ri != rj {
					return ri < rj
				}
				if ri > 0 && len(ps[i]) != len(ps[j]) {
					return len(ps[i]) < len(ps[j])
				}
				return ps[i] < ps[j]
			})
		}
	})
	return byName[name]
}

// packageNames lists the names of every importable package, for completion.
func packageNames() []string {
	packagesNamed("")
	out := make([]string, 0, len(byName))
	for n := range byName {
		out = append(out, n)
	}
	return out
}

// pathRank orders candidate packages: 0 the standard library, 1 this module,
// 2 everything else.
func pathRank(p string) int {
	switch {
	case isStdlib(p):
		return 0
	case strings.HasPrefix(p, modulePrefix):
		return 1
	}
	return 2
}

// isStdlib reports whether p is a standard library path (no dot in its first
// element, as goimports' importGroup decides).
func isStdlib(p string) bool {
	first, _, _ := strings.Cut(p, "/")
	return !strings.Contains(first, ".")
}

// exportsAll reports whether the package p exports every name in members.
func exportsAll(p string, members []string) bool {
	idx, _ := packages()
	syms := idx[p]
	for _, m := range members {
		if _, ok := syms[m]; !ok {
			return false
		}
	}
	return true
}

// choosePackage picks the package that uses name.M1, name.M2, ... refer to.
// It returns "" and no problem when no importable package has that name (the
// name is simply undefined), and a problem (to show the user) when the kernel
// cannot choose.
func choosePackage(name string, members []string) (p, problem string) {
	named := packagesNamed(name)
	if len(named) == 0 {
		return "", ""
	}
	var fits, std []string
	for _, c := range named {
		if exportsAll(c, members) {
			fits = append(fits, c)
			if isStdlib(c) {
				std = append(std, c)
			}
		}
	}
	uses := name + "." + strings.Join(members, ", "+name+".")
	switch {
	case len(fits) == 0 && len(named) == 1:
		var missing []string
		for _, m := range members {
			if !exportsAll(named[0], []string{m}) {
				missing = append(missing, m)
			}
		}
		return "", fmt.Sprintf("cannot auto-import %s: package %q has no %s", name, named[0], strings.Join(missing, ", "))
	case len(fits) == 0:
		return "", fmt.Sprintf("cannot auto-import %s: none of %s exports all of %s; import the one you mean explicitly",
			name, strings.Join(named, ", "), uses)
	case len(std) == 1:
		return std[0], ""
	case len(std) > 1:
		for _, want := range preferredStdlib[name] {
			for _, c := range std {
				if c == want {
					return c, ""
				}
			}
		}
		return "", fmt.Sprintf("%s is ambiguous: %s all export %s; import one explicitly, e.g. import %q",
			name, strings.Join(std, ", "), uses, std[0])
	}
	return fits[0], "" // no standard library package fits: goimports' order decides
}

// packageRef is one unresolved name used as X in X.Sel in a cell.
type packageRef struct {
	name    string
	members []string // the exported selectors, sorted
	offset  int      // the first use, a byte offset in the cell
}

// unresolvedRefs collects the selectors X.Sel of a cell whose X the parser
// could not resolve within the cell and whose Sel is exported (goimports'
// collectReferences), in order of first use.
func unresolvedRefs(p *cellsrc.Cell) []*packageRef {
	var refs []*packageRef
	seen := map[string]*packageRef{}
	visit := func(n ast.Node) bool {
		sel, ok := n.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		x, ok := sel.X.(*ast.Ident)
		if !ok || x.Obj != nil || !ast.IsExported(sel.Sel.Name) {
			return true
		}
		r := seen[x.Name]
		if r == nil {
			r = &packageRef{name: x.Name, offset: p.Offset(x.Pos())}
			seen[x.Name] = r
			refs = append(refs, r)
		}
		if !contains(r.members, sel.Sel.Name) {
			r.members = append(r.members, sel.Sel.Name)
		}
		return true
	}
	p.Inspect(visit)
	sort.Slice(refs, func(i, j int) bool { return refs[i].offset < refs[j].offset })
	for _, r := range refs {
		sort.Strings(r.members)
	}
	return refs
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// shadowed reports whether name means something other than an unimported
// package in a cell: an import of the session (under any name), wb, a global
// variable, a func, type or const of an earlier cell, or one of the cell's own
// names (cellNames: its imports, declarations and top-level := variables,
// which the cell's declarations may use).
func shadowed(name string, reg *registry, cellNames []string) bool {
	if name == "wb" && hasPackage(workbenchPath) {
		return true
	}
	for _, imp := range reg.imports {
		if imp.name() == name {
			return true
		}
	}
	return reg.hasVar(name) || reg.lookup(name) != nil || contains(cellNames, name)
}

// autoImport chooses the imports a parsed cell needs, adds them to reg (the
// cell's copy of the registry) and notes them on Stderr; it returns the new
// ones, for the caller to evaluate. It runs before plan, so that the rewrites
// that resolve package names (range over an integer constant such as
// math.MaxInt8, min and max) see the packages it adds. It returns an error
// when a package reference is ambiguous.
func (s *Session) autoImport(p *cellsrc.Cell, cur *cellRecord, reg *registry) ([]importDef, *Error) {
	if s.autoImportOff {
		return nil, nil
	}
	var added []string
	var defs []importDef
	own := cellNames(p)
	line := 0
	for _, r := range unresolvedRefs(p) {
		if shadowed(r.name, reg, own) {
			continue
		}
		ip, problem := choosePackage(r.name, r.members)
		if problem != "" {
			l, c := cellsrc.LineCol(p.Src, r.offset)
			v := fmt.Sprintf("%d:%d: %s", l, c, problem)
			return nil, &Error{Name: "ImportError", Value: v, Traceback: append([]string{v}, caretLines(cur, l, c)...)}
		}
		if ip == "" {
			continue
		}
		if line == 0 {
			line = s.lines.reserve(1) // synthetic code: errors there name no cell line
		}
		d := importDef{path: ip, piece: cellsrc.Piece{Line: line, Col: 1, Text: "import " + strconv.Quote(ip)}}
		if path.Base(ip) != r.name { // math/rand/v2 is package rand
			d.alias = r.name
			d.piece.Text = "import " + r.name + " " + strconv.Quote(ip)
		}
		if reg.addImport(d) {
			defs = append(defs, d)
			added = append(added, ip)
		}
	}
	if len(added) > 0 {
		fmt.Fprintln(s.opts.Stderr, autoImportNote+strings.Join(added, ", "))
	}
	return defs, nil
}

// cellNames lists the names a cell itself gives meaning to at its top level:
// its imports (under the name they bind), its declarations and the variables
// its top-level := statements declare. Any of them shadows a package.
func cellNames(p *cellsrc.Cell) []string {
	var out []string
	for _, g := range p.Imports {
		for _, spec := range g.Specs {
			is := spec.(*ast.ImportSpec)
			ip, _ := strconv.Unquote(is.Path.Value)
			d := importDef{path: ip}
			if is.Name != nil {
				d.alias = is.Name.Name
			}
			out = append(out, d.name())
		}
	}
	for _, d := range p.Decls {
		if _, names, _ := declInfo(d); len(names) > 0 {
			out = append(out, names...)
		}
	}
	for _, st := range p.Stmts {
		if as, ok := st.(*ast.AssignStmt); ok && as.Tok == token.DEFINE {
			for _, l := range as.Lhs {
				if id, ok := l.(*ast.Ident); ok {
					out = append(out, id.Name)
				}
			}
		}
	}
	return out
}

// autoImportPaths returns the packages a not yet imported name may refer to
// (for completion and inspection), members the selectors known so far: every
// package of that name when there are none (after "rand."), else the one
// auto-import would choose, else every candidate. It returns nil when
// auto-import is off or the name resolves to something else.
func (s *Session) autoImportPaths(name string, members []string) []string {
	if s.autoImportOff || shadowed(name, s.reg, nil) {
		return nil
	}
	if len(members) == 0 {
		return packagesNamed(name)
	}
	if p, _ := choosePackage(name, members); p != "" {
		return []string{p}
	}
	return packagesNamed(name)
}

// autoImportPath resolves the head of a dotted name ("fmt" in fmt.Println)
// that names a package not imported yet, as a cell using it would; ok is false
// when the name is something else or the kernel could not choose.
func (s *Session) autoImportPath(parts []string) (string, bool) {
	var members []string
	if len(parts) > 1 && ast.IsExported(parts[1]) {
		members = parts[1:2]
	}
	if ps := s.autoImportPaths(parts[0], members); len(ps) == 1 {
		return ps[0], true
	}
	return "", false
}

// autoImportMagic handles `%auto_import [on|off]`: switches auto-imports, or
// prints whether they are on.
func (s *Session) autoImportMagic(args []string) Result {
	switch {
	case len(args) == 0:
	case len(args) == 1 && args[0] == "on":
		s.autoImportOff = false
	case len(args) == 1 && args[0] == "off":
		s.autoImportOff = true
	default:
		v := fmt.Sprintf("%%auto_import takes on or off, not %q", strings.Join(args, " "))
		return Result{Error: &Error{Name: "UsageError", Value: v, Traceback: []string{"UsageError: " + v}}}
	}
	state := "on: a cell that uses pkg.Name without importing pkg gets the import"
	if s.autoImportOff {
		state = "off: cells must import every package they use"
	}
	fmt.Fprintln(s.opts.Stdout, "Auto-import is "+state+".")
	return Result{}
}
