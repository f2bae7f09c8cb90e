// Command turinglab is the project's one binary: the Jupyter kernel for Go
// (`turinglab kernel CONNECTION_FILE`, which Jupyter runs through the
// kernelspec), the kernelspec installer (`turinglab install`), and
// `turinglab version`.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/turinglab/turinglab/internal/gcpercent"
	"github.com/turinglab/turinglab/internal/simd"
	"github.com/turinglab/turinglab/kernel"
)

const usage = `usage:
  turinglab kernel CONNECTION_FILE     run the Jupyter kernel (Jupyter starts this)
  turinglab install [--user | --prefix DIR | --sys-prefix] [--uninstall]
                                       install (or remove) the "Go (turinglab)" kernelspec
  turinglab course student OUT_DIR [NOTEBOOK...]
                                       write the student versions of the course's notebooks
                                       (exercise solutions replaced by stubs) into OUT_DIR
  turinglab version                    print the version and the CPU level of the
                                       numeric kernels (TURINGLAB_CPU_LEVEL=avx512|avx2|go
                                       forces a lower one)
`

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "turinglab:", err)
		os.Exit(1)
	}
}

// run dispatches a subcommand; only main turns its error into an exit status.
func run(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("missing subcommand")
	}
	switch args[0] {
	case "kernel":
		fs := flag.NewFlagSet("kernel", flag.ContinueOnError)
		noCapture := fs.Bool("no-capture", false, "do not redirect stdout/stderr (debugging)")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		if fs.NArg() != 1 {
			return fmt.Errorf("kernel: expected one argument, the connection file (got %d)", fs.NArg())
		}
		gcpercent.Apply() // the notebooks' tensors make collections cheap and memory dear
		return kernel.Run(fs.Arg(0), kernel.Options{NoCapture: *noCapture})
	case "install":
		return install(args[1:], stdout)
	case "course":
		return courseCommand(args[1:], stdout)
	case "version", "--version", "-version":
		fmt.Fprintln(stdout, "turinglab", kernel.Version)
		fmt.Fprintln(stdout, "cpu level:", simd.Active())
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("unknown subcommand %q", args[0])
	}
}

// install writes (or with --uninstall removes) the kernelspec.
func install(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("install", flag.ContinueOnError)
	fs.Bool("user", true, "install into the user's Jupyter data dir (the default)")
	prefix := fs.String("prefix", "", "install under `DIR`/share/jupyter/kernels/turinglab")
	sysPrefix := fs.Bool("sys-prefix", false, "install under the active Python environment's prefix")
	uninstall := fs.Bool("uninstall", false, "remove the kernelspec instead")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return fmt.Errorf("install: unexpected argument %q", fs.Arg(0))
	}
	dir, err := kernel.KernelSpecDir(kernel.InstallScope{Prefix: *prefix, SysPrefix: *sysPrefix})
	if err != nil {
		return err
	}
	if *uninstall {
		if err := kernel.UninstallKernelSpec(dir); err != nil {
			return err
		}
		fmt.Fprintln(stdout, "removed kernelspec", dir)
		return nil
	}
	binary, err := os.Executable()
	if err != nil {
		return fmt.Errorf("install: cannot find this binary's path: %w", err)
	}
	if resolved, err := filepath.EvalSymlinks(binary); err == nil {
		binary = resolved
	}
	if binary, err = filepath.Abs(binary); err != nil {
		return err
	}
	if err := kernel.InstallKernelSpec(dir, binary); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "installed kernelspec %q (Go (turinglab)) in %s, running %s\n", kernel.KernelName, dir, binary)
	return nil
}
