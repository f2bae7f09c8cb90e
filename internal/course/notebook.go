package course

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/turinglab/turinglab/internal/atomicfile"
)

// Notebook is a Jupyter notebook (nbformat 4) read from a file. Only the
// fields the student version changes are decoded; every other field of the
// notebook and its cells is kept as it was read.
type Notebook struct {
	// Path is the file the notebook was read from, for error messages.
	Path string
	// Cells are the notebook's cells, in order.
	Cells []*Cell
	// fields holds the notebook's top-level fields other than "cells".
	fields map[string]json.RawMessage
}

// Cell is one cell of a notebook.
type Cell struct {
	// Type is the cell's cell_type: "code", "markdown" or "raw".
	Type string
	// Source is the cell's text (nbformat stores it as a string or a list of lines).
	Source string
	// Metadata is the cell's metadata; only the nbgrader fields are decoded.
	Metadata CellMetadata
	// fields holds every field of the cell as read, including those above.
	fields map[string]json.RawMessage
}

// CellMetadata is the part of a cell's metadata the course reads.
type CellMetadata struct {
	// Tags are the cell's tags ("exercise-setup" marks the exercises' setup cell).
	Tags []string `json:"tags"`
	// NBGrader is nbgrader's metadata, nil when the cell has none.
	NBGrader *NBGraderMetadata `json:"nbgrader"`
}

// NBGraderMetadata is the metadata nbgrader keeps on a cell.
type NBGraderMetadata struct {
	// GradeID names the cell, unique in the notebook ("02_logistic_regression-ex1").
	GradeID string `json:"grade_id"`
	// Solution marks a cell the student writes.
	Solution bool `json:"solution"`
	// Grade marks a cell that grades (a check cell).
	Grade bool `json:"grade"`
	// Locked marks a cell the student should not edit.
	Locked bool `json:"locked"`
	// Points is what a grading cell is worth.
	Points float64 `json:"points"`
}

// IsSolution reports whether the cell is an nbgrader solution cell.
func (c *Cell) IsSolution() bool { return c.Metadata.NBGrader != nil && c.Metadata.NBGrader.Solution }

// IsCheck reports whether the cell is an nbgrader grading (check) cell.
func (c *Cell) IsCheck() bool { return c.Metadata.NBGrader != nil && c.Metadata.NBGrader.Grade }

// ReadNotebook reads and decodes the notebook at path. Errors name the file
// and, for a malformed cell, its index.
func ReadNotebook(path string) (*Notebook, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParseNotebook(path, raw)
}

// ParseNotebook decodes a notebook's JSON; path names it in errors.
func ParseNotebook(path string, raw []byte) (*Notebook, error) {
	nb := &Notebook{Path: path}
	if err := json.Unmarshal(raw, &nb.fields); err != nil {
		return nil, fmt.Errorf("%s: not a notebook: %v", path, err)
	}
	var cells []map[string]json.RawMessage
	if err := json.Unmarshal(nb.fields["cells"], &cells); err != nil || cells == nil {
		return nil, fmt.Errorf("%s: want a list of cells in the notebook's \"cells\" field", path)
	}
	delete(nb.fields, "cells")
	for i, fields := range cells {
		cell, err := parseCell(fields)
		if err != nil {
			return nil, fmt.Errorf("%s: cell %d: %v", path, i, err)
		}
		nb.Cells = append(nb.Cells, cell)
	}
	return nb, nil
}

// parseCell decodes the fields of one cell that the course reads.
func parseCell(fields map[string]json.RawMessage) (*Cell, error) {
	c := &Cell{fields: fields}
	if err := json.Unmarshal(fields["cell_type"], &c.Type); err != nil {
		return nil, fmt.Errorf("want a string cell_type")
	}
	var asString string
	var asLines []string
	switch src := fields["source"]; {
	case json.Unmarshal(src, &asString) == nil:
		c.Source = asString
	case json.Unmarshal(src, &asLines) == nil:
		c.Source = strings.Join(asLines, "")
	default:
		return nil, fmt.Errorf("want source as a string or a list of strings")
	}
	if meta, ok := fields["metadata"]; ok {
		if err := json.Unmarshal(meta, &c.Metadata); err != nil {
			return nil, fmt.Errorf("metadata: %v", err)
		}
	}
	return c, nil
}

// Name is how errors name the cell: its index and, when it has one, its id.
func (nb *Notebook) cellName(i int) string {
	var id string
	if json.Unmarshal(nb.Cells[i].fields["id"], &id) == nil && id != "" {
		return fmt.Sprintf("cell %d (id %s)", i, id)
	}
	return fmt.Sprintf("cell %d", i)
}

// Marshal encodes the notebook as nbformat writes it: keys sorted, one
// space of indentation, non-ASCII text as is, sources as lists of lines, and
// a final newline.
func (nb *Notebook) Marshal() ([]byte, error) {
	cells := make([]map[string]json.RawMessage, len(nb.Cells))
	for i, c := range nb.Cells {
		fields := make(map[string]json.RawMessage, len(c.fields))
		for k, v := range c.fields {
			fields[k] = v
		}
		src, err := marshalText(sourceLines(c.Source))
		if err != nil {
			return nil, err
		}
		fields["source"] = src
		cells[i] = fields
	}
	top := make(map[string]any, len(nb.fields)+1)
	for k, v := range nb.fields {
		top[k] = v
	}
	top["cells"] = cells
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	if err := enc.Encode(top); err != nil {
		return nil, fmt.Errorf("%s: %v", nb.Path, err)
	}
	return buf.Bytes(), nil
}

// WriteFile writes the notebook to path atomically.
func (nb *Notebook) WriteFile(path string) error {
	data, err := nb.Marshal()
	if err != nil {
		return err
	}
	return atomicfile.WriteFile(path, data)
}

// clearOutputs empties a code cell's outputs and execution count.
func (c *Cell) clearOutputs() {
	if c.Type != "code" {
		return
	}
	c.fields["outputs"] = json.RawMessage("[]")
	c.fields["execution_count"] = json.RawMessage("null")
}

// sourceLines splits text into lines that keep their "\n", as nbformat stores sources.
func sourceLines(text string) []string {
	lines := []string{}
	for text != "" {
		i := strings.IndexByte(text, '\n')
		if i < 0 {
			lines = append(lines, text)
			break
		}
		lines = append(lines, text[:i+1])
		text = text[i+1:]
	}
	return lines
}

// marshalText encodes v as JSON without escaping <, > and & (nbformat keeps
// them as they are).
func marshalText(v any) (json.RawMessage, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}
