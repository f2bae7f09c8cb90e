// Package symbols holds the yaegi symbol tables that let notebook cells import
// compiled packages: every package of this project (except the kernel itself,
// commands and internal packages) plus gonum (mat, stat, floats) and gonum/plot
// (plot, plotter, vg, vg/draw, plotutil). yaegi cannot load compiled code at run
// time, so each exported function, variable, constant and type of those packages
// is listed here as a reflect.Value, keyed the way interp.Use expects
// ("import/path/name").
//
// The tables and the embedded documentation (docs.json.gz, used by the kernel's
// inspect requests) are generated, never edited by hand. After adding or changing
// a project package, run
//
//	make generate        # = go generate ./kernel/symbols
//
// and rebuild the kernel (make build). The generator (internal/gen) finds the
// project's packages itself with `go list`; it is incremental: only packages
// whose source changed since the last run (fingerprints in packages_gen.go) are
// extracted again, and `go run ./internal/gen -force` (in this folder) redoes
// them all. A third-party package is added by listing it in `extra` in
// internal/gen/main.go. TestTablesAreFresh fails when a project package is
// missing from the tables.
package symbols

import "reflect"

//go:generate go run ./internal/gen

// Symbols maps "import/path/pkgname" to the exported symbols of that package. The
// generated files fill it in their init functions; pass it to interp.Use.
var Symbols = map[string]map[string]reflect.Value{}
