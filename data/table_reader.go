package data

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// TableFormat is the layout of a labeled data file.
type TableFormat int

const (
	// FormatAuto picks the format from the file name: .tsv, .csv, .jsonl,
	// .parquet.
	FormatAuto TableFormat = iota
	// FormatTSV is IANA text/tab-separated-values: one record per line, fields
	// split at every tab, no quoting, so a field may hold any quote character.
	// With LoadOptions.Escapes, \t, \n, \r and \\ in a field stand for a tab,
	// a newline, a carriage return and a backslash.
	FormatTSV
	// FormatCSV is RFC 4180: fields separated by commas, a field in double
	// quotes may hold commas, newlines and doubled quotes ("").
	FormatCSV
	// FormatJSONL is one JSON object per line; columns are its keys.
	FormatJSONL
	// FormatParquet is Apache Parquet, the columnar format of HF datasets'
	// converted splits: named, typed columns, read row group by row group;
	// string columns plain or dictionary-encoded, any of the usual
	// compressions. Rows have numbers, not lines.
	FormatParquet
)

// String names the format as its file extension does.
func (f TableFormat) String() string {
	switch f {
	case FormatAuto:
		return "auto"
	case FormatTSV:
		return "tsv"
	case FormatCSV:
		return "csv"
	case FormatJSONL:
		return "jsonl"
	case FormatParquet:
		return "parquet"
	}
	return fmt.Sprintf("TableFormat(%d)", int(f))
}

// formatOf picks the format from a file name.
func formatOf(path string) (TableFormat, bool) {
	lower := strings.ToLower(path)
	switch {
	case strings.HasSuffix(lower, ".tsv"), strings.HasSuffix(lower, ".tab"):
		return FormatTSV, true
	case strings.HasSuffix(lower, ".csv"):
		return FormatCSV, true
	case strings.HasSuffix(lower, ".jsonl"), strings.HasSuffix(lower, ".ndjson"):
		return FormatJSONL, true
	case strings.HasSuffix(lower, ".parquet"), strings.HasSuffix(lower, ".pq"):
		return FormatParquet, true
	}
	return FormatAuto, false
}

// tableRecord is one record of a TSV or CSV file: its fields, and the line
// where it starts (a quoted CSV field may span lines).
type tableRecord struct {
	fields []string
	line   int
}

// recordSource yields the records of a delimited file. A *LineError is a bad
// record that reading may go past; any other error ends the file.
type recordSource interface {
	next() (tableRecord, error)
}

// tsvSource splits lines at tabs, with no quote processing.
type tsvSource struct {
	lines   *lineReader
	escapes bool
	path    string
}

func (s *tsvSource) next() (tableRecord, error) {
	for {
		line, err := s.lines.next()
		if err != nil {
			return tableRecord{}, err
		}
		if strings.TrimSpace(line) == "" {
			continue // blank lines (often a trailing one) are not records
		}
		fields := strings.Split(line, "\t")
		if s.escapes {
			for i, f := range fields {
				fields[i] = unescapeTSV(f)
			}
		}
		return tableRecord{fields: fields, line: s.lines.line}, nil
	}
}

// unescapeTSV decodes the \t, \n, \r and \\ escapes of text/tab-separated-values
// writers; any other backslash stays as it is.
func unescapeTSV(field string) string {
	if !strings.Contains(field, `\`) {
		return field
	}
	var b strings.Builder
	for i := 0; i < len(field); i++ {
		c := field[i]
		if c != '\\' || i+1 == len(field) {
			b.WriteByte(c)
			continue
		}
		switch field[i+1] {
		case 't':
			b.WriteByte('\t')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case '\\':
			b.WriteByte('\\')
		default:
			b.WriteByte(c)
			continue
		}
		i++
	}
	return b.String()
}

// csvSource reads RFC 4180 records with encoding/csv.
type csvSource struct {
	r    *csv.Reader
	path string
}

func newCSVSource(r io.Reader, path string) *csvSource {
	reader := csv.NewReader(skipBOM(r))
	reader.FieldsPerRecord = -1 // the loader checks the count against the header
	return &csvSource{r: reader, path: path}
}

func (s *csvSource) next() (tableRecord, error) {
	for {
		fields, err := s.r.Read()
		if err == io.EOF {
			return tableRecord{}, io.EOF
		}
		if err != nil {
			var parseErr *csv.ParseError
			if errors.As(err, &parseErr) {
				problem := parseErr.Err.Error()
				if parseErr.StartLine != parseErr.Line {
					problem = fmt.Sprintf("%v in the quoted field that starts here and runs to line %d (a stray \" ?)", parseErr.Err, parseErr.Line)
				}
				return tableRecord{}, &LineError{Path: s.path, Line: parseErr.StartLine, Problem: problem}
			}
			return tableRecord{}, fmt.Errorf("%s: %w", s.path, err)
		}
		line, _ := s.r.FieldPos(0)
		if len(fields) == 1 && strings.TrimSpace(fields[0]) == "" {
			continue
		}
		return tableRecord{fields: fields, line: line}, nil
	}
}

// columnIndex finds a column by header name, or by a 0-based index written as
// a number when no header column has that name.
func columnIndex(spec string, header []string, width int) (int, bool) {
	for i, name := range header {
		if strings.TrimSpace(name) == spec {
			return i, true
		}
	}
	if i, err := strconv.Atoi(spec); err == nil && i >= 0 && i < width {
		return i, true
	}
	return -1, false
}
