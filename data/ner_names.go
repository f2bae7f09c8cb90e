package data

import (
	"fmt"
	"math"
	"slices"
)

// NERNames are the entity names the NER generator fills its templates with:
// people (PER), places (LOC) and organisations (ORG).
type NERNames struct {
	PER, LOC, ORG []string
}

// WorldNERNames returns every name of w by type: each person's full and first
// name, every country, capital and city (and the region of each real country,
// so a region shared by several countries is listed, and drawn, as often),
// every company. It is what NER draws from when NEROptions.Names is nil.
func WorldNERNames(w *World) NERNames {
	var n NERNames
	for _, p := range w.People {
		n.PER = append(n.PER, p.Name(), p.First)
	}
	for _, c := range w.Countries {
		n.LOC = append(n.LOC, c.Name, c.Capital)
		n.LOC = append(n.LOC, c.Cities...)
		if c.Real {
			n.LOC = append(n.LOC, c.Region)
		}
	}
	for _, c := range w.Companies {
		n.ORG = append(n.ORG, c.Name)
	}
	return n
}

// SplitNERNames holds out a fraction of w's names of every type for testing,
// chosen at random (deterministic for seed): sentences generated from unseen
// only mention entities that sentences generated from seen never do, so a
// tagger's F1 on them measures how it generalises to new names rather than
// how well it memorised the training names. A person is held out as a whole
// (full and first name together). Every type keeps at least one name on
// each side; heldOut must lie in (0, 1).
func SplitNERNames(w *World, heldOut float64, seed uint64) (seen, unseen NERNames, err error) {
	if !(heldOut > 0 && heldOut < 1) {
		return seen, unseen, fmt.Errorf("data.SplitNERNames: heldOut is %v, want a fraction strictly between 0 and 1", heldOut)
	}
	rng := newRand(seed)
	// split shuffles groups of names (a group is held out as a whole) and
	// moves the last ⌈heldOut·n⌉ of them to unseen.
	split := func(kind string, groups [][]string) (in, out []string, err error) {
		if len(groups) < 2 {
			return nil, nil, fmt.Errorf("data.SplitNERNames: the world has %d %s name(s); holding some out needs at least 2", len(groups), kind)
		}
		rng.Shuffle(len(groups), func(i, j int) { groups[i], groups[j] = groups[j], groups[i] })
		k := min(max(int(math.Ceil(heldOut*float64(len(groups)))), 1), len(groups)-1)
		for _, g := range groups[:len(groups)-k] {
			in = append(in, g...)
		}
		for _, g := range groups[len(groups)-k:] {
			out = append(out, g...)
		}
		return in, out, nil
	}
	all := WorldNERNames(w)
	var people [][]string
	for _, p := range w.People {
		people = append(people, []string{p.Name(), p.First})
	}
	if seen.PER, unseen.PER, err = split("PER", people); err != nil {
		return seen, unseen, err
	}
	if seen.LOC, unseen.LOC, err = split("LOC", singletons(distinct(all.LOC))); err != nil {
		return seen, unseen, err
	}
	seen.ORG, unseen.ORG, err = split("ORG", singletons(all.ORG))
	return seen, unseen, err
}

// distinct returns names without repeats, in first-seen order.
func distinct(names []string) []string {
	var out []string
	for _, n := range names {
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

// singletons makes every name a group of its own.
func singletons(names []string) [][]string {
	groups := make([][]string, len(names))
	for i, n := range names {
		groups[i] = []string{n}
	}
	return groups
}
