package data

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// ClassificationData is a labeled text dataset as loaded from a file, with the
// label names kept beside the examples so the mapping travels with the model
// (it becomes the config's id2label).
type ClassificationData struct {
	Path        string
	Examples    []Example
	Labels      []string // Labels[id] is the name of label id
	LabelCounts []int    // LabelCounts[id] is how many examples have label id
	// BadLines are the lines left out under SkipBadLines, in file order.
	BadLines []*LineError
}

// Summary says in one line what was loaded: examples, labels, skipped lines.
func (d *ClassificationData) Summary() string {
	s := fmt.Sprintf("%s: %d examples, %d labels", d.Path, len(d.Examples), len(d.Labels))
	if n := len(d.BadLines); n > 0 {
		s += fmt.Sprintf(", %d bad lines skipped (first: %v)", n, d.BadLines[0])
	}
	return s
}

// String is the summary followed by the label mapping.
func (d *ClassificationData) String() string {
	return d.Summary() + "\n" + d.LabelMapping()
}

// LoadOptions says how to read a labeled file. Zero values mean the defaults.
type LoadOptions struct {
	// TextColumn, PairColumn and LabelColumn choose the columns: a header
	// name (a JSONL key, a Parquet column), or for TSV and CSV a 0-based column index written as
	// a number ("0", "2") when no header column has that name. Defaults:
	// "text", "text_pair" (optional: when absent, examples are single texts)
	// and "label"; with NoHeader, "0" for the text and "1" for the label.
	TextColumn, PairColumn, LabelColumn string
	// NoHeader says the first TSV/CSV row is data, not column names.
	NoHeader bool
	// Format overrides the format the file name implies (FormatAuto).
	Format TableFormat
	// Escapes decodes \t, \n, \r and \\ in TSV fields (off by default: a
	// backslash is then an ordinary character).
	Escapes bool

	// Labels fixes the id of each label name (Labels[id]); a label not in the
	// list is a bad line. When empty, ids follow LabelOrder.
	Labels     []string
	LabelOrder LabelOrder

	// OnBadLine is the policy for lines that cannot be read: StopAtBadLine
	// (default) or SkipBadLines, which keeps up to MaxBadLines (default 100)
	// of them in the result's BadLines and fails on one more.
	OnBadLine   BadLinePolicy
	MaxBadLines int
}

func (o LoadOptions) withDefaults() LoadOptions {
	if o.NoHeader {
		if o.TextColumn == "" {
			o.TextColumn = "0"
		}
		if o.LabelColumn == "" {
			o.LabelColumn = "1"
		}
	}
	if o.TextColumn == "" {
		o.TextColumn = "text"
	}
	if o.PairColumn == "" && !o.NoHeader {
		o.PairColumn = "text_pair"
	}
	if o.LabelColumn == "" {
		o.LabelColumn = "label"
	}
	if o.MaxBadLines <= 0 {
		o.MaxBadLines = 100
	}
	return o
}

// LoadClassification reads a labeled dataset from a .tsv (no quoting; see
// FormatTSV), .csv (RFC 4180), .jsonl or .parquet file, the TSV and CSV with a
// header row unless NoHeader. Lines may be of any length and end in "\n" or
// "\r\n"; a UTF-8 byte-order mark is dropped; blank lines are skipped. A bad
// line is an error naming the file and line ("reviews.tsv:5: 3 fields, want 2
// (text, label)"), or is skipped and reported under SkipBadLines. In a Parquet
// file a bad row (a null text or label) is reported by row number, and a
// column missing or of a type that holds no texts or labels is an error.
func LoadClassification(path string, opts LoadOptions) (*ClassificationData, error) {
	const op = "data.LoadClassification"
	format := opts.Format
	if format == FormatAuto {
		var ok bool
		if format, ok = formatOf(path); !ok {
			return nil, fmt.Errorf("%s: %s: unknown format %q (want a .tsv, .csv, .jsonl or .parquet name, or set LoadOptions.Format)", op, path, filepath.Ext(path))
		}
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	defer f.Close()
	return readClassification(f, path, format, opts)
}

// labeledRow is one example before its label name becomes an id.
type labeledRow struct {
	text, pair, label string
	line              int
}

// readClassification is LoadClassification on an open reader; path names it
// in messages.
func readClassification(r io.Reader, path string, format TableFormat, opts LoadOptions) (*ClassificationData, error) {
	const op = "data.LoadClassification"
	opts = opts.withDefaults()
	bad := &badLines{policy: opts.OnBadLine, max: opts.MaxBadLines, op: op}
	var rows []labeledRow
	var err error
	switch format {
	case FormatTSV:
		rows, err = readDelimited(&tsvSource{lines: newLineReader(r), escapes: opts.Escapes, path: path}, path, opts, bad)
	case FormatCSV:
		rows, err = readDelimited(newCSVSource(r, path), path, opts, bad)
	case FormatJSONL:
		rows, err = readJSONL(r, path, opts, bad)
	case FormatParquet:
		rows, err = readParquet(r, path, opts, bad)
	default:
		return nil, fmt.Errorf("%s: %s: unknown format %v", op, path, format)
	}
	if err != nil {
		return nil, err
	}
	return labelRows(rows, path, opts, bad)
}

// readDelimited reads the header (unless NoHeader), finds the columns and
// checks every record's field count against it.
func readDelimited(src recordSource, path string, opts LoadOptions, bad *badLines) ([]labeledRow, error) {
	const op = "data.LoadClassification"
	first, err := src.next()
	if lineErr, ok := err.(*LineError); ok {
		// A broken first record cannot be skipped: the columns depend on it.
		return nil, fmt.Errorf("%s: %w", op, lineErr)
	}
	if err == io.EOF {
		return nil, fmt.Errorf("%s: %s: the file is empty (want a header row and examples)", op, path)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %s: %w", op, path, err)
	}
	var header []string
	width := len(first.fields)
	if !opts.NoHeader {
		header = first.fields
	}
	find := func(spec string) (int, error) {
		i, ok := columnIndex(spec, header, width)
		if ok {
			return i, nil
		}
		if header == nil {
			return -1, fmt.Errorf("%s: %s: no column %q: line 1 has %d fields (with NoHeader, choose columns by 0-based index)", op, path, spec, width)
		}
		return -1, fmt.Errorf("%s: %s: header %q lacks column %q (choose a column by name or by 0-based index)", op, path, header, spec)
	}
	textCol, err := find(opts.TextColumn)
	if err != nil {
		return nil, err
	}
	labelCol, err := find(opts.LabelColumn)
	if err != nil {
		return nil, err
	}
	pairCol := -1
	if opts.PairColumn != "" {
		if pairCol, err = find(opts.PairColumn); err != nil && opts.PairColumn != "text_pair" {
			return nil, err
		}
	}
	want := fmt.Sprintf("want %d (like line %d)", width, first.line)
	if header != nil {
		want = fmt.Sprintf("want %d (%s)", width, strings.Join(header, ", "))
	}
	var rows []labeledRow
	record := first
	if header != nil {
		record, err = src.next()
	}
	for ; err != io.EOF; record, err = src.next() {
		if lineErr, ok := err.(*LineError); ok {
			if err := bad.add(lineErr); err != nil {
				return nil, err
			}
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", op, err)
		}
		if len(record.fields) != width {
			if err := bad.add(&LineError{Path: path, Line: record.line, Problem: fmt.Sprintf("%d fields, %s", len(record.fields), want)}); err != nil {
				return nil, err
			}
			continue
		}
		row := labeledRow{text: record.fields[textCol], label: strings.TrimSpace(record.fields[labelCol]), line: record.line}
		if pairCol >= 0 {
			row.pair = record.fields[pairCol]
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// readJSONL reads one JSON object per line; the columns are its keys.
func readJSONL(r io.Reader, path string, opts LoadOptions, bad *badLines) ([]labeledRow, error) {
	const op = "data.LoadClassification"
	lines := newLineReader(r)
	var rows []labeledRow
	for {
		raw, err := lines.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %s: %w", op, path, err)
		}
		if strings.TrimSpace(raw) == "" {
			continue
		}
		row, problem := jsonlRow(raw, opts)
		if problem != "" {
			if err := bad.add(&LineError{Path: path, Line: lines.line, Problem: problem}); err != nil {
				return nil, err
			}
			continue
		}
		row.line = lines.line
		rows = append(rows, row)
	}
	if len(rows) == 0 && len(bad.seen) == 0 {
		return nil, fmt.Errorf("%s: %s: the file is empty (want one JSON object per line)", op, path)
	}
	return rows, nil
}

// jsonlRow decodes one line, or says what is wrong with it.
func jsonlRow(raw string, opts LoadOptions) (labeledRow, string) {
	decoder := json.NewDecoder(bytes.NewReader([]byte(raw)))
	decoder.UseNumber() // labels 1 and 1.0 stay as written
	var obj map[string]any
	if err := decoder.Decode(&obj); err != nil || obj == nil {
		return labeledRow{}, fmt.Sprintf("not a JSON object: %v", err)
	}
	if decoder.More() {
		return labeledRow{}, "more than one JSON value on the line"
	}
	text, ok := obj[opts.TextColumn].(string)
	if !ok {
		return labeledRow{}, fmt.Sprintf("missing string field %q", opts.TextColumn)
	}
	label, ok := obj[opts.LabelColumn]
	if !ok || label == nil {
		return labeledRow{}, fmt.Sprintf("missing field %q", opts.LabelColumn)
	}
	switch label.(type) {
	case string, json.Number, bool:
	default:
		return labeledRow{}, fmt.Sprintf("field %q is %T, want a string, number or boolean label", opts.LabelColumn, label)
	}
	row := labeledRow{text: text, label: strings.TrimSpace(fmt.Sprint(label))}
	if pair, ok := obj[opts.PairColumn].(string); ok {
		row.pair = pair
	}
	return row, ""
}

// labelRows maps label names to ids (by the fixed list or by LabelOrder) and
// counts them; an unknown or empty label is a bad line.
func labelRows(rows []labeledRow, path string, opts LoadOptions, bad *badLines) (*ClassificationData, error) {
	labels := opts.Labels
	if len(labels) == 0 {
		seen := map[string]bool{}
		var found []string
		for _, r := range rows {
			if r.label != "" && !seen[r.label] {
				seen[r.label] = true
				found = append(found, r.label)
			}
		}
		labels = orderLabels(found, opts.LabelOrder)
	}
	id := map[string]int{}
	for i, l := range labels {
		id[l] = i
	}
	d := &ClassificationData{Path: path, Labels: labels, LabelCounts: make([]int, len(labels)), Examples: make([]Example, 0, len(rows))}
	for _, r := range rows {
		label, ok := id[r.label]
		if !ok {
			problem := fmt.Sprintf("label %q is not one of %q", r.label, labels)
			if r.label == "" {
				problem = "empty label"
			}
			if err := bad.add(&LineError{Path: path, Line: r.line, Problem: problem}); err != nil {
				return nil, err
			}
			continue
		}
		d.LabelCounts[label]++
		d.Examples = append(d.Examples, Example{Text: r.text, TextPair: r.pair, Label: label})
	}
	d.BadLines = bad.seen
	if len(bad.seen) > 1 {
		sortLineErrors(d.BadLines)
	}
	return d, nil
}
