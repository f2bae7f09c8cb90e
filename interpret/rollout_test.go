package interpret

import (
	"math"
	"strings"
	"testing"

	"github.com/turinglab/turinglab/autograd"
)

func TestRolloutOfIdentityAttentionIsIdentity(t *testing.T) {
	const T, heads = 4, 3
	eye := make([]float32, 0, heads*T*T)
	for h := 0; h < heads; h++ {
		eye = append(eye, autograd.Eye(T).Data()...)
	}
	a := autograd.New(eye, 1, heads, T, T)
	r, err := Rollout([]*autograd.Tensor{a, a, a}, 0)
	if err != nil {
		t.Fatal(err)
	}
	for i := range r {
		for j := range r[i] {
			want := 0.0
			if i == j {
				want = 1
			}
			if math.Abs(r[i][j]-want) > 1e-12 {
				t.Fatalf("rollout[%d][%d] = %v, want %v", i, j, r[i][j], want)
			}
		}
	}
}

func TestRolloutByHand(t *testing.T) {
	// One head, uniform attention over 2 tokens: Â = ½(U + I) = [[¾,¼],[¼,¾]];
	// two layers: Â² = [[⅝,⅜],[⅜,⅝]].
	u := autograd.New([]float32{0.5, 0.5, 0.5, 0.5}, 1, 1, 2, 2)
	r, err := Rollout([]*autograd.Tensor{u, u}, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]float64{{0.625, 0.375}, {0.375, 0.625}}
	for i := range want {
		for j := range want[i] {
			if math.Abs(r[i][j]-want[i][j]) > 1e-7 {
				t.Fatalf("rollout = %v, want %v", r, want)
			}
		}
	}
	if _, err := Rollout([]*autograd.Tensor{autograd.Zeros(2, 3)}, 0); err == nil || !strings.Contains(err.Error(), "shape") {
		t.Fatalf("bad shape: %v", err)
	}
}

func TestAttentionViewOnModel(t *testing.T) {
	tok := testTokenizer(t)
	m := tinyClassifier(t, 2)
	enc := encode(t, tok, "the film was good")
	v, err := Attentions(m, enc)
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Weights) != 2 || len(v.Weights[0]) != 2 || len(v.Weights[0][0]) != 6 {
		t.Fatalf("view %s", v)
	}
	for _, row := range v.Weights[1][1] {
		var s float64
		for _, w := range row {
			s += w
		}
		if math.Abs(s-1) > 1e-5 {
			t.Fatalf("attention row sums to %v", s)
		}
	}
	h1, h2 := v.HTML(), v.HTML()
	if h1 == h2 || !strings.Contains(h1, "<script>") || strings.Contains(h1, "src=") {
		t.Fatal("views must be self-contained with distinct ids")
	}
	if png, err := v.Grid().PNG(); err != nil || len(png) < 100 {
		t.Fatalf("grid PNG: %v", err)
	}
}
