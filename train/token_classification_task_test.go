package train

import (
	"reflect"
	"testing"

	"github.com/turinglab/turinglab/data"
)

func TestLabelAllPieces(t *testing.T) {
	_, tok, _ := tinySetup(t)
	sentence := data.TaggedSentence{Tokens: []string{"In", "Mombasa", ",", "rain"}, Tags: []string{"O", "B-LOC", "O", "O"}}
	task := &TokenClassificationTask{Tokenizer: tok, Labels: data.NERLabels, LabelAllPieces: true}
	in, labels, words, err := task.Batch([]data.TaggedSentence{sentence}, []int{0})
	if err != nil {
		t.Fatal(err)
	}
	pieces := 0
	for i, w := range words[0] {
		switch {
		case w < 0 && labels[i] != data.IgnoreLabel:
			t.Fatalf("special token %d labelled %d", i, labels[i])
		case w >= 0 && data.NERLabels[labels[i]] != sentence.Tags[w]:
			t.Fatalf("piece %d of word %d labelled %s, want %s", i, w, data.NERLabels[labels[i]], sentence.Tags[w])
		case w == 1:
			pieces++
		}
	}
	if pieces < 2 || in.SeqLen != len(words[0]) {
		t.Fatalf("%q is %d pieces: pick a word the tokenizer splits", sentence.Tokens[1], pieces)
	}
	// A word's tag is the argmax of its pieces' summed logits: word 0 has
	// one piece that favours label 1, word 1 two pieces that favour label 0
	// and label 2, the second more; word 2 was cut off.
	logits := []float32{
		9, 9, 9, // [CLS]
		0, 1, 0, // word 0
		3, 0, 0, // word 1, first piece
		0, 0, 4, // word 1, second piece
		9, 9, 9, // [SEP]
	}
	if got := wordArgMax(logits, []int{-1, 0, 1, 1, -1}, 3, 3); !reflect.DeepEqual(got, []int{1, 2, -1}) {
		t.Fatalf("wordArgMax = %v, want [1 2 -1]", got)
	}
}
