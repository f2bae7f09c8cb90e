package train

import "testing"

// TestBatchOrderNames checks that a BatchOrder prints as its constant is
// named, and a value outside the set with its type and number.
func TestBatchOrderNames(t *testing.T) {
	for order, want := range map[BatchOrder]string{
		BatchesByLength: "BatchesByLength",
		RandomBatches:   "RandomBatches",
		BatchOrder(7):   "BatchOrder(7)",
	} {
		if got := order.String(); got != want {
			t.Errorf("BatchOrder(%d) prints %q, want %q", int(order), got, want)
		}
	}
}

// TestBatchOrderChoosesTheBatches checks what each order draws: by length
// with lengths (every batch holds rows of one length here), at random
// without them or with RandomBatches, and both cover every row once.
func TestBatchOrderChoosesTheBatches(t *testing.T) {
	lengths := []int{1, 9, 1, 9, 1, 9, 1, 9}
	for _, c := range []struct {
		order    BatchOrder
		lengths  []int
		byLength bool
	}{
		{BatchesByLength, lengths, true},
		{BatchesByLength, nil, false},
		{RandomBatches, lengths, false},
	} {
		batches := epochBatches(c.order, c.lengths, len(lengths), 4, 3)
		seen := map[int]bool{}
		oneLength := true
		for _, b := range batches {
			for _, row := range b {
				if seen[row] {
					t.Fatalf("%v: row %d drawn twice in %v", c.order, row, batches)
				}
				seen[row] = true
				oneLength = oneLength && lengths[row] == lengths[b[0]]
			}
		}
		if len(seen) != len(lengths) {
			t.Fatalf("%v: %d of %d rows drawn: %v", c.order, len(seen), len(lengths), batches)
		}
		if c.byLength && !oneLength {
			t.Errorf("%v with lengths: batches %v mix lengths", c.order, batches)
		}
	}
}

// TestPredictLoopDefaultBatchSize checks that predictLoop cuts the rows into
// batches of defaultEvalBatchSize when no size is set, visiting every row
// once.
func TestPredictLoopDefaultBatchSize(t *testing.T) {
	lengths := make([]int, 2*defaultEvalBatchSize+5)
	var sizes []int
	rows := 0
	err := predictLoop(lengths, 0, true, func(batch []int) error {
		sizes = append(sizes, len(batch))
		rows += len(batch)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if rows != len(lengths) || len(sizes) != 3 || sizes[0] != defaultEvalBatchSize || sizes[2] != 5 {
		t.Fatalf("batch sizes %v for %d rows", sizes, len(lengths))
	}
}
