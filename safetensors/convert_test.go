package safetensors

import (
	"encoding/binary"
	"math"
	"testing"
)

// TestFloat16Values checks well-known half-precision bit patterns.
func TestFloat16Values(t *testing.T) {
	cases := []struct {
		bits uint16
		want float64
	}{
		{0x0000, 0}, {0x3c00, 1}, {0xc000, -2}, {0x3555, 0.333251953125},
		{0x7bff, 65504}, {0x0400, math.Ldexp(1, -14)}, {0x0001, math.Ldexp(1, -24)},
		{0x03ff, 1023 * math.Ldexp(1, -24)}, {0x8001, -math.Ldexp(1, -24)},
		{0x7c00, math.Inf(1)}, {0xfc00, math.Inf(-1)}, {0x3800, 0.5}, {0x4248, 3.140625},
	}
	for _, c := range cases {
		if got := Float16ToFloat32(c.bits); float64(got) != c.want {
			t.Errorf("Float16ToFloat32(%#04x) = %v, want %v", c.bits, got, c.want)
		}
	}
	if got := Float16ToFloat32(0x8000); got != 0 || !math.Signbit(float64(got)) {
		t.Errorf("0x8000 should be -0, got %v", got)
	}
	if got := Float16ToFloat32(0x7e00); !math.IsNaN(float64(got)) {
		t.Errorf("0x7e00 should be NaN, got %v", got)
	}
}

// TestFloat16Exhaustive compares every one of the 65536 half values with the
// definition (-1)^s · 2^(e-15) · (1 + m/1024), computed in float64.
func TestFloat16Exhaustive(t *testing.T) {
	for h := 0; h < 1<<16; h++ {
		s := 1.0
		if h&0x8000 != 0 {
			s = -1
		}
		e := (h >> 10) & 0x1f
		m := float64(h & 0x3ff)
		var want float64
		switch {
		case e == 0x1f && m == 0:
			want = s * math.Inf(1)
		case e == 0x1f:
			want = math.NaN()
		case e == 0:
			want = s * math.Ldexp(m/1024, -14)
		default:
			want = s * math.Ldexp(1+m/1024, e-15)
		}
		got := float64(Float16ToFloat32(uint16(h)))
		if math.IsNaN(want) {
			if !math.IsNaN(got) {
				t.Fatalf("%#04x: got %v, want NaN", h, got)
			}
			continue
		}
		if got != want || math.Signbit(got) != math.Signbit(want) {
			t.Fatalf("%#04x: got %v, want %v", h, got, want)
		}
	}
}

// TestBFloat16Values checks bfloat16 bit patterns.
func TestBFloat16Values(t *testing.T) {
	cases := []struct {
		bits uint16
		want float64
	}{
		{0x3f80, 1}, {0xc000, -2}, {0x4049, 3.140625}, {0x3eab, 0.333984375},
		{0x7f80, math.Inf(1)}, {0x0001, math.Ldexp(1, -133)}, {0x7f7f, 3.3895313892515355e38},
	}
	for _, c := range cases {
		if got := BFloat16ToFloat32(c.bits); float64(got) != c.want {
			t.Errorf("BFloat16ToFloat32(%#04x) = %v, want %v", c.bits, got, c.want)
		}
	}
}

// TestReadConvertedDtypes writes F16, BF16, F64, I32, I16, U8 and BOOL tensors
// as raw bytes and reads them back through Float32 / Int64.
func TestReadConvertedDtypes(t *testing.T) {
	le := binary.LittleEndian
	u16s := func(v ...uint16) []byte {
		b := make([]byte, 2*len(v))
		for i, x := range v {
			le.PutUint16(b[2*i:], x)
		}
		return b
	}
	i32 := make([]byte, 12)
	for i, x := range []int32{-7, 0, math.MaxInt32} {
		le.PutUint32(i32[4*i:], uint32(x))
	}
	f64 := make([]byte, 16)
	le.PutUint64(f64, math.Float64bits(0.1))
	le.PutUint64(f64[8:], math.Float64bits(-1e300))
	u64 := make([]byte, 8)
	le.PutUint64(u64, math.MaxUint64)
	buf, err := Marshal([]Entry{
		RawEntry("h", F16, []int{3}, u16s(0x3c00, 0xc000, 0x3555)),
		RawEntry("bf", BF16, []int{2}, u16s(0x3f80, 0x4049)),
		RawEntry("d", F64, []int{2}, f64),
		RawEntry("i32", I32, []int{3}, i32),
		RawEntry("i16", I16, []int{1}, u16s(0xffff)),
		RawEntry("u8", U8, []int{2}, []byte{255, 1}),
		RawEntry("mask", Bool, []int{2}, []byte{1, 0}),
		RawEntry("big", U64, []int{1}, u64),
		RawEntry("f8", F8E4M3, []int{1}, []byte{0x38}),
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	f, err := Parse(buf)
	if err != nil {
		t.Fatal(err)
	}
	checkF := func(name string, want ...float32) {
		got, _, err := f.Float32(name)
		if err != nil {
			t.Fatal(err)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("%s[%d] = %v, want %v", name, i, got[i], want[i])
			}
		}
	}
	checkI := func(name string, want ...int64) {
		got, _, err := f.Int64(name)
		if err != nil {
			t.Fatal(err)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("%s[%d] = %v, want %v", name, i, got[i], want[i])
			}
		}
	}
	checkF("h", 1, -2, 0.333251953125)
	checkF("bf", 1, 3.140625)
	checkF("d", 0.1, float32(math.Inf(-1)))
	checkI("i32", -7, 0, math.MaxInt32)
	checkI("i16", -1)
	checkI("u8", 255, 1)
	checkI("mask", 1, 0)
	if _, _, err := f.Int64("big"); err == nil {
		t.Error("U64 max should not fit in int64")
	}
	if _, _, err := f.Float32("f8"); err == nil {
		t.Error("F8_E4M3 conversion is not supported and should say so")
	}
	if _, _, err := f.Float32("i32"); err == nil {
		t.Error("reading I32 as float32 should fail")
	}
}
