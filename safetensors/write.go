package safetensors

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"unicode/utf8"

	"github.com/turinglab/turinglab/internal/atomicfile"

	"github.com/turinglab/turinglab/internal/jsonstr"
)

// Entry is one tensor to write: its name, dtype, shape and raw little-endian
// bytes. Build entries with F32Entry and I64Entry (or RawEntry to copy a tensor of
// any dtype unchanged from another file).
type Entry struct {
	Name  string
	DType DType
	Shape []int
	Data  []byte
}

// F32Entry encodes float32 values of the given shape as an F32 tensor.
func F32Entry(name string, shape []int, values []float32) Entry {
	data := make([]byte, 4*len(values))
	for i, v := range values {
		binary.LittleEndian.PutUint32(data[4*i:], math.Float32bits(v))
	}
	return Entry{Name: name, DType: F32, Shape: append([]int{}, shape...), Data: data}
}

// I64Entry encodes int64 values (token ids, labels) of the given shape as an I64 tensor.
func I64Entry(name string, shape []int, values []int64) Entry {
	data := make([]byte, 8*len(values))
	for i, v := range values {
		binary.LittleEndian.PutUint64(data[8*i:], uint64(v))
	}
	return Entry{Name: name, DType: I64, Shape: append([]int{}, shape...), Data: data}
}

// RawEntry wraps already-encoded bytes of any known dtype.
func RawEntry(name string, dtype DType, shape []int, data []byte) Entry {
	return Entry{Name: name, DType: dtype, Shape: append([]int{}, shape...), Data: data}
}

// Marshal encodes entries and metadata as a complete safetensors file.
func Marshal(entries []Entry, metadata map[string]string) ([]byte, error) {
	var buf bytes.Buffer
	if err := Encode(&buf, entries, metadata); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Encode writes entries and metadata to w as a safetensors file: tensors in
// sorted-name order, compact JSON header with "__metadata__" last (omitted when
// empty), padded with spaces to a multiple of 8 bytes.
func Encode(w io.Writer, entries []Entry, metadata map[string]string) error {
	sorted, err := checkEntries(entries)
	if err != nil {
		return err
	}
	hdr := encodeHeader(sorted, metadata)
	var prefix [8]byte
	binary.LittleEndian.PutUint64(prefix[:], uint64(len(hdr)))
	bw := bufio.NewWriter(w)
	bw.Write(prefix[:])
	bw.Write(hdr)
	for _, e := range sorted {
		bw.Write(e.Data)
	}
	return bw.Flush()
}

// Save writes entries and metadata to path atomically (see package
// internal/atomicfile): the file is streamed into a temporary file in the same
// directory, synced, made mode 0644 and renamed over path, so readers see
// either the old file or the complete new one.
func Save(path string, entries []Entry, metadata map[string]string) error {
	if _, err := checkEntries(entries); err != nil {
		return fmt.Errorf("%w (writing %s)", err, path)
	}
	if err := atomicfile.Write(path, func(w io.Writer) error { return Encode(w, entries, metadata) }); err != nil {
		return fmt.Errorf("safetensors: %w", err)
	}
	return nil
}

// checkEntries validates entries (unique non-empty names, known dtypes, byte counts
// matching shapes) and returns them sorted by name.
func checkEntries(entries []Entry) ([]Entry, error) {
	sorted := append([]Entry(nil), entries...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Name < sorted[j].Name })
	for i, e := range sorted {
		if e.Name == "" || e.Name == metadataKey || !utf8.ValidString(e.Name) {
			return nil, fmt.Errorf("safetensors: invalid tensor name %q", e.Name)
		}
		if i > 0 && sorted[i-1].Name == e.Name {
			return nil, fmt.Errorf("safetensors: tensor %q given twice", e.Name)
		}
		size := e.DType.Size()
		if size == 0 {
			return nil, fmt.Errorf("safetensors: tensor %q: unknown dtype %q", e.Name, e.DType)
		}
		n := 1
		for _, d := range e.Shape {
			if d < 0 {
				return nil, fmt.Errorf("safetensors: tensor %q: shape %v has a negative dimension", e.Name, e.Shape)
			}
			n *= d
		}
		if len(e.Data) != n*size {
			return nil, fmt.Errorf("safetensors: tensor %q: dtype %s shape %v needs %d bytes, got %d",
				e.Name, e.DType, e.Shape, n*size, len(e.Data))
		}
	}
	return sorted, nil
}

// encodeHeader builds the padded JSON header for name-sorted entries.
func encodeHeader(sorted []Entry, metadata map[string]string) []byte {
	var b bytes.Buffer
	b.WriteByte('{')
	var off int64
	for i, e := range sorted {
		if i > 0 {
			b.WriteByte(',')
		}
		jsonstr.Write(&b, e.Name)
		b.WriteString(`:{"dtype":`)
		jsonstr.Write(&b, string(e.DType))
		b.WriteString(`,"shape":[`)
		for j, d := range e.Shape {
			if j > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strconv.Itoa(d))
		}
		end := off + int64(len(e.Data))
		fmt.Fprintf(&b, `],"data_offsets":[%d,%d]}`, off, end)
		off = end
	}
	if len(metadata) > 0 {
		if len(sorted) > 0 {
			b.WriteByte(',')
		}
		jsonstr.Write(&b, metadataKey)
		b.WriteString(":{")
		keys := make([]string, 0, len(metadata))
		for k := range metadata {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for i, k := range keys {
			if i > 0 {
				b.WriteByte(',')
			}
			jsonstr.Write(&b, k)
			b.WriteByte(':')
			jsonstr.Write(&b, metadata[k])
		}
		b.WriteByte('}')
	}
	b.WriteByte('}')
	for b.Len()%8 != 0 {
		b.WriteByte(' ')
	}
	return b.Bytes()
}
