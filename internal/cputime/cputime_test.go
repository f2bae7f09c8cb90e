package cputime

import (
	"runtime"
	"testing"
	"time"
)

func TestProcessGrowsWithWork(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "plan9" || runtime.GOOS == "js" {
		t.Skip("no CPU time here")
	}
	before := Process()
	x := 0.0
	for deadline := time.Now().Add(50 * time.Millisecond); time.Now().Before(deadline); {
		for i := 0; i < 1000; i++ {
			x += float64(i) * 1e-9
		}
	}
	if after := Process(); after <= before || x == 0 {
		t.Fatalf("CPU time did not grow over 50 ms of work: %v then %v", before, after)
	}
}
