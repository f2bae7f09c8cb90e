package workbench

import (
	"errors"
	"io/fs"
	"os"
	"strconv"
	"testing"
)

// recovered runs f and returns what it panicked with (nil if it did not).
func recovered(f func()) (r any) {
	defer func() { r = recover() }()
	f()
	return nil
}

func TestCheckPassesNilAndPanicsWithTheError(t *testing.T) {
	if r := recovered(func() { Check(nil, "never %s", "shown") }); r != nil {
		t.Fatalf("Check(nil) panicked with %v", r)
	}
	_, openErr := os.Open("/no/such/file")
	r := recovered(func() { Check(openErr) })
	if r != openErr {
		t.Fatalf("Check(err) panicked with %#v, want the error itself", r)
	}
}

func TestCheckPutsContextInFrontAndKeepsTheErrorWrapped(t *testing.T) {
	_, openErr := os.Open("/no/such/file")
	cases := []struct {
		context []any
		want    string
	}{
		{[]any{"loading"}, "loading: " + openErr.Error()},
		{[]any{"loading %s", "vocab.txt"}, "loading vocab.txt: " + openErr.Error()},
		{[]any{"100% done"}, "100% done: " + openErr.Error()}, // a lone string is not a format
		{[]any{7, "th try"}, "7th try: " + openErr.Error()},
	}
	for _, c := range cases {
		r := recovered(func() { Check(openErr, c.context...) })
		err, ok := r.(error)
		if !ok {
			t.Fatalf("Check(err, %v) panicked with %#v, want an error", c.context, r)
		}
		if err.Error() != c.want {
			t.Errorf("Check(err, %v) = %q, want %q", c.context, err.Error(), c.want)
		}
		if !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("Check(err, %v) lost the wrapped error: %v", c.context, err)
		}
	}
}

func TestMustTakesATwoResultCall(t *testing.T) {
	n := Must(strconv.Atoi("42")).(int)
	if n != 42 {
		t.Fatalf("Must(strconv.Atoi(\"42\")) = %d", n)
	}
	r := recovered(func() { Must(strconv.Atoi("forty-two")) })
	var numErr *strconv.NumError
	if err, ok := r.(error); !ok || !errors.As(err, &numErr) {
		t.Fatalf("Must of a failed call panicked with %#v, want the *strconv.NumError", r)
	}
}
