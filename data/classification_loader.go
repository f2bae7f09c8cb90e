package data

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// ClassificationData is a labeled text dataset as loaded from a file, with the
// label names kept beside the examples so the mapping travels with the model
// (it becomes the config's id2label).
type ClassificationData struct {
	Examples []Example
	Labels   []string // Labels[id] is the name of label id
}

// LoadOptions names the columns (TSV/CSV header names or JSONL keys) and
// optionally fixes the label order. Zero values mean the defaults: "text",
// "text_pair" (optional: absent column means single texts) and "label".
type LoadOptions struct {
	TextColumn, PairColumn, LabelColumn string
	// Labels fixes the id of each label name; when empty, ids follow the
	// sorted label names found in the file (as HF datasets' ClassLabel does).
	Labels []string
}

func (o LoadOptions) withDefaults() LoadOptions {
	if o.TextColumn == "" {
		o.TextColumn = "text"
	}
	if o.PairColumn == "" {
		o.PairColumn = "text_pair"
	}
	if o.LabelColumn == "" {
		o.LabelColumn = "label"
	}
	return o
}

// LoadClassification reads a labeled dataset from a .tsv, .csv (both with a
// header row) or .jsonl file. A malformed line is an error naming the file and
// line number.
func LoadClassification(path string, opts LoadOptions) (*ClassificationData, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("data.LoadClassification: %w", err)
	}
	defer f.Close()
	opts = opts.withDefaults()
	var rows []labeledRow
	switch ext := strings.ToLower(filepath.Ext(path)); ext {
	case ".tsv", ".csv":
		rows, err = readDelimited(f, path, ext == ".tsv", opts)
	case ".jsonl":
		rows, err = readJSONL(f, path, opts)
	default:
		return nil, fmt.Errorf("data.LoadClassification: %s: unknown format %q (want .tsv, .csv or .jsonl)", path, ext)
	}
	if err != nil {
		return nil, err
	}
	return labelRows(rows, path, opts.Labels)
}

// labeledRow is one example before its label name becomes an id.
type labeledRow struct {
	text, pair, label string
	line              int
}

func readDelimited(r io.Reader, path string, tabs bool, opts LoadOptions) ([]labeledRow, error) {
	reader := csv.NewReader(r)
	if tabs {
		reader.Comma = '\t'
		reader.LazyQuotes = true
	}
	header, err := reader.Read()
	if err != nil {
		return nil, fmt.Errorf("data.LoadClassification: %s: reading the header row: %w", path, err)
	}
	col := map[string]int{}
	for i, name := range header {
		col[strings.TrimSpace(name)] = i
	}
	textCol, okText := col[opts.TextColumn]
	labelCol, okLabel := col[opts.LabelColumn]
	pairCol, hasPair := col[opts.PairColumn]
	if !okText || !okLabel {
		return nil, fmt.Errorf("data.LoadClassification: %s: header %q lacks column %q or %q", path, header, opts.TextColumn, opts.LabelColumn)
	}
	var rows []labeledRow
	for {
		record, err := reader.Read()
		if err == io.EOF {
			return rows, nil
		}
		line, _ := reader.FieldPos(0)
		if err != nil {
			var parseErr *csv.ParseError
			if errors.As(err, &parseErr) {
				return nil, fmt.Errorf("data.LoadClassification: %s:%d: %v", path, parseErr.Line, parseErr.Err)
			}
			return nil, fmt.Errorf("data.LoadClassification: %s: %w", path, err)
		}
		row := labeledRow{text: record[textCol], label: strings.TrimSpace(record[labelCol]), line: line}
		if hasPair {
			row.pair = record[pairCol]
		}
		rows = append(rows, row)
	}
}

func readJSONL(r io.Reader, path string, opts LoadOptions) ([]labeledRow, error) {
	scanner := bufio.NewScanner(r)
	scanner.Buffer(make([]byte, 1<<20), 1<<26)
	var rows []labeledRow
	for line := 1; scanner.Scan(); line++ {
		raw := strings.TrimSpace(scanner.Text())
		if raw == "" {
			continue
		}
		var obj map[string]any
		if err := json.Unmarshal([]byte(raw), &obj); err != nil {
			return nil, fmt.Errorf("data.LoadClassification: %s:%d: not a JSON object: %v", path, line, err)
		}
		text, ok := obj[opts.TextColumn].(string)
		if !ok {
			return nil, fmt.Errorf("data.LoadClassification: %s:%d: missing string field %q", path, line, opts.TextColumn)
		}
		label, ok := obj[opts.LabelColumn]
		if !ok {
			return nil, fmt.Errorf("data.LoadClassification: %s:%d: missing field %q", path, line, opts.LabelColumn)
		}
		row := labeledRow{text: text, label: strings.TrimSpace(fmt.Sprint(label)), line: line}
		if pair, ok := obj[opts.PairColumn].(string); ok {
			row.pair = pair
		}
		rows = append(rows, row)
	}
	if err := scanner.Err(); err != nil {
		return nil, fmt.Errorf("data.LoadClassification: %s: %w", path, err)
	}
	return rows, nil
}

// labelRows maps label names to ids, either by the fixed list or by sorted name.
func labelRows(rows []labeledRow, path string, fixed []string) (*ClassificationData, error) {
	labels := fixed
	if len(labels) == 0 {
		seen := map[string]bool{}
		for _, r := range rows {
			if !seen[r.label] {
				seen[r.label] = true
				labels = append(labels, r.label)
			}
		}
		sort.Strings(labels)
	}
	id := map[string]int{}
	for i, l := range labels {
		id[l] = i
	}
	d := &ClassificationData{Labels: labels, Examples: make([]Example, len(rows))}
	for i, r := range rows {
		label, ok := id[r.label]
		if !ok {
			return nil, fmt.Errorf("data.LoadClassification: %s:%d: label %q is not one of %q", path, r.line, r.label, labels)
		}
		d.Examples[i] = Example{Text: r.text, TextPair: r.pair, Label: label}
	}
	return d, nil
}
