package cputime

import (
	"runtime"
	"testing"
	"time"
)

func TestThreadGrowsWithWork(t *testing.T) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	before, ok := Thread()
	if !ok {
		if runtime.GOOS == "linux" {
			t.Fatal("no thread CPU time on Linux")
		}
		t.Skip("no thread CPU time here")
	}
	x := 0.0
	for deadline := time.Now().Add(50 * time.Millisecond); time.Now().Before(deadline); {
		for i := 0; i < 1000; i++ {
			x += float64(i) * 1e-9
		}
	}
	if after, _ := Thread(); after <= before || x == 0 {
		t.Fatalf("thread CPU time did not grow over 50 ms of work: %v then %v", before, after)
	}
}
