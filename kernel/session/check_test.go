package session

import "testing"

// wb.Check and wb.Must are how a cell says "stop here if this failed" in one
// line; these tests run them through yaegi as a notebook does.

func TestCheckStopsTheCellWithACleanError(t *testing.T) {
	s, out, errw := newTestSession(t)
	runSteps(t, s, out, errw, []step{
		{code: "import \"fmt\"\nimport \"os\"\nfmt.Println(\"before\")\n_, err := os.Open(\"/no/such/file\")\nwb.Check(err, \"loading %s\", \"the vocabulary\")\nfmt.Println(\"after\")",
			out: "before", errName: "error", errHas: []string{
				"error: loading the vocabulary: open /no/such/file: no such file or directory",
				"line 5 of this cell", "wb.Check(err, \"loading %s\", \"the vocabulary\")"}},
		// The cell stopped at the Check: nothing after it ran.
		{code: "wb.Check(nil)\n1", value: "1"},
		// A call returning only an error goes straight in; inside a function,
		// the traceback names the function too.
		{code: "import \"errors\"\nfunc save() error { return errors.New(\"disk full\") }\nfunc run() { wb.Check(save()) }\nrun()",
			errName: "error", errHas: []string{"error: disk full", "line 4 of this cell", "in run (defined at line 3 of this cell)"}},
		// An error type defined in a cell reaches the compiled Check intact.
		{code: "type quotaError struct{ user string }\nfunc (e quotaError) Error() string { return \"quota exceeded for \" + e.user }\nfunc upload() error { return quotaError{\"ada\"} }\nwb.Check(upload(), \"upload\")",
			errName: "error", errHas: []string{"upload: quota exceeded for ada"}},
		// A stop from the stop button wrapped by Check is still an interrupt.
		{code: "import \"github.com/turinglab/turinglab/display\"\nwb.Check(display.ErrInterrupted, \"step 3\")", errName: "KeyboardInterrupt"},
	})
	if o := out.take(); o != "" {
		t.Fatalf("output after the cells: %q", o)
	}
}

func TestMustTakesAMultiValueCallInOneLine(t *testing.T) {
	s, out, errw := newTestSession(t)
	runSteps(t, s, out, errw, []step{
		// Compiled calls: a value of the asserted type comes back.
		{code: "import \"strconv\"\nn := wb.Must(strconv.Atoi(\"42\")).(int)\nn + 1", value: "43"},
		{code: "import \"github.com/turinglab/turinglab/tokenizer\"\nv := wb.Must(tokenizer.NewVocab([]string{\"[PAD]\", \"[UNK]\", \"go\"})).(*tokenizer.Vocab)\nv.Size()", value: "3"},
		// Functions and types of the cell, and results of composite types.
		{code: "type point struct{ X, Y int }\nfunc origin() (*point, error) { return &point{3, 4}, nil }\np := wb.Must(origin()).(*point)\np.X + p.Y", value: "7"},
		{code: "func scores() (map[string][]float64, error) { return map[string][]float64{\"dev\": {0.5, 0.75}}, nil }\nwb.Must(scores()).(map[string][]float64)[\"dev\"][1]", value: "0.75"},
		// In a function body and a loop, and as a statement whose value is not needed.
		{code: "func double(s string) int { return 2 * wb.Must(strconv.Atoi(s)).(int) }\ndouble(\"21\")", value: "42"},
		{code: "total := 0\nfor _, s := range []string{\"1\", \"2\", \"3\"} {\n\ttotal += wb.Must(strconv.Atoi(s)).(int)\n}\ntotal", value: "6"},
		{code: "wb.Must(strconv.Atoi(\"7\"))\n\"ok\"", value: "ok"},
		// A failed call stops the cell with its error.
		{code: "x := wb.Must(strconv.Atoi(\"forty-two\")).(int)", errName: "error",
			errHas: []string{"error: strconv.Atoi: parsing \"forty-two\": invalid syntax", "line 1 of this cell"}},
		// The wrong type in the assertion is a runtime error naming both types.
		{code: "tok := wb.Must(tokenizer.NewVocab([]string{\"a\"})).(*tokenizer.BertTokenizer)", errName: "runtime error",
			errHas: []string{"interface conversion: *tokenizer.Vocab is not *tokenizer.BertTokenizer", "line 1 of this cell"}},
	})
}
