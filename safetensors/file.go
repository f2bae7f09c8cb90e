package safetensors

import (
	"fmt"
	"io"
	"os"
	"sort"
)

// File is a parsed safetensors file held in memory: its metadata, the
// description of every tensor and the raw data section. Values are decoded on
// request by Float32 and Int64.
type File struct {
	// Metadata is the header's "__metadata__" object (nil when absent).
	Metadata map[string]string

	source  string
	tensors map[string]TensorInfo
	names   []string
	data    []byte
}

// Open reads and validates the safetensors file at path.
func Open(path string) (*File, error) {
	buf, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("safetensors: %w", err)
	}
	return parse(path, buf)
}

// Read reads a whole safetensors stream from r and validates it.
func Read(r io.Reader) (*File, error) {
	buf, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("safetensors: reading: %w", err)
	}
	return parse("<reader>", buf)
}

// Parse validates a whole safetensors file held in buf. The File refers to buf's
// data section without copying it, so buf must not be modified afterwards.
func Parse(buf []byte) (*File, error) {
	return parse("<bytes>", buf)
}

// parse is Open, Read and Parse with src naming the input in error messages.
func parse(src string, buf []byte) (*File, error) {
	hdr, data, err := splitFile(src, buf)
	if err != nil {
		return nil, err
	}
	h, err := parseHeader(src, hdr, int64(len(data)))
	if err != nil {
		return nil, err
	}
	f := &File{Metadata: h.metadata, source: src, tensors: h.tensors, data: data}
	for name := range h.tensors {
		f.names = append(f.names, name)
	}
	sort.Strings(f.names)
	return f, nil
}

// Source returns where the file came from: its path for Open, "<reader>" or "<bytes>" otherwise.
func (f *File) Source() string { return f.source }

// Names returns the tensor names in sorted order.
func (f *File) Names() []string {
	return append([]string(nil), f.names...)
}

// Len returns the number of tensors in the file.
func (f *File) Len() int { return len(f.names) }

// Info returns the dtype, shape and offsets of the named tensor.
func (f *File) Info(name string) (TensorInfo, bool) {
	t, ok := f.tensors[name]
	if ok {
		t.Shape = append([]int{}, t.Shape...)
	}
	return t, ok
}

// Raw returns the stored little-endian bytes of the named tensor (not a copy).
func (f *File) Raw(name string) ([]byte, TensorInfo, error) {
	t, ok := f.tensors[name]
	if !ok {
		return nil, t, fmt.Errorf("safetensors: %s: no tensor named %q", f.source, name)
	}
	t.Shape = append([]int{}, t.Shape...)
	return f.data[t.Begin:t.End:t.End], t, nil
}

// Float32 returns the named tensor converted to float32 (from F32, F64, F16 or
// BF16) and its shape. An integer tensor is an error: ask Int64 for it.
func (f *File) Float32(name string) ([]float32, []int, error) {
	raw, t, err := f.Raw(name)
	if err != nil {
		return nil, nil, err
	}
	out := make([]float32, t.NumElements())
	if !decodeFloat32(t.DType, raw, out) {
		return nil, nil, fmt.Errorf("safetensors: %s: tensor %q has dtype %s, which cannot be read as float32", f.source, name, t.DType)
	}
	return out, t.Shape, nil
}

// Int64 returns the named tensor converted to int64 (from any integer dtype or
// BOOL) and its shape. A float tensor is an error: ask Float32 for it.
func (f *File) Int64(name string) ([]int64, []int, error) {
	raw, t, err := f.Raw(name)
	if err != nil {
		return nil, nil, err
	}
	out := make([]int64, t.NumElements())
	at, ok := decodeInt64(t.DType, raw, out)
	if !ok {
		return nil, nil, fmt.Errorf("safetensors: %s: tensor %q has dtype %s, which cannot be read as int64", f.source, name, t.DType)
	}
	if at >= 0 {
		return nil, nil, fmt.Errorf("safetensors: %s: tensor %q: U64 element %d does not fit in int64", f.source, name, at)
	}
	return out, t.Shape, nil
}

// String summarises the file: source, tensor count and metadata.
func (f *File) String() string {
	return fmt.Sprintf("safetensors.File(%s, %d tensors, metadata %v)", f.source, len(f.names), f.Metadata)
}
