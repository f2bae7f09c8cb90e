package nn

import (
	"fmt"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/safetensors"
)

// SaveSafetensors writes the model's state dict to path as a safetensors file
// (F32, sorted names, atomic), the model.safetensors format HF loads. metadata
// is stored in the header; "format": "pt" is added unless given, since
// transformers expects it. A tensor listed under several names (tied weights) is
// written once, under its first name, as HF's save_pretrained does.
func SaveSafetensors(m Module, path string, metadata map[string]string) error {
	return SaveStateDict(StateDict(m), path, metadata)
}

// SaveStateDict writes named tensors to path as a safetensors file (see SaveSafetensors).
func SaveStateDict(sd []NamedParameter, path string, metadata map[string]string) error {
	meta := map[string]string{"format": "pt"}
	for k, v := range metadata {
		meta[k] = v
	}
	seen := map[*autograd.Tensor]bool{}
	var entries []safetensors.Entry
	for _, p := range sd {
		if p.Tensor == nil {
			return fmt.Errorf("nn.SaveStateDict: tensor %q is nil (writing %s)", p.Name, path)
		}
		if seen[p.Tensor] {
			continue
		}
		seen[p.Tensor] = true
		entries = append(entries, safetensors.F32Entry(p.Name, p.Tensor.Shape(), p.Tensor.Data()))
	}
	return safetensors.Save(path, entries, meta)
}

// fileSource is a safetensors file as a stateSource.
type fileSource struct{ f *safetensors.File }

func (s fileSource) describe() string { return s.f.Source() }
func (s fileSource) names() []string  { return s.f.Names() }
func (s fileSource) shape(name string) []int {
	info, _ := s.f.Info(name)
	return info.Shape
}
func (s fileSource) check(name string) error {
	info, _ := s.f.Info(name)
	switch info.DType {
	case safetensors.F32, safetensors.F64, safetensors.F16, safetensors.BF16,
		safetensors.I64, safetensors.I32, safetensors.I16, safetensors.I8,
		safetensors.U32, safetensors.U16, safetensors.U8, safetensors.Bool:
		return nil
	}
	return fmt.Errorf("%s: tensor %q has dtype %s, which cannot be loaded as float32", s.f.Source(), name, info.DType)
}
func (s fileSource) values(name string) ([]float32, error) {
	return readFloat32(s.f, name)
}

// readFloat32 reads any float or integer tensor of f as float32.
func readFloat32(f *safetensors.File, name string) ([]float32, error) {
	info, _ := f.Info(name)
	if info.DType.IsFloat() {
		v, _, err := f.Float32(name)
		return v, err
	}
	ints, _, err := f.Int64(name)
	if err != nil {
		return nil, err
	}
	vals := make([]float32, len(ints))
	for i, v := range ints {
		vals[i] = float32(v)
	}
	return vals, nil
}

// LoadSafetensors loads the safetensors file at path into the module's
// parameters by name, with LoadStateDict's rules and opts (renaming, the
// base-model prefix, strictness; nothing is loaded on error). F16, BF16 and
// F64 tensors are converted to float32, integer tensors too.
func LoadSafetensors(m Module, path string, opts LoadOptions) (LoadReport, error) {
	f, err := safetensors.Open(path)
	if err != nil {
		return LoadReport{Source: path}, err
	}
	return LoadSafetensorsFrom(m, f, opts)
}

// LoadSafetensorsFrom loads an opened safetensors file into the module (see
// LoadSafetensors), e.g. the weights a checkpoint directory holds open.
func LoadSafetensorsFrom(m Module, f *safetensors.File, opts LoadOptions) (LoadReport, error) {
	return load("nn.LoadSafetensors", m, fileSource{f}, opts)
}

// ReadSafetensors reads every tensor of a safetensors file as a float32 tensor
// (integer tensors are converted too), for inspecting a checkpoint or renaming
// keys before LoadStateDict. It also returns the file's metadata.
func ReadSafetensors(path string) ([]NamedParameter, map[string]string, error) {
	f, err := safetensors.Open(path)
	if err != nil {
		return nil, nil, err
	}
	var out []NamedParameter
	for _, name := range f.Names() {
		info, _ := f.Info(name)
		vals, err := readFloat32(f, name)
		if err != nil {
			return nil, nil, err
		}
		out = append(out, NamedParameter{Name: name, Tensor: newTensor(vals, info.Shape)})
	}
	return out, f.Metadata, nil
}

// newTensor makes a tensor of any shape, including a scalar (shape []).
func newTensor(vals []float32, shape []int) *autograd.Tensor {
	if len(shape) == 0 {
		return autograd.Scalar(vals[0])
	}
	return autograd.New(vals, shape...)
}
