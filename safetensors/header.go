package safetensors

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"
	"unicode/utf8"
)

// MaxHeaderSize is the largest JSON header accepted (100 MB), the same cap as
// the reference implementation: a corrupt length prefix must not make us
// allocate gigabytes.
const MaxHeaderSize = 100 << 20

// metadataKey is the reserved header key holding free-form string metadata.
const metadataKey = "__metadata__"

// header is the parsed and validated JSON header of a file.
type header struct {
	metadata map[string]string
	tensors  map[string]TensorInfo
}

// headerEntry is one tensor's header object as it appears in the JSON. Fields are
// raw so that a missing field can be told apart from a zero value.
type headerEntry struct {
	DType       *string  `json:"dtype"`
	Shape       *[]int64 `json:"shape"`
	DataOffsets *[]int64 `json:"data_offsets"`
}

// splitFile checks the length prefix of a whole file held in buf and returns the
// JSON header bytes and the data section.
func splitFile(src string, buf []byte) (hdr, data []byte, err error) {
	if len(buf) < 8 {
		return nil, nil, fmt.Errorf("safetensors: %s: file is %d bytes, too short for the 8-byte header length", src, len(buf))
	}
	n := binary.LittleEndian.Uint64(buf[:8])
	if n > MaxHeaderSize {
		return nil, nil, fmt.Errorf("safetensors: %s: header length %d exceeds the %d-byte cap (corrupt file or not safetensors)", src, n, MaxHeaderSize)
	}
	if n > uint64(len(buf)-8) {
		return nil, nil, fmt.Errorf("safetensors: %s: header length %d but only %d bytes follow the length prefix (truncated file?)", src, n, len(buf)-8)
	}
	return buf[8 : 8+n], buf[8+n:], nil
}

// parseHeader decodes and validates the JSON header against a data section of
// dataLen bytes. src names the file in error messages.
func parseHeader(src string, hdr []byte, dataLen int64) (*header, error) {
	fail := func(format string, args ...any) error {
		return fmt.Errorf("safetensors: %s: "+format, append([]any{src}, args...)...)
	}
	if !utf8.Valid(hdr) {
		return nil, fail("header is not valid UTF-8")
	}
	if len(hdr) == 0 || hdr[0] != '{' {
		return nil, fail("header does not start with '{' (not a safetensors file?)")
	}
	h := &header{tensors: map[string]TensorInfo{}}
	dec := json.NewDecoder(bytes.NewReader(hdr))
	dec.UseNumber()
	if _, err := dec.Token(); err != nil { // the opening '{'
		return nil, fail("header JSON: %v", err)
	}
	seenMetadata := false
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, fail("header JSON: %v", err)
		}
		name, ok := tok.(string)
		if !ok {
			return nil, fail("header JSON: expected a tensor name, got %v", tok)
		}
		if name == metadataKey {
			if seenMetadata {
				return nil, fail("%q appears twice in the header", metadataKey)
			}
			seenMetadata = true
			var raw map[string]json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				return nil, fail("%q must be an object of strings: %v", metadataKey, err)
			}
			h.metadata = make(map[string]string, len(raw))
			for k, v := range raw {
				var s string
				if err := json.Unmarshal(v, &s); err != nil {
					return nil, fail("%q: value of key %q is %s, want a string", metadataKey, k, v)
				}
				h.metadata[k] = s
			}
			continue
		}
		if _, dup := h.tensors[name]; dup {
			return nil, fail("tensor %q appears twice in the header", name)
		}
		var e headerEntry
		if err := dec.Decode(&e); err != nil {
			return nil, fail("tensor %q: bad header entry: %v", name, err)
		}
		info, err := e.validate(name)
		if err != nil {
			return nil, fail("%v", err)
		}
		h.tensors[name] = info
	}
	if _, err := dec.Token(); err != nil { // the closing '}'
		return nil, fail("header JSON: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fail("header JSON: unexpected content after the closing '}'")
	}
	if err := checkLayout(h.tensors, dataLen); err != nil {
		return nil, fail("%v", err)
	}
	return h, nil
}

// validate checks one header entry on its own: known dtype, non-negative shape,
// ordered offsets, and a byte count equal to elements × dtype size.
func (e headerEntry) validate(name string) (TensorInfo, error) {
	info := TensorInfo{Name: name}
	if e.DType == nil || e.Shape == nil || e.DataOffsets == nil {
		return info, fmt.Errorf("tensor %q: header entry needs dtype, shape and data_offsets", name)
	}
	info.DType = DType(*e.DType)
	size := info.DType.Size()
	if size == 0 {
		return info, fmt.Errorf("tensor %q: unknown dtype %q", name, *e.DType)
	}
	elems := int64(1)
	info.Shape = make([]int, len(*e.Shape))
	for i, d := range *e.Shape {
		if d < 0 {
			return info, fmt.Errorf("tensor %q: shape %v has a negative dimension", name, *e.Shape)
		}
		if d > 0 && elems > math.MaxInt64/8/d {
			return info, fmt.Errorf("tensor %q: shape %v is impossibly large", name, *e.Shape)
		}
		elems *= d
		info.Shape[i] = int(d)
	}
	offs := *e.DataOffsets
	if len(offs) != 2 {
		return info, fmt.Errorf("tensor %q: data_offsets %v must be [begin, end]", name, offs)
	}
	info.Begin, info.End = offs[0], offs[1]
	if info.Begin < 0 || info.End < info.Begin {
		return info, fmt.Errorf("tensor %q: data_offsets %v are not 0 <= begin <= end", name, offs)
	}
	if want := elems * int64(size); info.End-info.Begin != want {
		return info, fmt.Errorf("tensor %q: dtype %s shape %v needs %d bytes but data_offsets %v span %d",
			name, info.DType, info.Shape, want, offs, info.End-info.Begin)
	}
	return info, nil
}

// checkLayout checks that the tensors tile the data section [0, dataLen) exactly,
// as the format requires: sorted by offset, each starts where the previous ended.
func checkLayout(tensors map[string]TensorInfo, dataLen int64) error {
	infos := make([]TensorInfo, 0, len(tensors))
	for _, t := range tensors {
		infos = append(infos, t)
	}
	sort.Slice(infos, func(i, j int) bool {
		if infos[i].Begin != infos[j].Begin {
			return infos[i].Begin < infos[j].Begin
		}
		if infos[i].End != infos[j].End {
			return infos[i].End < infos[j].End
		}
		return infos[i].Name < infos[j].Name
	})
	var pos int64
	prev := ""
	for _, t := range infos {
		if t.End > dataLen {
			return fmt.Errorf("tensor %q: data_offsets [%d, %d] run past the end of the %d-byte data section (truncated file?)",
				t.Name, t.Begin, t.End, dataLen)
		}
		switch {
		case t.Begin < pos:
			return fmt.Errorf("tensor %q: data_offsets [%d, %d] overlap tensor %q, which ends at %d", t.Name, t.Begin, t.End, prev, pos)
		case t.Begin > pos && prev == "":
			return fmt.Errorf("tensor %q: data_offsets [%d, %d] leave a gap of %d bytes at the start of the data section", t.Name, t.Begin, t.End, t.Begin)
		case t.Begin > pos:
			return fmt.Errorf("tensor %q: data_offsets [%d, %d] leave a gap of %d bytes after tensor %q, which ends at %d", t.Name, t.Begin, t.End, t.Begin-pos, prev, pos)
		}
		pos = t.End
		prev = t.Name
	}
	if pos != dataLen {
		return fmt.Errorf("data section is %d bytes but the tensors cover only %d (trailing bytes)", dataLen, pos)
	}
	return nil
}
