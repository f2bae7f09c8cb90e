package kernel

import (
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/turinglab/turinglab/internal/atomicfile"
)

// The kernelspec is how Jupyter finds the kernel: a folder named after the
// kernel (turinglab) under <data dir>/kernels holding kernel.json (the command
// line, display name, language, interrupt mode) and the two logos.

// KernelName is the kernelspec's folder name, which notebooks record.
const KernelName = "turinglab"

// KernelSpec is the content of kernel.json.
type KernelSpec struct {
	Argv          []string          `json:"argv"`
	DisplayName   string            `json:"display_name"`
	Language      string            `json:"language"`
	InterruptMode string            `json:"interrupt_mode"`
	Env           map[string]string `json:"env,omitempty"`
	Metadata      map[string]any    `json:"metadata,omitempty"`
}

//go:generate go run logo_gen.go

//go:embed logo-32x32.png logo-64x64.png
var logos embed.FS

// InstallScope says which Jupyter data directory receives the kernelspec.
type InstallScope struct {
	// Prefix installs under Prefix/share/jupyter/kernels (JupyterHub, a
	// virtual environment, or a test's temporary JUPYTER_PATH).
	Prefix string
	// SysPrefix installs under the prefix of the Python environment that runs
	// Jupyter ($VIRTUAL_ENV, $CONDA_PREFIX, or python3's sys.prefix).
	SysPrefix bool
}

// KernelSpecDir returns the folder the kernelspec goes to for a scope: by
// default the user's Jupyter data dir ($JUPYTER_DATA_DIR, ~/Library/Jupyter on
// macOS, $XDG_DATA_HOME/jupyter or ~/.local/share/jupyter elsewhere).
func KernelSpecDir(scope InstallScope) (string, error) {
	if scope.SysPrefix {
		prefix, err := pythonPrefix()
		if err != nil {
			return "", err
		}
		scope.Prefix = prefix
	}
	if scope.Prefix != "" {
		abs, err := filepath.Abs(scope.Prefix)
		if err != nil {
			return "", err
		}
		return filepath.Join(abs, "share", "jupyter", "kernels", KernelName), nil
	}
	data, err := userDataDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(data, "kernels", KernelName), nil
}

// userDataDir is Jupyter's per-user data directory (jupyter_core's rules).
func userDataDir() (string, error) {
	if d := os.Getenv("JUPYTER_DATA_DIR"); d != "" {
		return d, nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("cannot find the home directory for the Jupyter data dir (set JUPYTER_DATA_DIR): %w", err)
	}
	if runtime.GOOS == "darwin" {
		return filepath.Join(home, "Library", "Jupyter"), nil
	}
	if x := os.Getenv("XDG_DATA_HOME"); x != "" {
		return filepath.Join(x, "jupyter"), nil
	}
	return filepath.Join(home, ".local", "share", "jupyter"), nil
}

// pythonPrefix finds the prefix of the active Python environment.
func pythonPrefix() (string, error) {
	for _, env := range []string{"VIRTUAL_ENV", "CONDA_PREFIX"} {
		if p := os.Getenv(env); p != "" {
			return p, nil
		}
	}
	out, err := exec.Command("python3", "-c", "import sys; print(sys.prefix)").Output()
	if err != nil {
		return "", fmt.Errorf("--sys-prefix: cannot ask python3 for sys.prefix: %w", err)
	}
	return strings.TrimSpace(string(out)), nil
}

// NewKernelSpec returns the kernelspec that runs binary as the kernel.
func NewKernelSpec(binary string) KernelSpec {
	return KernelSpec{
		Argv:          []string{binary, "kernel", "{connection_file}"},
		DisplayName:   "Go (turinglab)",
		Language:      "go",
		InterruptMode: "message",
	}
}

// InstallKernelSpec writes kernel.json and the logos into dir, replacing any
// earlier install; binary must be an absolute path. Each file is written to a
// temporary name and renamed, so a reader never sees half a file.
func InstallKernelSpec(dir, binary string) error {
	if !filepath.IsAbs(binary) {
		return fmt.Errorf("install: the kernel binary path %q must be absolute", binary)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("install: %w", err)
	}
	spec, err := json.MarshalIndent(NewKernelSpec(binary), "", "  ")
	if err != nil {
		return err
	}
	files := map[string][]byte{"kernel.json": append(spec, '\n')}
	for _, name := range []string{"logo-32x32.png", "logo-64x64.png"} {
		b, err := logos.ReadFile(name)
		if err != nil {
			return err
		}
		files[name] = b
	}
	for name, b := range files {
		if err := atomicfile.WriteFile(filepath.Join(dir, name), b); err != nil {
			return fmt.Errorf("install: %w", err)
		}
	}
	return nil
}

// UninstallKernelSpec removes the kernelspec folder; a missing one is not an error.
func UninstallKernelSpec(dir string) error {
	if filepath.Base(dir) != KernelName {
		return fmt.Errorf("uninstall: refusing to remove %s (not a %s kernelspec folder)", dir, KernelName)
	}
	if err := os.RemoveAll(dir); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("uninstall: %w", err)
	}
	return nil
}
