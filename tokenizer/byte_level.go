package tokenizer

import "unicode/utf8"

// byteToRune is GPT-2's bytes_to_unicode table: the printable Latin-1 bytes
// ('!'..'~', '¡'..'¬', '®'..'ÿ') stand for themselves; the other 68 bytes
// (control characters, space, DEL, NBSP, soft hyphen, ...) are given the
// characters U+0100, U+0101, ... in byte order, so space (0x20) is 'Ġ' and
// newline (0x0A) is 'Ċ'.
var byteToRune [256]rune

// runeToByte inverts byteToRune, and byteAlphabet[b] is byteToRune[b] as a
// string (the initial BPE symbol of byte b).
var (
	runeToByte   = map[rune]byte{}
	byteAlphabet [256]string
)

func init() {
	printable := func(b int) bool {
		return (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF)
	}
	next := rune(256)
	for b := 0; b < 256; b++ {
		if printable(b) {
			byteToRune[b] = rune(b)
		} else {
			byteToRune[b] = next
			next++
		}
	}
	for b, r := range byteToRune {
		runeToByte[r] = byte(b)
		byteAlphabet[b] = string(r)
	}
}

// ByteToRune returns the character that stands for byte b in byte-level
// tokens (GPT-2's bytes_to_unicode): ByteToRune(' ') is 'Ġ'.
func ByteToRune(b byte) rune { return byteToRune[b] }

// RuneToByte returns the byte that character r stands for in byte-level
// tokens, and false if r is not one of the 256 byte characters.
func RuneToByte(r rune) (byte, bool) {
	b, ok := runeToByte[r]
	return b, ok
}

// ByteLevelAlphabet returns the 256 byte characters as one-character strings,
// in the order of their code points (which is also byte order of
// bytes_to_unicode's printable bytes first, then the rest).
func ByteLevelAlphabet() []string {
	out := make([]string, 0, 256)
	for r := rune(0); r < 0x200 && len(out) < 256; r++ {
		if _, ok := runeToByte[r]; ok {
			out = append(out, string(r))
		}
	}
	return out
}

// ByteLevelEncode spells the bytes of s with byte characters:
// ByteLevelEncode(" hé") is "Ġh" + "Ã©".
func ByteLevelEncode(s string) string {
	buf := make([]rune, len(s))
	for i := 0; i < len(s); i++ {
		buf[i] = byteToRune[s[i]]
	}
	return string(buf)
}

// appendByteLevelBytes maps each byte character of token back to its byte
// and appends the bytes to dst. It returns false (and the bytes so far) at
// the first character that is not a byte character.
func appendByteLevelBytes(dst []byte, token string) ([]byte, bool) {
	for _, r := range token {
		b, ok := runeToByte[r]
		if !ok {
			return dst, false
		}
		dst = append(dst, b)
	}
	return dst, true
}

// decodeUTF8Replace decodes b as UTF-8 the way Python's
// bytes.decode("utf-8", errors="replace") does: each maximal subpart of an
// ill-formed sequence (the longest prefix of a valid sequence, or one byte)
// becomes one U+FFFD. A truncated 3-byte character is therefore one U+FFFD,
// not two, and a lone continuation byte is one.
func decodeUTF8Replace(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	out := make([]byte, 0, len(b)+8)
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r != utf8.RuneError || size > 1 {
			out = append(out, b[i:i+size]...)
			i += size
			continue
		}
		out = utf8.AppendRune(out, utf8.RuneError)
		i += maximalSubpart(b[i:])
	}
	return string(out)
}

// maximalSubpart returns the length of the maximal subpart of the ill-formed
// sequence at the start of b (Unicode §3.9, table 3-7): how many bytes of a
// well-formed sequence's beginning are present before it breaks off, at
// least 1.
func maximalSubpart(b []byte) int {
	lo, hi := byte(0x80), byte(0xBF)
	var need int
	switch c := b[0]; {
	case c >= 0xC2 && c <= 0xDF:
		need = 1
	case c == 0xE0:
		need, lo = 2, 0xA0
	case c >= 0xE1 && c <= 0xEC, c == 0xEE, c == 0xEF:
		need = 2
	case c == 0xED:
		need, hi = 2, 0x9F
	case c == 0xF0:
		need, lo = 3, 0x90
	case c >= 0xF1 && c <= 0xF3:
		need = 3
	case c == 0xF4:
		need, hi = 3, 0x8F
	default:
		return 1
	}
	n := 1
	for k := 0; k < need && n < len(b); k++ {
		c := b[n]
		if k > 0 {
			lo, hi = 0x80, 0xBF
		}
		if c < lo || c > hi {
			break
		}
		n++
	}
	return n
}
