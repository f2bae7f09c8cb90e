package data

import (
	"fmt"
	"strings"
)

// Instruction is one instruction-following example: a prompt in the
// "Q: ... A:" form and the response the model should write after it.
type Instruction struct {
	Kind     string // "birthplace", "profession", "capital" or "reverse"
	Subject  string // whom or what it is about (the reversed words for "reverse")
	Prompt   string // "Q: Where was Gechath Ruzan born? A:"
	Response string // " Gechath Ruzan was born in Luxor."
}

// Instructions writes the small instruction set of notebook 15 about the
// world: for every person "Where was X born?" and "What does X do?", for
// every country "What is the capital of C?", each answered in a word or
// two (" Luxor.", " a teacher."), plus reverse instructions ("Reverse: Lima Cairo Rome" →
// "Rome Cairo Lima") over the world's city names, three words each. The
// questions about every fourth person and country (and every fourth reverse
// example) go to the held-out set, so held-out questions are about subjects
// the tuning never asked about. Deterministic for seed.
func (w *World) Instructions(reverse int, seed uint64) (train, heldOut []Instruction, err error) {
	if reverse < 0 {
		return nil, nil, fmt.Errorf("data.Instructions: negative number of reverse examples %d", reverse)
	}
	rng := newRand(seed)
	add := func(i int, in Instruction) {
		if i%4 == 3 {
			heldOut = append(heldOut, in)
		} else {
			train = append(train, in)
		}
	}
	for i, p := range w.People {
		add(i, Instruction{Kind: "birthplace", Subject: p.Name(), Prompt: fmt.Sprintf("Q: Where was %s born? A:", p.Name()),
			Response: " " + p.BirthCity + "."})
		add(i, Instruction{Kind: "profession", Subject: p.Name(), Prompt: fmt.Sprintf("Q: What does %s do? A:", p.Name()),
			Response: " " + withArticle(p.Profession) + "."})
	}
	for i, c := range w.Countries {
		add(i, Instruction{Kind: "capital", Subject: c.Name, Prompt: fmt.Sprintf("Q: What is the capital of %s? A:", c.Name),
			Response: " " + c.Capital + "."})
	}
	var cities []string
	for _, c := range w.Countries {
		cities = append(cities, c.Capital)
		cities = append(cities, c.Cities...)
	}
	for i := 0; i < reverse; i++ {
		words := []string{pick(rng, cities), pick(rng, cities), pick(rng, cities)}
		back := []string{words[2], words[1], words[0]}
		add(i, Instruction{Kind: "reverse", Subject: strings.Join(words, " "), Prompt: "Q: Reverse: " + strings.Join(words, " ") + " A:",
			Response: " " + strings.Join(back, " ") + "."})
	}
	return train, heldOut, nil
}
