package data

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// LabelOrder says how label names found in a file get their ids when
// LoadOptions.Labels does not fix them.
type LabelOrder int

const (
	// LabelsSorted numbers the labels in sorted order (the default, as HF
	// datasets' ClassLabel): numerically when every label is an integer
	// ("2" before "10"), else by string.
	LabelsSorted LabelOrder = iota
	// LabelsFirstSeen numbers the labels in the order they first occur.
	LabelsFirstSeen
)

// String names the order as its constant does.
func (o LabelOrder) String() string {
	switch o {
	case LabelsSorted:
		return "LabelsSorted"
	case LabelsFirstSeen:
		return "LabelsFirstSeen"
	}
	return fmt.Sprintf("LabelOrder(%d)", int(o))
}

// orderLabels returns the distinct names of found (in first-seen order) in
// the requested order.
func orderLabels(found []string, order LabelOrder) []string {
	labels := append([]string(nil), found...)
	if order == LabelsFirstSeen {
		return labels
	}
	numeric := len(labels) > 0
	values := map[string]int64{}
	for _, l := range labels {
		v, err := strconv.ParseInt(l, 10, 64)
		if err != nil {
			numeric = false
			break
		}
		values[l] = v
	}
	if numeric {
		sort.Slice(labels, func(i, j int) bool { return values[labels[i]] < values[labels[j]] })
	} else {
		sort.Strings(labels)
	}
	return labels
}

// LabelMapping is the table from label id to name with each label's count, as
// a loader reports it ("0 = negative (1,204 examples)").
func (d *ClassificationData) LabelMapping() string {
	var b strings.Builder
	for id, name := range d.Labels {
		count := 0
		if id < len(d.LabelCounts) {
			count = d.LabelCounts[id]
		}
		fmt.Fprintf(&b, "%d = %q (%d examples)\n", id, name, count)
	}
	return b.String()
}
