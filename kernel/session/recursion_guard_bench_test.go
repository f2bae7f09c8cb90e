package session

import (
	"context"
	"io"
	"strconv"
	"testing"
)

// benchmarkFib runs a cell computing a recursive fib(25) (242785 calls of an
// interpreted function), with or without the recursion guard. Besides the
// wall time it reports the process's CPU time per run (cpu-ns/op), which a
// loaded machine disturbs much less.
func benchmarkFib(b *testing.B, guarded bool) {
	s, err := New(Options{Stdout: io.Discard, Stderr: io.Discard})
	if err != nil {
		b.Fatal(err)
	}
	s.recursion.unguarded = !guarded
	if r := s.Execute(context.Background(), "func fib(n int) int { if n < 2 { return n }; return fib(n-1) + fib(n-2) }"); r.Error != nil {
		b.Fatal(r.Error)
	}
	b.ResetTimer()
	cpu := processCPU()
	for i := 0; i < b.N; i++ {
		r := s.Execute(context.Background(), "fib(25)")
		if r.Error != nil || r.Value == nil || r.Value.Text() != "75025" {
			b.Fatalf("fib(25): %v %v", r.Error, r.Value)
		}
	}
	if cpu >= 0 {
		b.ReportMetric(float64(processCPU()-cpu)/float64(b.N), "cpu-ns/op")
	}
}

// BenchmarkFibGuarded measures call-heavy cell code with the recursion guard.
func BenchmarkFibGuarded(b *testing.B) { benchmarkFib(b, true) }

// BenchmarkFibUnguarded is the same cell without the guard, for comparison.
func BenchmarkFibUnguarded(b *testing.B) { benchmarkFib(b, false) }

// BenchmarkRecursionError measures how long a cell takes to come back with
// the RecursionError of unbounded recursion, at three limits.
func BenchmarkRecursionError(b *testing.B) {
	for _, limit := range []int{1000, 5000, 10000} {
		b.Run(strconv.Itoa(limit), func(b *testing.B) {
			s, err := New(Options{Stdout: io.Discard, Stderr: io.Discard})
			if err != nil {
				b.Fatal(err)
			}
			setup := "%recursion_limit " + strconv.Itoa(limit) + "\nfunc down(n int) int { return down(n+1) + 1 }"
			if r := s.Execute(context.Background(), setup); r.Error != nil {
				b.Fatal(r.Error)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				r := s.Execute(context.Background(), "down(0)")
				if r.Error == nil || r.Error.Name != "RecursionError" {
					b.Fatalf("down(0): %+v", r.Error)
				}
			}
		})
	}
}
