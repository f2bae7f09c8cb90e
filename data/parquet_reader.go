package data

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/schema"
)

// A Parquet file is columnar: a schema of named, typed columns, and the rows
// cut into row groups, each storing every column as a compressed chunk
// (snappy, zstd, gzip or none) of plain or dictionary-encoded values. A
// column's physical type (byte array, int32, int64, boolean, float, double)
// says how values are stored; its logical type says what they mean (a byte
// array annotated String is UTF-8 text). A nullable column stores, beside its
// values, a definition level per row: the maximum means present, less means
// null.
//
// The loader reads one row group at a time, and only the columns it needs,
// with arrow-go's column readers (parquet/file), which undo the compression
// and the dictionary encoding.

// parquetBatch is how many values a column reader decodes per call.
const parquetBatch = 4096

// parquetColumn is a column the loader reads: its leaf index in the file and
// its schema.
type parquetColumn struct {
	name  string
	index int
	descr *schema.Column
}

// readParquet reads the text, label and (if present) pair columns row group
// by row group. A row whose text or label is null is a bad row; a column of a
// type that holds no texts or labels is an error, since every row would be
// bad. The reader of a corrupt file may panic: that becomes an error naming
// the file.
func readParquet(r io.Reader, path string, opts LoadOptions, bad *badLines) (rows []labeledRow, err error) {
	const op = "data.LoadClassification"
	defer func() {
		if p := recover(); p != nil {
			rows, err = nil, fmt.Errorf("%s: %s: not a readable Parquet file (the reader failed: %v)", op, path, p)
		}
	}()
	input, ok := r.(parquet.ReaderAtSeeker)
	if !ok {
		content, err := io.ReadAll(r)
		if err != nil {
			return nil, fmt.Errorf("%s: %s: %w", op, path, err)
		}
		input = bytes.NewReader(content)
	}
	pf, err := file.NewParquetReader(input)
	if err != nil {
		return nil, fmt.Errorf("%s: %s: not a Parquet file: %w", op, path, err)
	}
	text, label, pair, err := findParquetColumns(pf.MetaData().Schema, path, opts)
	if err != nil {
		return nil, err
	}
	if pf.NumRows() == 0 {
		return nil, fmt.Errorf("%s: %s: the file has no rows", op, path)
	}
	before := 0 // rows in the earlier row groups
	for g := 0; g < pf.NumRowGroups(); g++ {
		group := pf.RowGroup(g)
		n := int(group.NumRows())
		read := func(c *parquetColumn) ([]string, []bool, error) {
			values, present, err := readParquetColumn(group, c, n)
			if err != nil {
				return nil, nil, fmt.Errorf("%s: %s: row group %d, column %q: %w", op, path, g, c.name, err)
			}
			return values, present, nil
		}
		texts, hasText, err := read(text)
		if err != nil {
			return nil, err
		}
		labels, hasLabel, err := read(label)
		if err != nil {
			return nil, err
		}
		var pairs []string
		if pair != nil {
			if pairs, _, err = read(pair); err != nil { // a null pair is a single text
				return nil, err
			}
		}
		for i := 0; i < n; i++ {
			row := labeledRow{text: texts[i], label: strings.TrimSpace(labels[i]), line: before + i + 1}
			if pairs != nil {
				row.pair = pairs[i]
			}
			problem := ""
			switch {
			case !hasText[i]:
				problem = fmt.Sprintf("null text in column %q, want a string", text.name)
			case !hasLabel[i]:
				problem = fmt.Sprintf("null label in column %q, want a label", label.name)
			}
			if problem != "" {
				if err := bad.add(&LineError{Path: path, Line: row.line, Row: true, Problem: problem}); err != nil {
					return nil, err
				}
				continue
			}
			rows = append(rows, row)
		}
		before += n
	}
	return rows, nil
}

// findParquetColumns finds the text, label and pair columns by name and
// checks that their types hold texts and labels; pair is nil when the
// default pair column is absent.
func findParquetColumns(s *schema.Schema, path string, opts LoadOptions) (text, label, pair *parquetColumn, err error) {
	const op = "data.LoadClassification"
	find := func(name string, want func(*schema.Column) bool, wanted string) (*parquetColumn, error) {
		i := s.ColumnIndexByName(name)
		if i < 0 {
			var names []string
			for j := 0; j < s.Root().NumFields(); j++ {
				names = append(names, s.Root().Field(j).Name())
			}
			return nil, fmt.Errorf("%s: %s: no column %q; the file has columns %q", op, path, name, names)
		}
		c := s.Column(i)
		if c.MaxRepetitionLevel() > 0 || !want(c) {
			return nil, fmt.Errorf("%s: %s: column %q is %s, want %s", op, path, name, parquetTypeName(c), wanted)
		}
		return &parquetColumn{name: name, index: i, descr: c}, nil
	}
	const textWant = "strings (a byte array column of logical type String)"
	const labelWant = "string, integer, floating-point or boolean labels"
	if text, err = find(opts.TextColumn, isParquetText, textWant); err != nil {
		return nil, nil, nil, err
	}
	if label, err = find(opts.LabelColumn, isParquetLabel, labelWant); err != nil {
		return nil, nil, nil, err
	}
	// The default pair column is optional: without it, examples are single texts.
	if opts.PairColumn != "" && (opts.PairColumn != "text_pair" || s.ColumnIndexByName(opts.PairColumn) >= 0) {
		if pair, err = find(opts.PairColumn, isParquetText, textWant); err != nil {
			return nil, nil, nil, err
		}
	}
	return text, label, pair, nil
}

// parquetTypeName describes a column's type for a message: "int64", "byte
// array (Date)", "a list of byte array (String)".
func parquetTypeName(c *schema.Column) string {
	name := c.PhysicalType().String()
	if lt := c.LogicalType(); lt != nil && !isUnannotated(lt) {
		name += " (" + lt.String() + ")"
	}
	if c.MaxRepetitionLevel() > 0 {
		name = "a list of " + name
	}
	return name
}

// isUnannotated says whether a logical type adds nothing to the physical one.
func isUnannotated(lt schema.LogicalType) bool {
	switch lt.(type) {
	case schema.NoLogicalType, *schema.NoLogicalType:
		return true
	}
	return false
}

// isParquetText says whether a column holds texts: byte arrays annotated as
// UTF-8 strings or enum names (by logical type, or by the converted type of
// older writers).
func isParquetText(c *schema.Column) bool {
	if c.PhysicalType() != parquet.Types.ByteArray {
		return false
	}
	switch c.LogicalType().(type) {
	case schema.StringLogicalType, schema.EnumLogicalType, *schema.StringLogicalType, *schema.EnumLogicalType:
		return true
	}
	return c.ConvertedType() == schema.ConvertedTypes.UTF8 || c.ConvertedType() == schema.ConvertedTypes.Enum
}

// isParquetLabel says whether a column holds labels: strings, plain integers,
// floating-point numbers or booleans, as a JSONL label may be.
func isParquetLabel(c *schema.Column) bool {
	switch c.PhysicalType() {
	case parquet.Types.ByteArray:
		return isParquetText(c)
	case parquet.Types.Int32, parquet.Types.Int64:
		_, isInt := parquetIntType(c)
		return isInt
	case parquet.Types.Boolean, parquet.Types.Float, parquet.Types.Double:
		return isUnannotated(c.LogicalType())
	}
	return false
}

// parquetIntType says whether an int32 or int64 column holds plain integers
// (not dates, times or decimals), and whether they are unsigned.
func parquetIntType(c *schema.Column) (unsigned, isInt bool) {
	switch lt := c.LogicalType().(type) {
	case schema.IntLogicalType:
		return !lt.IsSigned(), true
	case *schema.IntLogicalType:
		return !lt.IsSigned(), true
	}
	return false, isUnannotated(c.LogicalType())
}

// chunkReader is a column chunk reader of values of type T: ReadBatch
// decodes up to n rows into values and their definition levels, returning
// how many rows it read and how many values (the non-null ones).
type chunkReader[T any] interface {
	ReadBatch(n int64, values []T, defLvls, repLvls []int16) (total int64, valuesRead int, err error)
}

// batchReader returns a function that decodes the next len(defs) rows of
// chunk, writing their definition levels into defs, and gives how many rows
// it read and the non-null values as text (format).
func batchReader[T any](chunk chunkReader[T], defs []int16, format func(T) string) func() (int64, []string, error) {
	buf := make([]T, len(defs))
	return func() (int64, []string, error) {
		total, k, err := chunk.ReadBatch(int64(len(defs)), buf, defs, nil)
		out := make([]string, k)
		for i := range out {
			out[i] = format(buf[i])
		}
		return total, out, err
	}
}

// readParquetColumn reads n values of a column chunk as text (an integer label
// as its digits), with present[i] false where row i is null.
func readParquetColumn(group *file.RowGroupReader, c *parquetColumn, n int) (values []string, present []bool, err error) {
	chunk, err := group.Column(c.index)
	if err != nil {
		return nil, nil, err
	}
	maxDef := c.descr.MaxDefinitionLevel()
	unsigned, _ := parquetIntType(c.descr)
	defs := make([]int16, parquetBatch)
	// batch decodes up to len(defs) rows: how many, and the non-null values.
	var batch func() (int64, []string, error)
	switch chunk := chunk.(type) {
	case *file.ByteArrayColumnChunkReader:
		batch = batchReader(chunk, defs, func(v parquet.ByteArray) string { return string(v) })
	case *file.Int32ColumnChunkReader:
		batch = batchReader(chunk, defs, func(v int32) string {
			if unsigned {
				return strconv.FormatUint(uint64(uint32(v)), 10)
			}
			return strconv.FormatInt(int64(v), 10)
		})
	case *file.Int64ColumnChunkReader:
		batch = batchReader(chunk, defs, func(v int64) string {
			if unsigned {
				return strconv.FormatUint(uint64(v), 10)
			}
			return strconv.FormatInt(v, 10)
		})
	case *file.BooleanColumnChunkReader:
		batch = batchReader(chunk, defs, strconv.FormatBool)
	case *file.Float32ColumnChunkReader:
		batch = batchReader(chunk, defs, func(v float32) string { return strconv.FormatFloat(float64(v), 'g', -1, 32) })
	case *file.Float64ColumnChunkReader:
		batch = batchReader(chunk, defs, func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) })
	default:
		return nil, nil, fmt.Errorf("unsupported column reader %T", chunk)
	}
	values = make([]string, 0, n)
	present = make([]bool, 0, n)
	for len(values) < n {
		total, got, err := batch()
		if err != nil {
			return nil, nil, err
		}
		if total == 0 {
			return nil, nil, fmt.Errorf("%d values, want %d (the row group's row count)", len(values), n)
		}
		next := 0 // index in got of the next non-null value
		for i := 0; i < int(total) && len(values) < n; i++ {
			if maxDef > 0 && defs[i] < maxDef {
				values, present = append(values, ""), append(present, false)
				continue
			}
			if next == len(got) {
				return nil, nil, fmt.Errorf("fewer values than definition levels say (a corrupt page)")
			}
			values, present = append(values, got[next]), append(present, true)
			next++
		}
	}
	return values, present, nil
}
