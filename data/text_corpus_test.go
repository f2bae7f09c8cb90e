package data

import (
	"strings"
	"testing"
)

func TestCorpusReaderRejectsTextThatIsNotUTF8(t *testing.T) {
	path := writeFile(t, "latin1.txt", "One.\nTwo.\n\nCaf\xe9 au lait.\n")
	_, err := LoadCorpus(path)
	if err == nil || !strings.Contains(err.Error(), path+":4:") || !strings.Contains(err.Error(), "byte 4") {
		t.Fatalf("err = %v, want it to name %s, line 4 and byte 4", err, path)
	}
}
