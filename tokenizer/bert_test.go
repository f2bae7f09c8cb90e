package tokenizer

import (
	"reflect"
	"strings"
	"testing"
)

// mustEncode encodes text (and pair when not empty) or fails the test.
func mustEncode(t *testing.T, tok *BertTokenizer, text, pair string, opts EncodeOptions) *BertEncoding {
	t.Helper()
	var e *BertEncoding
	var err error
	if pair == "" {
		e, err = tok.Encode(text, opts)
	} else {
		e, err = tok.EncodePair(text, pair, opts)
	}
	if err != nil {
		t.Fatalf("encode %q / %q: %v", text, pair, err)
	}
	return e
}

func TestTokenizeSplitsSpecialTokensInText(t *testing.T) {
	tok := testTokenizer(t)
	got := tok.Tokenize("the[MASK]dog [mask] [CLS]")
	want := []string{"the", "[MASK]", "dog", "[", "m", "##a", "##s", "##k", "]", "[CLS]"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestEncodingOffsets(t *testing.T) {
	tok := testTokenizer(t)
	cases := []struct {
		text       string
		tokens     []string
		runes      []Span
		bytes      []Span
		wordIDs    []int
		specialMsk []int
	}{
		{
			text:    "Héllo, wörld!",
			tokens:  []string{"[CLS]", "hello", ",", "world", "!", "[SEP]"},
			runes:   []Span{{}, {0, 5}, {5, 6}, {7, 12}, {12, 13}, {}},
			bytes:   []Span{{}, {0, 6}, {6, 7}, {8, 14}, {14, 15}, {}},
			wordIDs: []int{-1, 0, 1, 2, 3, -1},
		},
		{
			// a decomposed accent: e + U+0301 compose under NFC, the token
			// covers both original characters
			text:    "Cafe\u0301 quickly",
			tokens:  []string{"[CLS]", "cafe", "quick", "##ly", "[SEP]"},
			runes:   []Span{{}, {0, 5}, {6, 11}, {11, 13}, {}},
			bytes:   []Span{{}, {0, 6}, {7, 12}, {12, 14}, {}},
			wordIDs: []int{-1, 0, 1, 1, -1},
		},
		{
			// 'İ' lowers to two characters; both map back to it
			text:    "İs 我们学",
			tokens:  []string{"[CLS]", "is", "我", "们", "学", "[SEP]"},
			runes:   []Span{{}, {0, 2}, {3, 4}, {4, 5}, {5, 6}, {}},
			bytes:   []Span{{}, {0, 3}, {4, 7}, {7, 10}, {10, 13}, {}},
			wordIDs: []int{-1, 0, 1, 2, 3, -1},
		},
		{
			// a literal [MASK] is a text token (special mask 0); a word with
			// an unknown symbol is one [UNK] spanning the word
			text:       "the [MASK] hi😀",
			tokens:     []string{"[CLS]", "the", "[MASK]", "[UNK]", "[SEP]"},
			runes:      []Span{{}, {0, 3}, {4, 10}, {11, 14}, {}},
			bytes:      []Span{{}, {0, 3}, {4, 10}, {11, 17}, {}},
			wordIDs:    []int{-1, 0, 1, 2, -1},
			specialMsk: []int{1, 0, 0, 0, 1},
		},
	}
	for _, c := range cases {
		e := mustEncode(t, tok, c.text, "", EncodeOptions{})
		if !reflect.DeepEqual(e.Tokens, c.tokens) {
			t.Errorf("%q: tokens %q, want %q", c.text, e.Tokens, c.tokens)
			continue
		}
		if !reflect.DeepEqual(e.Offsets, c.runes) {
			t.Errorf("%q: rune offsets %v, want %v", c.text, e.Offsets, c.runes)
		}
		if !reflect.DeepEqual(e.ByteOffsets, c.bytes) {
			t.Errorf("%q: byte offsets %v, want %v", c.text, e.ByteOffsets, c.bytes)
		}
		if !reflect.DeepEqual(e.WordIDs, c.wordIDs) {
			t.Errorf("%q: word ids %v, want %v", c.text, e.WordIDs, c.wordIDs)
		}
		if c.specialMsk != nil && !reflect.DeepEqual(e.SpecialTokensMask, c.specialMsk) {
			t.Errorf("%q: special tokens mask %v, want %v", c.text, e.SpecialTokensMask, c.specialMsk)
		}
	}
}

func TestPairOffsetsAreIntoEachText(t *testing.T) {
	tok := testTokenizer(t)
	e := mustEncode(t, tok, "Hello", "good dog", EncodeOptions{})
	wantTokens := []string{"[CLS]", "hello", "[SEP]", "good", "dog", "[SEP]"}
	if !reflect.DeepEqual(e.Tokens, wantTokens) {
		t.Fatalf("tokens %q, want %q", e.Tokens, wantTokens)
	}
	checks := map[string]any{
		"type ids":     [2]any{e.TypeIDs, []int{0, 0, 0, 1, 1, 1}},
		"sequence ids": [2]any{e.SequenceIDs, []int{-1, 0, -1, 1, 1, -1}},
		"word ids":     [2]any{e.WordIDs, []int{-1, 0, -1, 0, 1, -1}},
		"offsets":      [2]any{e.Offsets, []Span{{}, {0, 5}, {}, {0, 4}, {5, 8}, {}}},
		"mask":         [2]any{e.AttentionMask, []int{1, 1, 1, 1, 1, 1}},
		"special mask": [2]any{e.SpecialTokensMask, []int{1, 0, 1, 0, 0, 1}},
	}
	for name, c := range checks {
		pair := c.([2]any)
		if !reflect.DeepEqual(pair[0], pair[1]) {
			t.Errorf("%s: got %v, want %v", name, pair[0], pair[1])
		}
	}
}

func TestTruncationStrategies(t *testing.T) {
	tok := testTokenizer(t)
	long := "the quick brown fox jumps over the lazy dog" // 9 tokens
	short := "it ran"                                     // 2 tokens
	cases := []struct {
		name       string
		a, b       string
		opts       EncodeOptions
		want       string
		wantErrSub string
	}{
		{"longest_first cuts the longer", long, short, EncodeOptions{MaxLength: 10, Truncation: TruncateLongestFirst},
			"[CLS] the quick brown fox jumps [SEP] it ran [SEP]", ""},
		{"longest_first alternates, pair first on ties", "a b c d", "e f g h", EncodeOptions{MaxLength: 8, Truncation: TruncateLongestFirst},
			"[CLS] a b c [SEP] e f [SEP]", ""},
		{"longest_first single", long, "", EncodeOptions{MaxLength: 5, Truncation: TruncateLongestFirst},
			"[CLS] the quick brown [SEP]", ""},
		{"only_first", long, short, EncodeOptions{MaxLength: 10, Truncation: TruncateOnlyFirst},
			"[CLS] the quick brown fox jumps [SEP] it ran [SEP]", ""},
		{"only_second", short, long, EncodeOptions{MaxLength: 10, Truncation: TruncateOnlySecond},
			"[CLS] it ran [SEP] the quick brown fox jumps [SEP]", ""},
		{"only_second keeps the first whole", long, short, EncodeOptions{MaxLength: 13, Truncation: TruncateOnlySecond},
			"[CLS] the quick brown fox jumps over the lazy dog [SEP] it [SEP]", ""},
		{"no truncation needed", short, "", EncodeOptions{MaxLength: 10, Truncation: TruncateOnlyFirst},
			"[CLS] it ran [SEP]", ""},
		{"without special tokens", long, "", EncodeOptions{MaxLength: 2, Truncation: TruncateLongestFirst, NoSpecialTokens: true},
			"the quick", ""},
		{"only_second too short", long, short, EncodeOptions{MaxLength: 12, Truncation: TruncateOnlySecond},
			"", "must remove 2 tokens but the second sequence has only 2"},
		{"only_first too short", short, long, EncodeOptions{MaxLength: 10, Truncation: TruncateOnlyFirst},
			"", "must remove 4 tokens but the first sequence has only 2"},
		{"only_second without pair", long, "", EncodeOptions{MaxLength: 5, Truncation: TruncateOnlySecond},
			"", "only_second needs a pair"},
		{"max below special tokens", long, short, EncodeOptions{MaxLength: 2, Truncation: TruncateLongestFirst},
			"", "smaller than the 3 special tokens"},
		{"no max length", long, "", EncodeOptions{Truncation: TruncateLongestFirst},
			"", "need MaxLength"},
	}
	for _, c := range cases {
		var e *BertEncoding
		var err error
		if c.b == "" {
			e, err = tok.Encode(c.a, c.opts)
		} else {
			e, err = tok.EncodePair(c.a, c.b, c.opts)
		}
		if c.wantErrSub != "" {
			if err == nil || !strings.Contains(err.Error(), c.wantErrSub) {
				t.Errorf("%s: got error %v, want %q", c.name, err, c.wantErrSub)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if got := strings.Join(e.Tokens, " "); got != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.name, got, c.want)
		}
	}
	// ModelMaxLength is the default MaxLength.
	tok.ModelMaxLength = 4
	e := mustEncode(t, tok, long, "", EncodeOptions{Truncation: TruncateLongestFirst})
	if got := strings.Join(e.Tokens, " "); got != "[CLS] the quick [SEP]" {
		t.Errorf("model max length: got %s", got)
	}
}

func TestBatchPadding(t *testing.T) {
	tok := testTokenizer(t)
	texts := []string{"hello", "the quick brown fox"}
	encs, err := tok.EncodeBatch(texts, EncodeOptions{Padding: PadLongest})
	if err != nil {
		t.Fatal(err)
	}
	pad := tok.PadID
	want := [][]int{
		{tok.ClsID, tokID(t, tok, "hello"), tok.SepID, pad, pad, pad},
		{tok.ClsID, tokID(t, tok, "the"), tokID(t, tok, "quick"), tokID(t, tok, "brown"), tokID(t, tok, "fox"), tok.SepID},
	}
	for i, e := range encs {
		if !reflect.DeepEqual(e.IDs, want[i]) {
			t.Errorf("row %d: ids %v, want %v", i, e.IDs, want[i])
		}
	}
	if !reflect.DeepEqual(encs[0].AttentionMask, []int{1, 1, 1, 0, 0, 0}) {
		t.Errorf("attention mask %v", encs[0].AttentionMask)
	}
	if !reflect.DeepEqual(encs[0].Offsets[3:], []Span{{}, {}, {}}) || len(encs[0].ByteOffsets) != 6 {
		t.Errorf("padding offsets %v / %v", encs[0].Offsets, encs[0].ByteOffsets)
	}

	pairs, err := tok.EncodePairBatch([]string{"hello", "good dog"}, []string{"it ran", "yes"},
		EncodeOptions{Padding: PadMaxLength, MaxLength: 8})
	if err != nil {
		t.Fatal(err)
	}
	wantTypes := [][]int{{0, 0, 0, 1, 1, 1, 0, 0}, {0, 0, 0, 0, 1, 1, 0, 0}}
	wantMask := [][]int{{1, 1, 1, 1, 1, 1, 0, 0}, {1, 1, 1, 1, 1, 1, 0, 0}}
	for i, e := range pairs {
		if e.Len() != 8 || !reflect.DeepEqual(e.TypeIDs, wantTypes[i]) || !reflect.DeepEqual(e.AttentionMask, wantMask[i]) {
			t.Errorf("pair row %d: tokens %q types %v mask %v", i, e.Tokens, e.TypeIDs, e.AttentionMask)
		}
	}
	bare := mustEncode(t, tok, "hello", "it ran", EncodeOptions{NoSpecialTokens: true})
	if !reflect.DeepEqual(bare.Tokens, []string{"hello", "it", "ran"}) || !reflect.DeepEqual(bare.TypeIDs, []int{0, 0, 0}) ||
		!reflect.DeepEqual(bare.SequenceIDs, []int{0, 1, 1}) {
		t.Errorf("pair without special tokens: tokens %q types %v sequences %v", bare.Tokens, bare.TypeIDs, bare.SequenceIDs)
	}
	if _, err := tok.EncodePairBatch([]string{"a"}, nil, EncodeOptions{}); err == nil {
		t.Error("EncodePairBatch with 1 text and 0 pairs should fail")
	}
	// Padding to MaxLength together with truncation: every row is exactly 4.
	encs, err = tok.EncodeBatch(texts, EncodeOptions{Padding: PadMaxLength, Truncation: TruncateLongestFirst, MaxLength: 4})
	if err != nil {
		t.Fatal(err)
	}
	for i, e := range encs {
		if e.Len() != 4 {
			t.Errorf("row %d has %d positions, want 4", i, e.Len())
		}
	}
}

// tokID is the id of a vocabulary token, failing the test when absent.
func tokID(t *testing.T, tok *BertTokenizer, s string) int {
	t.Helper()
	id, ok := tok.Vocab.ID(s)
	if !ok {
		t.Fatalf("%q not in vocab", s)
	}
	return id
}

func TestDecode(t *testing.T) {
	tok := testTokenizer(t)
	cases := []struct {
		text, full, skip string
	}{
		{"Hello, world!", "[CLS] hello, world! [SEP]", "hello, world!"},
		{"Quickly don't stop; it's the dog's ball?", "[CLS] quickly don't stop ; it's the dog's ball? [SEP]", "quickly don't stop ; it's the dog's ball?"},
		{"the [MASK] is 😀", "[CLS] the [MASK] is [UNK] [SEP]", "the is"},
	}
	for _, c := range cases {
		e := mustEncode(t, tok, c.text, "", EncodeOptions{})
		if got := tok.Decode(e.IDs, false); got != c.full {
			t.Errorf("Decode(%q) = %q, want %q", c.text, got, c.full)
		}
		if got := tok.Decode(e.IDs, true); got != c.skip {
			t.Errorf("Decode(%q, skip special) = %q, want %q", c.text, got, c.skip)
		}
	}
	tok.CleanUpTokenizationSpaces = false
	e := mustEncode(t, tok, "Hello, world!", "", EncodeOptions{})
	if got := tok.Decode(e.IDs, true); got != "hello , world !" {
		t.Errorf("without clean-up: %q", got)
	}
	if got := tok.Decode([]int{-1, 100000}, false); got != "[UNK] [UNK]" {
		t.Errorf("out-of-range ids: %q", got)
	}
}

func TestLargeBatchMatchesSingleEncodes(t *testing.T) {
	tok := testTokenizer(t)
	texts := trainerText(300) // large enough to be encoded in parallel
	texts[123] = "Café 我们 [MASK] İs quickly"
	encs, err := tok.EncodeBatch(texts, EncodeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for i, text := range texts {
		if one := mustEncode(t, tok, text, "", EncodeOptions{}); !reflect.DeepEqual(one, encs[i]) {
			t.Fatalf("text %d: batch and single encodings differ", i)
		}
	}
	texts[200] = ""
	_, err = tok.EncodePairBatch(texts, texts, EncodeOptions{MaxLength: 4, Truncation: TruncateOnlySecond})
	if err == nil || !strings.Contains(err.Error(), "encode text 0:") {
		t.Errorf("the first failing text should be named, got %v", err)
	}
}

func TestEncodingShowsAsTable(t *testing.T) {
	tok := testTokenizer(t)
	e := mustEncode(t, tok, "Hello!", "", EncodeOptions{Padding: PadMaxLength, MaxLength: 5})
	tab := e.Table()
	if len(tab.Rows) != 5 || !reflect.DeepEqual(tab.Rows[1], []any{1, "hello", tokID(t, tok, "hello"), 0, 1, 0, "0:5"}) ||
		!reflect.DeepEqual(tab.Rows[4], []any{4, "[PAD]", tok.PadID, 0, 0, "", ""}) {
		t.Errorf("table rows %v", tab.Rows)
	}
	b := e.MIMEBundle()
	if html, _ := b.Data["text/html"].(string); !strings.Contains(html, "<td>hello</td>") {
		t.Errorf("html %q", html)
	}
	if e.String() != "[[CLS] hello ! [SEP] [PAD]]" {
		t.Errorf("String() = %q", e.String())
	}
}

func TestTokenizerLowercasesCharacterByCharacter(t *testing.T) {
	v, err := NewVocab([]string{"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "οδοσ", "οδος", "is"})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := NewBertTokenizer(v, true)
	if err != nil {
		t.Fatal(err)
	}
	// HF: re.sub lowercases one character at a time, so no final sigma.
	if got := tok.Tokenize("ΟΔΟΣ İS"); !reflect.DeepEqual(got, []string{"οδοσ", "is"}) {
		t.Errorf("got %q, want [οδοσ is]", got)
	}
	// The basic tokenizer alone is HF's BasicTokenizer: str.lower per word.
	if got := tok.Basic.Tokenize("ΟΔΟΣ"); !reflect.DeepEqual(got, []string{"οδος"}) {
		t.Errorf("basic: got %q, want [οδος]", got)
	}
}

func TestTokenizerWithoutBasicTokenization(t *testing.T) {
	tok := testTokenizer(t)
	tok.DoBasicTokenize = false
	// Only Python whitespace splits (\x1c is whitespace to Python), special
	// tokens are still split out, nothing is lowercased or cleaned.
	got := tok.Tokenize("hello\tworld\x1cthe[MASK]dog Hello, quickly")
	want := []string{"hello", "world", "the", "[MASK]", "dog", "[UNK]", "quick", "##ly"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestOffsetsPointAtTheirSource(t *testing.T) {
	tok := testTokenizer(t)
	// For ASCII text, lowercasing the source span gives the token back.
	seed := uint32(3)
	alphabet := []byte("abcdefghijklmnopqrstuvwxyzABCDEFGHIJ ,.!?'-\t\n")
	for n := 0; n < 500; n++ {
		var b strings.Builder
		for i := 0; i < 40; i++ {
			seed = seed*1664525 + 1013904223
			b.WriteByte(alphabet[int(seed>>8)%len(alphabet)])
		}
		text := b.String()
		e := mustEncode(t, tok, text, "", EncodeOptions{})
		for i, tokText := range e.Tokens {
			if e.SequenceIDs[i] < 0 || tokText == "[UNK]" {
				continue
			}
			o, bo := e.Offsets[i], e.ByteOffsets[i]
			if o != bo {
				t.Fatalf("%q: ASCII rune and byte offsets differ: %v vs %v", text, o, bo)
			}
			if src := strings.ToLower(text[o.Start:o.End]); src != strings.TrimPrefix(tokText, "##") {
				t.Fatalf("%q: token %q has source %q at %v", text, tokText, src, o)
			}
		}
	}
	// Non-ASCII: byte offsets slice out the characters the rune offsets count.
	text := "Ünïcödé 我们 İstanbul cafe\u0301s"
	e := mustEncode(t, tok, text, "", EncodeOptions{})
	runes := []rune(text)
	for i := range e.Tokens {
		o, bo := e.Offsets[i], e.ByteOffsets[i]
		if text[bo.Start:bo.End] != string(runes[o.Start:o.End]) {
			t.Errorf("token %q: bytes %q, runes %q", e.Tokens[i], text[bo.Start:bo.End], string(runes[o.Start:o.End]))
		}
	}
}

func TestTokenStats(t *testing.T) {
	tok := testTokenizer(t)
	s, err := tok.Stats([]string{"Quickly, the dog!", "hi😀 [MASK]"})
	if err != nil {
		t.Fatal(err)
	}
	// quick ##ly , the dog ! | [UNK] [MASK]: 8 tokens, 7 words, 1 split
	if s.Texts != 2 || s.Tokens != 8 || s.Words != 7 || s.SplitWords != 1 || s.Unknown != 1 {
		t.Errorf("stats %+v", s)
	}
	if s.Counts[tokID(t, tok, "quick")] != 1 || s.Counts[tok.MaskID] != 1 || s.Counts[tok.UnkID] != 1 {
		t.Error("per-token counts are wrong")
	}
	if s.UnknownRate() != 1.0/8 || s.TokensPerWord() != 8.0/7 || s.SplitRate() != 1.0/7 {
		t.Errorf("rates %v %v %v", s.UnknownRate(), s.TokensPerWord(), s.SplitRate())
	}
	if c := s.Coverage(); c != 8.0/float64(tok.Vocab.Size()) {
		t.Errorf("coverage %v", c)
	}
	if rows := s.Table().Rows; len(rows) != 7 {
		t.Errorf("table %v", rows)
	}
}
