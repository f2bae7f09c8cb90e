package data

import (
	"fmt"
	"testing"
)

// TestEnumNames checks that every typed constant of the package prints as
// its doc says (the name a notebook shows, or HF's word for it), and that a
// value outside the set prints with its type and number.
func TestEnumNames(t *testing.T) {
	for _, c := range []struct {
		value fmt.Stringer
		want  string
	}{
		{AdditionDirect, "direct"},
		{AdditionScratchpad, "scratchpad"},
		{AdditionFormat(9), "AdditionFormat(9)"},
		{StopAtBadLine, "StopAtBadLine"},
		{SkipBadLines, "SkipBadLines"},
		{BadLinePolicy(9), "BadLinePolicy(9)"},
		{LabelsSorted, "LabelsSorted"},
		{LabelsFirstSeen, "LabelsFirstSeen"},
		{LabelOrder(9), "LabelOrder(9)"},
		{FormatAuto, "auto"},
		{FormatTSV, "tsv"},
		{FormatCSV, "csv"},
		{FormatJSONL, "jsonl"},
		{FormatParquet, "parquet"},
		{TableFormat(9), "TableFormat(9)"},
	} {
		if got := c.value.String(); got != c.want {
			t.Errorf("%#v prints %q, want %q", c.value, got, c.want)
		}
	}
}
