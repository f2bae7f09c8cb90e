package gcpercent

import (
	"os"
	"runtime/debug"
	"testing"
)

// TestApply checks that Apply sets Default when GOGC is unset and leaves a
// GOGC the user set alone, reporting either.
func TestApply(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	t.Setenv(EnvVar, "")
	debug.SetGCPercent(70) // as if the runtime had read GOGC=70
	if p, env := Apply(); p != 70 || !env {
		t.Errorf("with GOGC set: Apply() = %d, %v; want 70, true", p, env)
	}
	if p := debug.SetGCPercent(70); p != 70 {
		t.Errorf("with GOGC set: the target became %d, want it left at 70", p)
	}
	if err := os.Unsetenv(EnvVar); err != nil { // t.Setenv restores it
		t.Fatal(err)
	}
	if p, env := Apply(); p != Default || env {
		t.Errorf("without GOGC: Apply() = %d, %v; want %d, false", p, env, Default)
	}
	if p := debug.SetGCPercent(100); p != Default {
		t.Errorf("without GOGC: the target is %d, want %d", p, Default)
	}
}
