package safetensors

import (
	"encoding/binary"
	"math"
)

// This file converts stored little-endian elements to the two Go types callers
// ask for: float32 for weights and activations, int64 for token ids and labels.

// Float16ToFloat32 converts an IEEE 754 half-precision value (1 sign bit,
// 5 exponent bits, 10 mantissa bits) to float32 exactly: every half value,
// including subnormals, infinities and NaN, is representable in float32.
func Float16ToFloat32(h uint16) float32 {
	sign := uint32(h>>15) << 31
	exp := uint32(h>>10) & 0x1f
	mant := uint32(h) & 0x3ff
	switch {
	case exp == 0x1f: // infinity or NaN: keep the mantissa bits (payload)
		return math.Float32frombits(sign | 0xff<<23 | mant<<13)
	case exp == 0 && mant == 0: // signed zero
		return math.Float32frombits(sign)
	case exp == 0: // subnormal half: value = mant * 2^-24, normal in float32
		e := uint32(127 - 15 + 1)
		for mant&0x400 == 0 {
			mant <<= 1
			e--
		}
		mant &= 0x3ff
		return math.Float32frombits(sign | e<<23 | mant<<13)
	default: // normal: rebias the exponent from 15 to 127
		return math.Float32frombits(sign | (exp+127-15)<<23 | mant<<13)
	}
}

// BFloat16ToFloat32 converts a bfloat16 value to float32 exactly: bfloat16 is
// the upper 16 bits of a float32.
func BFloat16ToFloat32(b uint16) float32 {
	return math.Float32frombits(uint32(b) << 16)
}

// decodeFloat32 converts the raw bytes of n elements of dtype d into dst.
// It reports false if d is not a dtype it can convert to float32.
func decodeFloat32(d DType, raw []byte, dst []float32) bool {
	le := binary.LittleEndian
	switch d {
	case F32:
		for i := range dst {
			dst[i] = math.Float32frombits(le.Uint32(raw[4*i:]))
		}
	case F64:
		for i := range dst {
			dst[i] = float32(math.Float64frombits(le.Uint64(raw[8*i:])))
		}
	case F16:
		for i := range dst {
			dst[i] = Float16ToFloat32(le.Uint16(raw[2*i:]))
		}
	case BF16:
		for i := range dst {
			dst[i] = BFloat16ToFloat32(le.Uint16(raw[2*i:]))
		}
	default:
		return false
	}
	return true
}

// decodeInt64 converts the raw bytes of n elements of integer dtype d into dst.
// It reports the index of the first U64 value too large for int64 (or -1), and
// false if d is not an integer dtype.
func decodeInt64(d DType, raw []byte, dst []int64) (overflowAt int, ok bool) {
	le := binary.LittleEndian
	switch d {
	case I64:
		for i := range dst {
			dst[i] = int64(le.Uint64(raw[8*i:]))
		}
	case I32:
		for i := range dst {
			dst[i] = int64(int32(le.Uint32(raw[4*i:])))
		}
	case I16:
		for i := range dst {
			dst[i] = int64(int16(le.Uint16(raw[2*i:])))
		}
	case I8:
		for i := range dst {
			dst[i] = int64(int8(raw[i]))
		}
	case U64:
		for i := range dst {
			v := le.Uint64(raw[8*i:])
			if v > math.MaxInt64 {
				return i, true
			}
			dst[i] = int64(v)
		}
	case U32:
		for i := range dst {
			dst[i] = int64(le.Uint32(raw[4*i:]))
		}
	case U16:
		for i := range dst {
			dst[i] = int64(le.Uint16(raw[2*i:]))
		}
	case U8, Bool:
		for i := range dst {
			dst[i] = int64(raw[i])
		}
	default:
		return -1, false
	}
	return -1, true
}
