package session

import (
	"context"
	"io"
	"testing"
)

// BenchmarkNew measures starting a session (the bulk of the kernel's start-up):
// a fresh interpreter with every symbol table loaded and the prelude evaluated.
func BenchmarkNew(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if _, err := New(Options{Stdout: io.Discard, Stderr: io.Discard}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkExecuteTrivial measures one trivial cell (the session's share of an
// execute_request round trip).
func BenchmarkExecuteTrivial(b *testing.B) {
	s, err := New(Options{Stdout: io.Discard, Stderr: io.Discard})
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < b.N; i++ {
		if r := s.Execute(context.Background(), "1 + 1"); r.Error != nil {
			b.Fatal(r.Error)
		}
	}
}

// BenchmarkRedefine measures a cell that redefines a function, which rebuilds
// the interpreter from the registry (here with 20 functions and 5 variables).
func BenchmarkRedefine(b *testing.B) {
	s, err := New(Options{Stdout: io.Discard, Stderr: io.Discard})
	if err != nil {
		b.Fatal(err)
	}
	setup := "import \"fmt\"\n"
	for i := 0; i < 20; i++ {
		setup += "func f" + string(rune('a'+i)) + "(n int) string { return fmt.Sprint(n) }\n"
	}
	setup += "v1, v2, v3, v4, v5 := 1, 2.5, \"three\", []int{4}, map[string]int{\"five\": 5}"
	if r := s.Execute(context.Background(), setup); r.Error != nil {
		b.Fatal(r.Error)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		code := "func fa(n int) string { return fmt.Sprint(n, " + string(rune('0'+i%10)) + ") }"
		if r := s.Execute(context.Background(), code); r.Error != nil {
			b.Fatal(r.Error)
		}
	}
}
