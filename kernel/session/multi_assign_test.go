package session

import "testing"

// TestMultiAssign: multi-assignments whose values include calls, composite
// literals, receives or nil assign every pair (yaegi v0.16.1 silently skipped
// all pairs but the call's, or panicked on nil), as Go does.
func TestMultiAssign(t *testing.T) {
	s, out, errw := newTestSession(t)
	runSteps(t, s, out, errw, []step{
		// the course's cell: fields of a compiled struct, a method call first
		{code: "exCfg := bert.DefaultConfig()\nexVocab := wb.Must(tokenizer.NewVocab(strings.Fields(\"[PAD] [UNK] [CLS] [SEP] [MASK] the a\"))).(*tokenizer.Vocab)\n" +
			"x, err := strconv.Atoi(\"5\")\n" +
			"exCfg.VocabSize, exCfg.HiddenSize, exCfg.NumHiddenLayers, exCfg.NumAttentionHeads, exCfg.IntermediateSize = exVocab.Size(), 64, 2, 4, 256\n" +
			"x, err = strconv.Atoi(\"6\")\n" +
			"fmt.Sprint(exCfg.VocabSize, exCfg.HiddenSize, exCfg.NumHiddenLayers, exCfg.NumAttentionHeads, exCfg.IntermediateSize, x, err)",
			value: `7 64 2 4 256 6 <nil>`},
		// builtins, conversions, literals and receives, in functions and at the top level
		{code: "func one() int { return 1 }\ntype pair struct{ X, Y int }\n" +
			"func all() string {\n\tch := make(chan int, 1)\n\tch <- 3\n\ta, b := []int{1}, 5\n\tvar h, i = pair{1, 2}, 6\n\tj, k := <-ch, 7\n\tl, m := 0, 0\n\tl, m = len(\"abc\"), 8\n\tn, o := 0, 0\n\tn, o = 9, one()\n" +
			"\treturn fmt.Sprint(a, b, h, i, j, k, l, m, n, o)\n}\nall()",
			value: `[1] 5 {1 2} 6 3 7 3 8 9 1`},
		{code: "p, q := pair{}, 0\np, q = pair{3, 4}, one()+1\nr, u := []string{\"a\"}, 2\nfmt.Sprint(p, q, r, u)", value: `{3 4} 2 [a] 2`},
		// a swap still swaps, values are computed before any is assigned
		{code: "p, q = pair{q, p.X}, one()\np", value: "{2 3}"},
		{code: "sw := []int{1, 2}\nsw[0], sw[1] = sw[1], sw[0]\nsw", value: "[2 1]"},

		// nil among the values: the course's recover closure
		{code: "func shapeOf(v any) (shape []int, ok bool) {\n\tdefer func() {\n\t\tif r := recover(); r != nil {\n\t\t\tshape, ok = nil, false\n\t\t}\n\t}()\n\tshape, ok = []int{1}, true\n\tpanic(v)\n}\nshapeOf(1)", value: "([], false)"},
		{code: "var v int\nvar e error\nv, e = 3, nil\nfmt.Sprint(v, e)", value: `3 <nil>`},
		{code: "e = errors.New(\"x\")\nvar sp []int\nsp, v, e = nil, one(), nil\nfmt.Sprint(sp, v, e, sp == nil)", value: `[] 1 <nil> true`},
		{code: "type holder struct{ p *int; e error }\nvar hd holder\nn := 1\nhd.p, hd.e = &n, errors.New(\"set\")\nhd.p, hd.e = nil, nil\nfmt.Sprint(hd.p == nil, hd.e)", value: `true <nil>`},
		{code: "e = errors.New(\"x\")\n_, e = 1, nil\nfmt.Sprint(e)", value: "<nil>"},
		// what cannot be split exactly is refused, naming the line
		{code: "hd2 := []holder{{}}\nhd2[0].e, v = nil, 1", errName: "CompileError", errHas: []string{"2:1:", "one assignment per statement"}},
		{code: "for i := 0; i < 2; i, e = i+1, nil {\n}", errName: "CompileError", errHas: []string{"1:20:", "header"}},
	})
}
