package hf

import (
	"bytes"
	"testing"
)

func TestNewlyInitializedWarningIsHFsAndComesOnce(t *testing.T) {
	// The warnings already written belong to the process; a checkpoint path
	// of this run's own keeps the test repeatable under -count.
	ckpt := t.TempDir()
	var b bytes.Buffer
	WarnNewlyInitialized(&b, "BertForSequenceClassification", ckpt, []string{"classifier.bias", "classifier.weight"})
	want := "Some weights of BertForSequenceClassification were not initialized from the model checkpoint at " + ckpt + " and are newly initialized: [classifier.bias, classifier.weight]\n" +
		"You should probably TRAIN this model on a down-stream task to be able to use it for predictions and inference.\n"
	if b.String() != want {
		t.Fatalf("warning:\n%s\nwant:\n%s", b.String(), want)
	}
	b.Reset()
	WarnNewlyInitialized(&b, "BertForSequenceClassification", ckpt, []string{"classifier.bias", "classifier.weight"})
	if b.Len() != 0 {
		t.Fatalf("the same warning a second time: %q", b.String())
	}
	WarnNewlyInitialized(&b, "BertForTokenClassification", ckpt, []string{"classifier.bias", "classifier.weight"})
	if b.Len() == 0 {
		t.Fatal("no warning for another model class")
	}
	b.Reset()
	WarnNewlyInitialized(&b, "BertForSequenceClassification", "other", nil)
	if b.Len() != 0 {
		t.Fatalf("a warning with nothing missing: %q", b.String())
	}
}
