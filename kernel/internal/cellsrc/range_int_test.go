package cellsrc

import (
	"reflect"
	"testing"
)

// knownNames answers as a session would that has the int variable n, the
// []int variable xs, the func count() int and the package math with MaxInt8.
type knownNames struct{}

// VarType knows n and xs.
func (knownNames) VarType(name string) (reflect.Type, bool) {
	switch name {
	case "n":
		return reflect.TypeFor[int](), true
	case "xs":
		return reflect.TypeFor[[]int](), true
	}
	return nil, false
}

// ConstType knows no constants.
func (knownNames) ConstType(string) (reflect.Type, bool) { return nil, false }

// FuncResult knows count() int.
func (knownNames) FuncResult(name string) string {
	if name == "count" {
		return "int"
	}
	return ""
}

// Package knows math.
func (knownNames) Package(name string) (string, bool) { return name, name == "math" }

// Symbol knows math.MaxInt8, as an int8 value.
func (knownNames) Symbol(path, name string) (reflect.Value, bool) {
	if path == "math" && name == "MaxInt8" {
		return reflect.ValueOf(int8(127)), true
	}
	return reflect.Value{}, false
}

// A range over an integer, told from the syntax or from what the session
// knows, becomes the three-clause loop Go defines it to be; any other range
// stays.
func TestRewriteRangeOverInt(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"for i := range 10 {\n\tfmt.Println(i)\n}",
			"for _tlI0, _tlN0 := (10)-(10), 10; _tlI0 < _tlN0; _tlI0++ { i := _tlI0;\n\tfmt.Println(i)\n}"},
		{"for range len(xs) {\n}",
			"for _tlI0, _tlN0 := (len(xs))-(len(xs)), len(xs); _tlI0 < _tlN0; _tlI0++ {\n}"},
		{"for i := range n {\n}",
			"for _tlI0, _tlN0 := (n)-(n), n; _tlI0 < _tlN0; _tlI0++ { i := _tlI0;\n}"},
		{"for i := range count() {\n}",
			"for _tlI0, _tlN0 := 0, count(); _tlI0 < _tlN0; _tlI0++ { i := _tlI0;\n}"},
		{"for i := range math.MaxInt8 {\n}",
			"for _tlI0, _tlN0 := (math.MaxInt8)-(math.MaxInt8), math.MaxInt8; _tlI0 < _tlN0; _tlI0++ { i := _tlI0;\n}"},
		{"func f(k int) {\n\tfor j := range k {\n\t}\n}",
			"func f(k int) {\n\tfor _tlI17, _tlN17 := (k)-(k), k; _tlI17 < _tlN17; _tlI17++ { j := _tlI17;\n\t}\n}"},
		{"i := 0\nfor i = range 3 {\n}",
			"i := 0\nfor i = (3)-(3); i < (3); i++ {\n}"},
		{"for i := range xs {\n}", "for i := range xs {\n}"},
		{"for i := range unknown {\n}", "for i := range unknown {\n}"},
	} {
		p, err := Parse(c.in)
		if err != nil {
			t.Fatalf("Parse(%q): %v", c.in, err)
		}
		ed := &Editor{Src: c.in}
		RewriteRangeOverInt(p, ed, knownNames{})
		if got := ed.Text(0, len(c.in)); got != c.want {
			t.Errorf("%q:\n got %q\nwant %q", c.in, got, c.want)
		}
	}
}
