package session

import (
	"context"
	"fmt"
	"os"
	"strings"
)

// %env reads and sets environment variables, as IPython's does. It acts on
// the kernel process's own environment, which `!` commands inherit and which
// compiled and interpreted code read (the interpreter's os.Getenv is the real
// one: newInterpreter).

// hiddenEnvWords mark variables whose values %env does not list: they are
// likely secrets (IPython hides the same ones).
var hiddenEnvWords = []string{"key", "token", "secret"}

// envMagic is `%env` (list every variable, secrets hidden), `%env NAME` (its
// value), `%env NAME=value` or `%env NAME value` (set it and print
// `env: NAME=value`).
func envMagic(s *Session, _ context.Context, args string) Result {
	args = strings.TrimSpace(args)
	if args == "" {
		return valueResult(environListing())
	}
	sep := " "
	if strings.Contains(args, "=") {
		sep = "="
	}
	name, value, set := strings.Cut(args, sep)
	if !set {
		v, ok := os.LookupEnv(args)
		if !ok {
			return usageError("Environment does not have key: %s", args)
		}
		return valueResult(pyRepr(v))
	}
	name, value = strings.TrimSpace(name), strings.TrimSpace(value)
	if name == "" || strings.ContainsAny(name, " \t") {
		return usageError("refusing to set env var with whitespace: %s (usage: %%env NAME=value or %%env NAME value)", pyRepr(name))
	}
	if err := os.Setenv(name, value); err != nil {
		return usageError("cannot set %s: %v", name, err)
	}
	fmt.Fprintf(s.opts.Stdout, "env: %s=%s\n", name, value)
	return Result{}
}

// environListing is the environment as IPython shows the dict %env returns,
// in the environment's order, with likely secrets shown as '<hidden>'.
func environListing() string {
	var keys, values []string
	for _, kv := range os.Environ() {
		k, v, _ := strings.Cut(kv, "=")
		lower := strings.ToLower(k)
		for _, w := range hiddenEnvWords {
			if strings.Contains(lower, w) {
				v = "<hidden>"
				break
			}
		}
		keys, values = append(keys, k), append(values, v)
	}
	return pyDictRepr(keys, values)
}
