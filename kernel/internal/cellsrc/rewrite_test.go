package cellsrc

import (
	"strings"
	"testing"
)

// rewriteCase is a cell, a rewrite, and the cell as the rewrite leaves it (or
// the start of the error it refuses the cell with).
type rewriteCase struct {
	name, in string
	rewrite  func(*Cell, *Editor) *Error
	want     string // the rewritten cell, when the rewrite accepts it
	err      string // the start of the refusal, when it does not
}

// quiet adapts a rewrite that never refuses a cell.
func quiet(f func(*Cell, *Editor)) func(*Cell, *Editor) *Error {
	return func(p *Cell, ed *Editor) *Error { f(p, ed); return nil }
}

// goStatements applies RewriteGo to the whole cell, as the session does.
func goStatements(p *Cell, ed *Editor) {
	for _, d := range p.Decls {
		RewriteGo(ed, d, p.Offset)
	}
	for _, st := range p.Stmts {
		RewriteGo(ed, st, p.Offset)
	}
}

// Each rewrite on the example of its file's comment, source to source. The
// session's behaviour tests run the same constructs through the interpreter.
func TestRewrites(t *testing.T) {
	for _, c := range []rewriteCase{
		{name: "go statements", rewrite: quiet(goStatements),
			in:   "go f(1, 2)\ngo g()\ngo func(i int) { _ = i }(3)\ngo println(1)",
			want: "_tl.Go(f, 1, 2)\n_tl.Go(g)\n{ _tlG18 := func(i int) { _ = i }; _tl.Go(_tlG18, 3) }\ngo println(1)"},
		{name: "spread of a package variable", rewrite: quiet(RewriteSpreadArgs),
			in:   "import \"os\"\nfmt.Println(os.Args...)\nxs := []int{1}\nf(xs...)",
			want: "import \"os\"\nfmt.Println(os.Args[:]...)\nxs := []int{1}\nf(xs...)"},
		{name: "composite elements", rewrite: quiet(RewriteCompositeElements),
			in:   "xs := []string{victims[0].Text, name}",
			want: "xs := []string{(string)(victims[0].Text), (string)(name)}"},
		{name: "named results start at zero", rewrite: quiet(ZeroNamedResults),
			in:   "func f() (n int, err error) {\n\treturn\n}",
			want: "func f() (n int, err error) { n = *new(int); err = *new(error);\n\treturn\n}"},
		{name: "several values with built-ins", rewrite: quiet(RewriteMultiReturns),
			in:   "func f(ids, labels []int) ([]int, []int) {\n\treturn append(ids, 1), append(labels, 2)\n}",
			want: "func f(ids, labels []int) ([]int, []int) {\n\t{ var _tlv0 []int =  append(ids, 1); var _tlv1 []int =  append(labels, 2); return _tlv0, _tlv1 }\n}"},
		{name: "several values reading named results", rewrite: quiet(RewriteMultiReturns),
			in:   "func f() (a, b int) {\n\treturn b, a\n}",
			want: "func f() (a, b int) {\n\t{ var _tlv0 int =  b; var _tlv1 int =  a; return _tlv0, _tlv1 }\n}"},
		{name: "several values with no built-in and no named result", rewrite: quiet(RewriteMultiReturns),
			in:   "func f() (int, error) {\n\treturn g(), nil\n}",
			want: "func f() (int, error) {\n\treturn g(), nil\n}"},
		{name: "multi-assignment of a call and a nil", rewrite: RewriteMultiAssign,
			in:   "a, b := f(), 5\nv, err = 3, nil",
			want: "a, b := (f()), 5\nv = 3; err = nil"},
		{name: "multi-assignment of nil in a loop header", rewrite: RewriteMultiAssign,
			in:  "for i := 0; i < 2; i, e = i+1, nil {\n}",
			err: "1:20: the interpreter cannot assign nil in a multi-assignment"},
		{name: "map index assigned before", rewrite: RewriteAssignOrder,
			in:   "k, m[k] = \"b\", 1",
			want: "{ _tlK5 := k; k, m[_tlK5] = \"b\", 1 }"},
		{name: "indexed map assigned before", rewrite: RewriteAssignOrder,
			in:  "m, m[k] = m2, 1",
			err: "1:4: the interpreter evaluates a map destination's operands only after"},
		{name: "three-clause loop variable", rewrite: RewriteLoopVars,
			in:   "for i := 0; i < 3; i++ {\n\tfs = append(fs, func() int { return i })\n}",
			want: "for _tlL0_0 := 0; _tlL0_0 < 3; _tlL0_0++ { i := _tlL0_0; _tlQ0_0 := &i; {\n\tfs = append(fs, func() int { return i })\n}; _tlL0_0 = *_tlQ0_0; }"},
		{name: "range loop variable", rewrite: RewriteLoopVars,
			in:   "for _, v := range xs {\n\tfs = append(fs, func() int { return v })\n}",
			want: "for _, _tlR0_1 := range xs { v := _tlR0_1; {\n\tfs = append(fs, func() int { return v })\n}}"},
		{name: "loop variable unobserved", rewrite: RewriteLoopVars,
			in:   "for i := 0; i < 3; i++ {\n\tsum += i\n}",
			want: "for i := 0; i < 3; i++ {\n\tsum += i\n}"},
		{name: "loop variable in a header's function literal", rewrite: RewriteLoopVars,
			in:  "for i := 0; func() bool { return i < 3 }(); i++ {\n\tfs = append(fs, func() int { return i })\n}",
			err: "1:13: a function literal in a for loop's header"},
		{name: "kept := variables of a function body", rewrite: quiet(func(p *Cell, ed *Editor) { ed.Edits = append(ed.Edits, KeepEdits(p)...) }),
			in:   "e := h.Evals[0]\nfmt.Println(e)",
			want: "e := h.Evals[0]; _tl.Keep(\"e\", &e)\nfmt.Println(e)"},
		{name: "function literal called at the top level", rewrite: quiet(func(p *Cell, ed *Editor) { ed.Edits = append(ed.Edits, IIFEEdits(p, true)...) }),
			in:   "func() { x++ }()\nfunc() int { return 1 }()",
			want: "if true { func() { x++ }() }\nfunc() int { return 1 }()"},
	} {
		t.Run(c.name, func(t *testing.T) {
			p, err := Parse(c.in)
			if err != nil {
				t.Fatalf("Parse(%q): %v", c.in, err)
			}
			ed := &Editor{Src: c.in}
			e := c.rewrite(p, ed)
			switch {
			case c.err != "" && e == nil:
				t.Fatalf("%q: accepted as %q, want the error %q...", c.in, ed.Text(0, len(c.in)), c.err)
			case c.err != "" && !strings.HasPrefix(e.Error(), c.err):
				t.Fatalf("%q: error %q, want %q...", c.in, e.Error(), c.err)
			case c.err == "" && e != nil:
				t.Fatalf("%q: refused: %v", c.in, e)
			case c.err == "":
				if got := ed.Text(0, len(c.in)); got != c.want {
					t.Fatalf("%q:\n got %q\nwant %q", c.in, got, c.want)
				}
				if strings.Count(ed.Text(0, len(c.in)), "\n") != strings.Count(c.in, "\n") {
					t.Fatalf("%q: the rewrite changed the number of lines", c.in)
				}
			}
		})
	}
}
