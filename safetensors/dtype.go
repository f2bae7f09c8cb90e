package safetensors

import "fmt"

// DType is the element type of a stored tensor, spelled as in the file header
// ("F32", "BF16", "I64", ...).
type DType string

// The dtypes of the safetensors format. Float32 can convert every float dtype
// except the 8-bit ones; Int64 converts every integer dtype and BOOL.
const (
	F64    DType = "F64"
	F32    DType = "F32"
	F16    DType = "F16"
	BF16   DType = "BF16"
	F8E4M3 DType = "F8_E4M3"
	F8E5M2 DType = "F8_E5M2"
	I64    DType = "I64"
	I32    DType = "I32"
	I16    DType = "I16"
	I8     DType = "I8"
	U64    DType = "U64"
	U32    DType = "U32"
	U16    DType = "U16"
	U8     DType = "U8"
	Bool   DType = "BOOL"
)

// dtypeSizes is the size in bytes of one element of each known dtype. A header
// naming any other dtype is rejected, because its byte counts cannot be checked.
var dtypeSizes = map[DType]int{
	F64: 8, F32: 4, F16: 2, BF16: 2, F8E4M3: 1, F8E5M2: 1,
	I64: 8, I32: 4, I16: 2, I8: 1,
	U64: 8, U32: 4, U16: 2, U8: 1, Bool: 1,
}

// Size returns the number of bytes of one element of d, or 0 if d is unknown.
func (d DType) Size() int { return dtypeSizes[d] }

// IsFloat reports whether d is a floating-point dtype.
func (d DType) IsFloat() bool {
	switch d {
	case F64, F32, F16, BF16, F8E4M3, F8E5M2:
		return true
	}
	return false
}

// TensorInfo describes one tensor of a file: its dtype, its shape (empty for a
// scalar, which holds one element) and where its bytes lie in the data section.
type TensorInfo struct {
	Name  string
	DType DType
	Shape []int
	// Begin and End are byte offsets relative to the start of the data section.
	Begin, End int64
}

// NumElements returns the product of the shape (1 for a scalar).
func (t TensorInfo) NumElements() int {
	n := 1
	for _, d := range t.Shape {
		n *= d
	}
	return n
}

// String shows the info the way a student would want to read it: name, dtype, shape.
func (t TensorInfo) String() string {
	return fmt.Sprintf("%s %s %v", t.Name, t.DType, t.Shape)
}
