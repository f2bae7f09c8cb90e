package train

import (
	"fmt"

	"github.com/turinglab/turinglab/data"
)

// BatchOrder is how the Trainer draws an epoch's training batches.
type BatchOrder int

const (
	// BatchesByLength groups examples of similar length (shuffled buckets,
	// data.LengthBucketedBatches), so padding to the longest in a batch wastes
	// little. It is the default, and needs Trainer.Lengths; without them the
	// trainer draws random batches.
	BatchesByLength BatchOrder = iota
	// RandomBatches shuffles all examples and cuts them into batches
	// (data.Batches), the order before length bucketing.
	RandomBatches
)

// String names the order as its constant does.
func (b BatchOrder) String() string {
	switch b {
	case BatchesByLength:
		return "BatchesByLength"
	case RandomBatches:
		return "RandomBatches"
	}
	return fmt.Sprintf("BatchOrder(%d)", int(b))
}

// epochBatches returns the batches of one epoch: reproducible from the seed
// and the epoch.
func epochBatches(order BatchOrder, lengths []int, n, batchSize int, seed uint64) [][]int {
	if order == BatchesByLength && lengths != nil {
		return data.LengthBucketedBatches(lengths, batchSize, seed)
	}
	return data.Batches(n, batchSize, true, seed)
}
