package data

import "math/rand/v2"

// newRand returns the package's random source for a seed. PCG is specified
// exactly by math/rand/v2, so the same seed gives the same corpus and the same
// instances on every machine and Go version.
func newRand(seed uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
}

// pick returns a uniformly chosen element of options.
func pick(rng *rand.Rand, options []string) string {
	return options[rng.IntN(len(options))]
}
