package session

import (
	"fmt"
	"reflect"
	"strings"
	"unicode/utf8"

	"github.com/turinglab/turinglab/display"
	"github.com/turinglab/turinglab/kernel/symbols"
)

// Inspect describes the name under or just before cursor (an offset in runes):
// signature and doc comment for a package symbol (from the documentation
// embedded at build time), source for a cell-defined func or type, type and
// value for a cell variable. ok is false when there is nothing to say.
func (s *Session) Inspect(code string, cursor int, detailLevel int) (display.Bundle, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := runeToByte(code, cursor)
	text := s.describe(exprAt(code, b), detailLevel)
	if text == "" {
		// Inside a call's arguments (Shift-Tab after "f("): describe the callee.
		if open := openParen(code[:b]); open > 0 {
			text = s.describe(exprAt(code, open), detailLevel)
		}
	}
	if text == "" {
		return display.Bundle{}, false
	}
	return display.TextBundle(text), true
}

// exprAt returns the dotted name ("x", "pkg.Name", "v.Method") around byte b.
func exprAt(code string, b int) string {
	end := b
	for end < len(code) {
		r, n := utf8.DecodeRuneInString(code[end:])
		if !isIdentRune(r) {
			break
		}
		end += n
	}
	start := b
	for start > 0 {
		r, n := utf8.DecodeLastRuneInString(code[:start])
		if !isIdentRune(r) && r != '.' {
			break
		}
		start -= n
	}
	return strings.Trim(code[start:end], ".")
}

// openParen returns the offset of the innermost unclosed '(' in code, or -1.
func openParen(code string) int {
	depth := 0
	for i := len(code) - 1; i >= 0; i-- {
		switch code[i] {
		case ')':
			depth++
		case '(':
			if depth == 0 {
				return i
			}
			depth--
		case '\n':
			if depth == 0 && i < len(code)-1 && strings.TrimSpace(code[i:]) == "" {
				return -1
			}
		}
	}
	return -1
}

// describe returns the inspect/pager text for a dotted name, or "".
func (s *Session) describe(name string, detail int) string {
	if name == "" {
		return ""
	}
	parts := strings.Split(name, ".")
	head := parts[0]
	p, ok := s.importPath(head)
	if !ok {
		p, ok = s.autoImportPath(parts) // a package not imported yet
	}
	if ok {
		sym := ""
		if len(parts) > 1 {
			sym = parts[1]
		}
		if len(parts) > 2 {
			sym += "." + parts[2]
		}
		if e, ok := symbols.Doc(p, sym); ok {
			return formatDoc(e, detail)
		}
		if sym == "" {
			return fmt.Sprintf("package %s // import %q", head, p)
		}
		idx, _ := packages()
		if v, ok := idx[p][sym].(reflect.Value); ok {
			return fmt.Sprintf("%s.%s: %s", head, sym, v.Type())
		}
		return ""
	}
	if d := s.reg.lookup(head); d != nil && len(parts) == 1 {
		return d.source
	}
	if !s.reg.hasVar(head) {
		return ""
	}
	val, ok := varSlot(s.in, head)
	if !ok {
		return ""
	}
	t := val.Type()
	typeName := t.String()
	if tn := s.varTypeName(head); tn != "" {
		typeName = tn
	}
	if len(parts) > 1 {
		return s.describeMember(t, typeName, parts[1], detail)
	}
	text := fmt.Sprint(val.Interface())
	if len(text) > 2000 {
		text = text[:2000] + "..."
	}
	out := fmt.Sprintf("var %s %s\nvalue: %s", head, typeName, text)
	if e, ok := docOfType(t); ok {
		out += "\n\n" + formatDoc(e, 0)
	}
	return out
}

// describeMember documents a field or method of a variable's type.
func (s *Session) describeMember(t reflect.Type, typeName, member string, detail int) string {
	if d := s.reg.lookup(typeName + "." + member); d != nil {
		return d.source
	}
	base := t
	if base.Kind() == reflect.Pointer {
		base = base.Elem()
	}
	if e, ok := symbols.Doc(base.PkgPath(), base.Name()+"."+member); ok {
		return formatDoc(e, detail)
	}
	if m, ok := reflect.PointerTo(base).MethodByName(member); ok {
		return fmt.Sprintf("func (%s) %s%s", base, member, strings.TrimPrefix(m.Type.String(), "func"))
	}
	if base.Kind() == reflect.Struct {
		if f, ok := base.FieldByName(member); ok {
			return fmt.Sprintf("%s.%s %s", typeName, member, f.Type)
		}
	}
	return ""
}

// docOfType finds the documentation of a compiled named type (or pointer to one).
func docOfType(t reflect.Type) (symbols.DocEntry, bool) {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.PkgPath() == "" || t.Name() == "" {
		return symbols.DocEntry{}, false
	}
	return symbols.Doc(t.PkgPath(), t.Name())
}

// formatDoc renders a documentation entry: the declaration, then the doc comment.
func formatDoc(e symbols.DocEntry, detail int) string {
	out := e.Decl
	if e.Doc != "" {
		out += "\n\n" + strings.TrimSpace(e.Doc)
	}
	return out
}
