package cellsrc

import (
	"fmt"
	"reflect"
	"testing"
)

// Parse splits a cell into imports, declarations and statements, in any
// order, with positions in the cell.
func TestParse(t *testing.T) {
	for _, c := range []struct {
		in                    string
		chunks                string // kind[start:end] of each chunk
		imports, decls, stmts int
		lastIsExpr            bool
	}{
		{in: "import \"fmt\"\nx := 1\nfunc f() int { return x }\ntype T int\nf()\ny := 2",
			chunks: "[0[0:12] 2[13:19] 1[20:45] 1[46:56] 2[57:67]]", imports: 1, decls: 2, stmts: 3},
		{in: "x := 1\nx + 1", chunks: "[2[0:12]]", stmts: 2, lastIsExpr: true},
		{in: "func() { println(1) }()", chunks: "[2[0:23]]", stmts: 1, lastIsExpr: true},
		{in: "for i := 0; i < 3; i++ {\n}\nvar v int", chunks: "[2[0:26] 1[27:36]]", decls: 1, stmts: 1},
	} {
		p, err := Parse(c.in)
		if err != nil {
			t.Fatalf("Parse(%q): %v", c.in, err)
		}
		got := fmt.Sprint(p.Chunks)
		if got != c.chunks || len(p.Imports) != c.imports || len(p.Decls) != c.decls || len(p.Stmts) != c.stmts || p.LastIsExpr != c.lastIsExpr {
			t.Errorf("Parse(%q): chunks %s, %d imports, %d decls, %d stmts, last is expr %v; want %s, %d, %d, %d, %v",
				c.in, got, len(p.Imports), len(p.Decls), len(p.Stmts), p.LastIsExpr, c.chunks, c.imports, c.decls, c.stmts, c.lastIsExpr)
		}
	}
}

// A parse error names the cell's line and column.
func TestParseError(t *testing.T) {
	for in, want := range map[string]string{
		"x := (1\n":      "cell:1:8: expected ')', found newline",
		"x := 1\ny := }": "cell:2:6: expected operand, found '}' (and 1 more errors)",
	} {
		if _, err := Parse(in); err == nil || err.Error() != want {
			t.Errorf("Parse(%q): error %v, want %q", in, err, want)
		}
	}
}

// Split cuts a cell's statements in two parts that keep the cell's positions;
// InOrder finds where, for a function that uses a := variable of its cell.
func TestInOrder(t *testing.T) {
	p, err := Parse("import \"fmt\"\nx := 1\nfunc f() int { return x }\ntype T int\nf()\ny := 2")
	if err != nil {
		t.Fatal(err)
	}
	decls := []Decl{{Names: []string{"f"}, Refs: IdentsOf(p.Decls[0])}, {Names: []string{"T"}, Refs: IdentsOf(p.Decls[1])}}
	o, ok := InOrder(p, []string{"x", "y"}, decls)
	want := Order{Dependent: []bool{true, false}, Names: map[string]bool{"f": true}, Cut: 1}
	if !ok || !reflect.DeepEqual(o, want) {
		t.Fatalf("InOrder = %+v, %v; want %+v, true", o, ok, want)
	}
	head, tail := p.Split(o.Cut)
	if len(head.Stmts) != 1 || len(tail.Stmts) != 2 || head.Part != 1 || tail.Part != 2 || head.LastIsExpr {
		t.Fatalf("Split(1): head %d stmts (part %d), tail %d (part %d)", len(head.Stmts), head.Part, len(tail.Stmts), tail.Part)
	}
	if got := fmt.Sprint(tail.Chunks); got != "[2[57:67]]" {
		t.Fatalf("Split(1): tail chunks %s", got)
	}
	// f is first used before y is declared: no order works.
	if _, ok := InOrder(p, []string{"x", "y"}, []Decl{{Names: []string{"f"}, Refs: map[string]bool{"y": true}}}); ok {
		t.Fatal("InOrder found an order for a function that needs a variable declared after its first use")
	}
}

// Layout places pieces at their lines and columns; FunctionBody wraps a
// cell's statements on the free lines around the cell.
func TestLayout(t *testing.T) {
	got := Layout([]Piece{{Line: 2, Col: 3, Text: "a"}, {Line: 1, Col: 1, Text: "b"}, {Line: 2, Col: 1, Text: "c"}})
	if want := "b;\nc;a;"; got != want {
		t.Errorf("Layout = %q, want %q", got, want)
	}
	decl, call := FunctionBody(7, 1, 10, 2, []Piece{{Line: 10, Col: 1, Text: "x := 1"}, {Line: 11, Col: 1, Text: "y := x"}})
	if want := "\n\n\n\n\n\n\n\nfunc _tlcell7_1() {;\nx := 1;\ny := x;\n};"; decl != want {
		t.Errorf("FunctionBody decl = %q, want %q", decl, want)
	}
	if want := "\n\n\n\n\n\n\n\n\n\n\n  _tlcell7_1();"; call != want {
		t.Errorf("FunctionBody call = %q, want %q", call, want)
	}
}

// OriginalCol maps a column of the edited text back to the cell as typed.
func TestOriginalCol(t *testing.T) {
	ed := &Editor{Src: "abc def", Edits: []Edit{{Start: 0, End: 3, Text: "abcdef"}}}
	for col, want := range map[int]int{2: 1, 8: 5, 11: 8} {
		if got := ed.OriginalCol(1, col); got != want {
			t.Errorf("OriginalCol(1, %d) = %d, want %d", col, got, want)
		}
	}
}
