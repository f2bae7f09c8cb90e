package data

import (
	"bufio"
	"bytes"
	"io"
	"strings"
)

// utf8BOM is the byte-order mark some editors (Excel, Notepad) put at the start
// of a UTF-8 file; it is not part of the first field.
const utf8BOM = "\ufeff"

// lineReader reads a text file line by line for the loaders: any line length
// (no bufio.Scanner 64 KB limit), the BOM dropped, and "\r\n" read as "\n".
// Line numbers start at 1.
type lineReader struct {
	r    *bufio.Reader
	line int // number of the line last returned
}

func newLineReader(r io.Reader) *lineReader {
	return &lineReader{r: bufio.NewReaderSize(r, 64<<10)}
}

// next returns the next line without its line ending, or io.EOF after the
// last one. A final line without a newline is still a line.
func (l *lineReader) next() (string, error) {
	var buf []byte
	for {
		chunk, err := l.r.ReadSlice('\n')
		buf = append(buf, chunk...)
		if err == bufio.ErrBufferFull {
			continue
		}
		if err == io.EOF && len(buf) == 0 {
			return "", io.EOF
		}
		if err != nil && err != io.EOF {
			return "", err
		}
		break
	}
	l.line++
	buf = bytes.TrimSuffix(buf, []byte("\n"))
	buf = bytes.TrimSuffix(buf, []byte("\r"))
	text := string(buf)
	if l.line == 1 {
		text = strings.TrimPrefix(text, utf8BOM)
	}
	return text, nil
}

// skipBOM returns r without a leading UTF-8 byte-order mark.
func skipBOM(r io.Reader) io.Reader {
	br := bufio.NewReader(r)
	if head, err := br.Peek(len(utf8BOM)); err == nil && string(head) == utf8BOM {
		br.Discard(len(utf8BOM))
	}
	return br
}
