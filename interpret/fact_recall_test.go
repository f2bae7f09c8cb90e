package interpret

import (
	"testing"

	"github.com/turinglab/turinglab/data"
)

// A masked LM whose output bias makes "paris" win everywhere recalls exactly
// the facts whose answer is Paris; facts with a multi-token or unknown
// object are not asked.
func TestFactRecallCountsTopOneAnswers(t *testing.T) {
	tok := testTokenizer(t)
	m := tinyMLM(t, 1)
	m.Cls.Predictions.Bias.Data()[id(t, tok, "paris")] = 100
	facts := []data.Fact{
		{Subject: "France", Relation: "capital", Object: "Paris", Cloze: "the capital of france is [MASK] ."},
		{Subject: "Italy", Relation: "capital", Object: "Rome", Cloze: "the capital of italy is [MASK] ."},
		{Subject: "Germany", Relation: "capital", Object: "Berlin", Cloze: "the capital of germany is [MASK] ."},
		{Subject: "Spain", Relation: "capital", Object: "Zaragoza", Cloze: "the capital of spain is [MASK] ."}, // not in the vocabulary
		{Subject: "Paris", Relation: "country", Object: "France", Cloze: "paris is a city in [MASK] ."},
	}
	recall, table, err := FactRecall(m, tok, facts, "capital")
	if err != nil {
		t.Fatal(err)
	}
	if recall != 1.0/3 || len(table.Rows) != 3 {
		t.Fatalf("recall %v over %d facts, want 1/3 over 3", recall, len(table.Rows))
	}
	if table.Rows[0][2] != "paris" || table.Rows[0][4] != 0 || table.Rows[1][4] == 0 {
		t.Fatalf("rows %v", table.Rows)
	}
	if all, _, err := FactRecall(m, tok, facts, ""); err != nil || all != 1.0/4 {
		t.Fatalf("all relations: recall %v, %v", all, err)
	}
	if _, _, err := FactRecall(m, tok, facts, "currency"); err == nil {
		t.Fatal("a relation without facts is not an error")
	}
}
