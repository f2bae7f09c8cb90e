package data

import (
	"math/rand/v2"
	"strings"
)

// SentimentLabels are the sentiment classes, in label-id order (the same order
// as the reference checkpoint's id2label).
var SentimentLabels = []string{"negative", "neutral", "positive"}

// Example is one labeled text for sequence classification; TextPair is empty
// for single-sentence tasks.
type Example struct {
	Text     string
	TextPair string
	Label    int
}

// SentimentOptions sizes the sentiment dataset.
type SentimentOptions struct {
	Seed uint64
	N    int // number of examples (default 1000)
}

// Words of the sentiment grammar. Strong adjectives carry more weight, so
// "good, but awful" is negative and the classes are not a word count.
var (
	aspects       = []string{"the film", "the plot", "the acting", "the soundtrack", "the ending", "the dialogue", "the story", "the cast", "the camera work", "the script"}
	positiveWords = []string{"good", "great", "wonderful", "excellent", "brilliant", "charming", "moving", "delightful", "clever", "beautiful"}
	negativeWords = []string{"bad", "awful", "terrible", "boring", "dull", "weak", "clumsy", "painful", "silly", "ugly"}
	neutralWords  = []string{"average", "ordinary", "okay", "unremarkable"}
	intensifiers  = []string{"", "", "", "very ", "really ", "truly ", "extremely ", "quite "}
	fillers       = []string{
		"I saw it on a Tuesday.", "The film runs for two hours.", "It was shown in the small hall.",
		"My friend chose the seats.", "We bought tickets at the door.", "It is based on a novel.",
		"The cinema was half full.", "It was released last year.", "The director also wrote the script.",
		"I watched it with my brother.",
	}
)

// Sentiment generates a three-class sentiment dataset whose labels need more
// than a bag of words: negation flips a word's polarity ("not bad at all" is
// positive), contrast makes the clause after "but" decide ("good, but the ending
// was awful" is negative), "neither good nor bad" is neutral although it holds
// both words, and neutral fillers surround the opinions. Classes are balanced.
func Sentiment(opts SentimentOptions) []Example {
	if opts.N == 0 {
		opts.N = 1000
	}
	rng := newRand(opts.Seed)
	examples := make([]Example, opts.N)
	for i := range examples {
		label := i % 3
		examples[i] = Example{Text: sentimentText(rng, label), Label: label}
	}
	rng.Shuffle(len(examples), func(i, j int) { examples[i], examples[j] = examples[j], examples[i] })
	return examples
}

// sentimentText writes one review with the given label (0 negative, 1 neutral,
// 2 positive), choosing among the constructions that express it.
func sentimentText(rng *rand.Rand, label int) string {
	return strings.Join(sentimentSentences(rng, label), " ")
}

// sentimentSentences writes the sentences of one review with the given label:
// an opinion, sometimes with a neutral filler before or after it.
func sentimentSentences(rng *rand.Rand, label int) []string {
	var opinion string
	if label == 1 {
		switch rng.IntN(3) {
		case 0:
			opinion = pick(rng, fillers)
		case 1:
			opinion = sentence(pick(rng, aspects) + " was neither " + pick(rng, positiveWords) + " nor " + pick(rng, negativeWords))
		default:
			opinion = sentence(pick(rng, aspects) + " was " + pick(rng, neutralWords))
		}
	} else {
		same, opposite := positiveWords, negativeWords
		if label == 0 {
			same, opposite = negativeWords, positiveWords
		}
		a1, a2 := pick(rng, aspects), pick(rng, aspects)
		switch rng.IntN(5) {
		case 0: // plain opinion
			opinion = sentence(a1 + " was " + pick(rng, intensifiers) + pick(rng, same))
		case 1: // negated opposite: "the plot was not bad at all"
			opinion = sentence(a1 + " was not " + pick(rng, opposite) + pick(rng, []string{"", " at all"}))
		case 2: // contrast: the clause after "but" decides
			opinion = sentence(a1 + " was " + pick(rng, intensifiers) + pick(rng, opposite) + ", but " + a2 + " was " + pick(rng, intensifiers) + pick(rng, same))
		case 3: // expectation denied: "I expected the film to be boring, but it was not"
			opinion = "I expected " + a1 + " to be " + pick(rng, opposite) + ", but it was not."
		default: // agreement: "the plot was dull, and the cast was not good either"
			opinion = sentence(a1 + " was " + pick(rng, same) + ", and " + a2 + " was not " + pick(rng, opposite) + " either")
		}
	}
	switch rng.IntN(3) {
	case 0:
		return []string{pick(rng, fillers), opinion}
	case 1:
		return []string{opinion, pick(rng, fillers)}
	}
	return []string{opinion}
}

// sentence capitalises a clause and ends it with a full stop.
func sentence(clause string) string {
	return strings.ToUpper(clause[:1]) + clause[1:] + "."
}
