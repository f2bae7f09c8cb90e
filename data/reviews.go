package data

import (
	"fmt"
	"math/rand/v2"
)

// What a reviewer did after the film, by label (negative, neutral, positive).
// These sentences never occur in the labeled sentiment dataset: they are the
// unlabeled signal from which pretraining can learn which opinion words are
// good and which are bad, so a model pretrained on reviews needs fewer labels.
var consequences = [3][]string{
	{"%[1]s left before the end.", "%[1]s wanted the money back.", "%[1]s warned everyone to stay away.", "%[1]s regretted buying a ticket."},
	{"%[1]s has no strong feelings about it.", "%[1]s might watch something else next time.", "%[1]s thought it was a normal evening."},
	{"%[1]s would gladly see it again.", "%[1]s told all friends to go.", "%[1]s bought the soundtrack the next day.", "%[1]s called it the best evening in years."},
}

// verdicts are one-sentence opinions whose words and consequence agree, so a
// masked word can be predicted from the rest of its sentence: this is where
// pretraining learns that "brilliant" goes with "see it again".
var verdicts = [3][]string{
	{"%[1]s found it %[2]s and sighed all the way home.", "It was so %[2]s that %[1]s fell asleep.", "%[1]s found it %[2]s and booed at the end."},
	{"%[1]s found it %[2]s and went home.", "It was %[2]s, %[1]s said, neither good nor bad."},
	{"%[1]s found it %[2]s and smiled all the way home.", "It was so %[2]s that %[1]s cried with joy.", "%[1]s found it %[2]s and clapped at the end."},
}

// reviewDocument is one unlabeled film review by a person of the world: where
// they saw it, their opinion (the sentiment grammar), a verdict, and what they
// did after.
func reviewDocument(rng *rand.Rand, p Person, label int) []string {
	intro := pick(rng, []string{"%[1]s saw a film in %[2]s.", "Last week %[1]s went to the cinema in %[2]s.", "%[1]s watched a new film in %[2]s."})
	doc := []string{fmt.Sprintf(intro, p.Name(), p.HomeCity)}
	doc = append(doc, sentimentSentences(rng, label)...)
	words := [3][]string{negativeWords, neutralWords, positiveWords}[label]
	doc = append(doc, say(rng, verdicts[label], p.First, pick(rng, words)))
	return append(doc, say(rng, consequences[label], p.pronounOrName(rng), ""))
}

// pronounOrName refers to a person again: by first name or pronoun.
func (p Person) pronounOrName(rng *rand.Rand) string {
	return pick(rng, []string{p.First, p.Pronoun})
}
