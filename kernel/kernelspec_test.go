package kernel

import (
	"encoding/json"
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

func TestInstallKernelSpec(t *testing.T) {
	prefix := t.TempDir()
	dir, err := KernelSpecDir(InstallScope{Prefix: prefix})
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(prefix, "share", "jupyter", "kernels", "turinglab"); dir != want {
		t.Fatalf("dir = %s, want %s", dir, want)
	}
	if err := InstallKernelSpec(dir, "relative/turinglab"); err == nil {
		t.Fatal("a relative binary path must be refused")
	}
	for range 2 { // idempotent
		if err := InstallKernelSpec(dir, "/opt/bin/turinglab"); err != nil {
			t.Fatal(err)
		}
	}
	var spec KernelSpec
	b, err := os.ReadFile(filepath.Join(dir, "kernel.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &spec); err != nil {
		t.Fatal(err)
	}
	if len(spec.Argv) != 3 || spec.Argv[0] != "/opt/bin/turinglab" || spec.Argv[1] != "kernel" || spec.Argv[2] != "{connection_file}" ||
		spec.DisplayName != "Go (turinglab)" || spec.Language != "go" || spec.InterruptMode != "message" {
		t.Fatalf("kernel.json = %s", b)
	}
	for name, size := range map[string]int{"logo-32x32.png": 32, "logo-64x64.png": 64} {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if b := img.Bounds(); b.Dx() != size || b.Dy() != size {
			t.Fatalf("%s is %v, want %dx%d", name, b, size, size)
		}
	}
	if err := UninstallKernelSpec(dir); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatalf("kernelspec still there after uninstall: %v", err)
	}
}

func TestUserDataDir(t *testing.T) {
	t.Setenv("JUPYTER_DATA_DIR", "/tmp/jdata")
	dir, err := KernelSpecDir(InstallScope{})
	if err != nil || dir != "/tmp/jdata/kernels/turinglab" {
		t.Fatalf("dir = %s, %v", dir, err)
	}
}

func TestReadConnectionFile(t *testing.T) {
	file, info := writeConnectionFile(t)
	got, err := ReadConnectionFile(file)
	if err != nil || got != info {
		t.Fatalf("got %+v, %v; want %+v", got, err, info)
	}
	bad := filepath.Join(t.TempDir(), "bad.json")
	os.WriteFile(bad, []byte(`{"transport":"tcp","ip":"127.0.0.1","shell_port":0}`), 0o600)
	if _, err := ReadConnectionFile(bad); err == nil {
		t.Fatal("port 0 must be rejected")
	}
	if info.Endpoint(5555) != "tcp://127.0.0.1:5555" {
		t.Fatal(info.Endpoint(5555))
	}
}
