package workbench

import "fmt"

// Check stops the cell when err is not nil, with err as the cell's error; it
// is a notebook's one-line `if err != nil { panic(err) }`. The kernel shows it
// as "error: <message>" under the cell line that failed.
//
// Optional context says what was being done and goes in front of the message:
// a plain string (wb.Check(err, "training")) or a format and its arguments
// (wb.Check(err, "loading %s", path)). The error stays wrapped, so errors.Is
// and errors.As still see it.
//
// A call that returns only an error can go straight in:
// wb.Check(model.Save(dir)).
func Check(err error, context ...any) {
	if err == nil {
		return
	}
	if what := describe(context); what != "" {
		err = fmt.Errorf("%s: %w", what, err)
	}
	panic(err)
}

// describe turns Check's optional context into text: a lone string as it is, a
// string followed by arguments as a format, anything else as fmt.Sprint does.
func describe(context []any) string {
	if len(context) == 0 {
		return ""
	}
	format, ok := context[0].(string)
	switch {
	case ok && len(context) == 1:
		return format
	case ok:
		return fmt.Sprintf(format, context[1:]...)
	}
	return fmt.Sprint(context...)
}

// Must returns v, or stops the cell with err like Check when err is not nil.
// Give it a whole call that returns a value and an error, and assert the type
// the call returns, so the variable has that type:
//
//	tok := wb.Must(tokenizer.NewBertTokenizer(vocab, true)).(*tokenizer.BertTokenizer)
//	losses := wb.Must(multimodal.TrainFusion(m, x, qa, opts)).([]float64)
//
// A wrong type in the assertion stops the cell naming both types. As a
// statement it checks a call whose value is not needed:
// wb.Must(trainer.Train()). (Go cannot say "any type T" in a function that
// cells call: the interpreter does not infer a generic T from a call's two
// results, and compiled generics cannot be exported to cells.)
func Must(v any, err error) any {
	Check(err)
	return v
}
