package autograd

import (
	"math"
	"strings"
	"testing"

	"github.com/turinglab/turinglab/display"
)

// Printing matches torch's repr (strings copied from a PyTorch 1.13 session).
func TestStringLikeTorch(t *testing.T) {
	withGrad := New([]float32{1, 2, 3, 4}, 2, 2).SetRequiresGrad(true)
	nonLeaf := New([]float32{1, 2}).SetRequiresGrad(true).MulScalar(2)
	cases := []struct {
		got, want string
	}{
		{withGrad.String(), "tensor([[1., 2.],\n        [3., 4.]], requires_grad=True)"},
		{New([]float32{0.1, 2.5, -3.25}).String(), "tensor([ 0.1000,  2.5000, -3.2500])"},
		{New([]float32{1e-5, 1, 1000}).String(), "tensor([1.0000e-05, 1.0000e+00, 1.0000e+03])"},
		{Scalar(3).String(), "tensor(3.)"},
		{Arange(0, 2000, 1).String(), "tensor([0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 1.9970e+03, 1.9980e+03,\n        1.9990e+03])"},
		{nonLeaf.String(), "tensor([2., 4.], grad_fn=<MulScalarBackward>)"},
		{Zeros(2, 3, 2).String(), "tensor([[[0., 0.],\n         [0., 0.],\n         [0., 0.]],\n\n        [[0., 0.],\n         [0., 0.],\n         [0., 0.]]])"},
		{Zeros(0).String(), "tensor([])"},
		{New([]float32{1, float32(math.NaN())}).String(), "tensor([1., nan])"},
		{New([]float32{1, float32(math.Inf(1)), -2}).String(), "tensor([ 1., inf, -2.])"},
		{New([]float32{float32(math.Copysign(0, -1)), 1.5}).String(), "tensor([-0.0000, 1.5000])"},
		{New([]float32{123456789, 1}).String(), "tensor([1.2346e+08, 1.0000e+00])"},
		{New([]float32{1e10, 1.5}, 1, 2).String(), "tensor([[1.0000e+10, 1.5000e+00]])"},
		{New([]float32{0.00001234}, 1).String(), "tensor([1.2340e-05])"},
		{Zeros(2, 0).String(), "tensor([], size=(2, 0))"},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("got\n%s\nwant\n%s", c.got, c.want)
		}
	}
	big := Arange(0, 2000, 1).Reshape(40, 50).DivScalar(7).String()
	wantBig := `tensor([[0.0000e+00, 1.4286e-01, 2.8571e-01,  ..., 6.7143e+00, 6.8571e+00,
         7.0000e+00],
        [7.1429e+00, 7.2857e+00, 7.4286e+00,  ..., 1.3857e+01, 1.4000e+01,
         1.4143e+01],
        [1.4286e+01, 1.4429e+01, 1.4571e+01,  ..., 2.1000e+01, 2.1143e+01,
         2.1286e+01],
        ...,
        [2.6429e+02, 2.6443e+02, 2.6457e+02,  ..., 2.7100e+02, 2.7114e+02,
         2.7129e+02],
        [2.7143e+02, 2.7157e+02, 2.7171e+02,  ..., 2.7814e+02, 2.7829e+02,
         2.7843e+02],
        [2.7857e+02, 2.7871e+02, 2.7886e+02,  ..., 2.8529e+02, 2.8543e+02,
         2.8557e+02]])`
	if big != wantBig {
		t.Errorf("abbreviated matrix: got\n%s\nwant\n%s", big, wantBig)
	}
}

func TestMIMEBundle(t *testing.T) {
	var r display.Renderer = Arange(0, 6, 1).Reshape(2, 3)
	b := r.MIMEBundle()
	if b.Text() != "tensor([[0., 1., 2.],\n        [3., 4., 5.]])" {
		t.Fatalf("text/plain %q", b.Text())
	}
	h, _ := b.Data[display.MIMEHTML].(string)
	if !strings.Contains(h, "<table") || !strings.Contains(h, "<td>5.</td>") || !strings.Contains(h, "[2 3]") {
		t.Fatalf("text/html %q", h)
	}
	big := Zeros(100, 100).MIMEBundle().Data[display.MIMEHTML].(string)
	if strings.Count(big, "<tr>") != 7 || !strings.Contains(big, "⋮") {
		t.Fatalf("big table not elided: %d rows", strings.Count(big, "<tr>"))
	}
	if _, ok := Zeros(2, 2, 2).MIMEBundle().Data[display.MIMEHTML]; ok {
		t.Fatal("3-D tensor got an HTML table")
	}
}
