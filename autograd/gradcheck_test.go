package autograd

import (
	"math"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// The gradient-check table: every differentiable op, on random shapes, with
// broadcast cases and non-contiguous (transposed, permuted, expanded, sliced)
// inputs. Each case names the ops it covers; TestGradCheckCoversEveryOp makes
// sure no exported differentiable method is missing from the table.

// inputs builders. Each returns a leaf that requires grad.
func leaf(rng *RNG, shape ...int) *Tensor { return RandN(rng, shape...).SetRequiresGrad(true) }

// positive returns values in [0.5, 2), safe for Log, Sqrt, Div, Pow.
func positive(rng *RNG, shape ...int) *Tensor {
	return Uniform(rng, 0.5, 2, shape...).SetRequiresGrad(true)
}

// awayFromZero returns ±[0.2, 1.5) so finite differences never straddle the kink
// of ReLU, Abs, Clamp at 0 (or at ±0.1 for Clamp's bounds).
func awayFromZero(rng *RNG, shape ...int) *Tensor {
	t := Uniform(rng, 0.2, 1.5, shape...)
	for i := range t.data {
		if rng.Float32() < 0.5 {
			t.data[i] = -t.data[i]
		}
	}
	return t.SetRequiresGrad(true)
}

// transposed returns a non-contiguous leaf of the given 2-D shape (a transposed view).
func transposed(rng *RNG, rows, cols int) *Tensor {
	return RandN(rng, cols, rows).Transpose(0, 1).SetRequiresGrad(true)
}

// permuted returns a non-contiguous 3-D leaf [a,b,c] viewed through a permutation.
func permuted(rng *RNG, a, b, c int) *Tensor {
	return RandN(rng, c, a, b).Permute(1, 2, 0).SetRequiresGrad(true)
}

// sliced returns a non-contiguous leaf: every other column of a wider matrix.
func sliced(rng *RNG, rows, cols int) *Tensor {
	return RandN(rng, rows, 2*cols+1).SliceStep(1, 1, 2*cols+1, 2).SetRequiresGrad(true)
}

// expanded returns a leaf whose storage is shared along an expanded dim.
func expanded(rng *RNG, from []int, to ...int) *Tensor {
	return RandN(rng, from...).Expand(to...).SetRequiresGrad(true)
}

type gradCase struct {
	name   string
	ops    []string // the exported ops this case exercises
	inputs func(rng *RNG) []*Tensor
	f      func(x []*Tensor) *Tensor
	tol    float64 // atol = rtol; 0 means the default
}

func gradCases() []gradCase {
	in := func(ts ...*Tensor) []*Tensor { return ts }
	return []gradCase{
		// Shape ops.
		{"reshape", []string{"Reshape", "Flatten"}, func(r *RNG) []*Tensor { return in(leaf(r, 2, 3, 4)) },
			func(x []*Tensor) *Tensor { return x[0].Reshape(4, -1).Mul(Arange(0, 24, 1).Reshape(4, 6)).Flatten() }, 0},
		{"reshape non-contiguous", []string{"Reshape"}, func(r *RNG) []*Tensor { return in(transposed(r, 3, 4)) },
			func(x []*Tensor) *Tensor { return x[0].Reshape(2, 6).Exp() }, 0},
		{"view", []string{"View"}, func(r *RNG) []*Tensor { return in(leaf(r, 6)) },
			func(x []*Tensor) *Tensor { return x[0].View(2, 3).Square() }, 0},
		{"permute", []string{"Permute"}, func(r *RNG) []*Tensor { return in(leaf(r, 2, 3, 4)) },
			func(x []*Tensor) *Tensor { return x[0].Permute(2, 0, 1).Contiguous().Tanh() }, 0},
		{"transpose and T", []string{"Transpose", "T", "Contiguous"}, func(r *RNG) []*Tensor { return in(leaf(r, 3, 2), leaf(r, 2, 3, 4)) },
			func(x []*Tensor) *Tensor {
				return x[0].T().Contiguous().Sum().Add(x[1].Transpose(-1, 0).Sin().Sum())
			}, 0},
		{"squeeze unsqueeze", []string{"Squeeze", "Unsqueeze"}, func(r *RNG) []*Tensor { return in(leaf(r, 3, 1, 2)) },
			func(x []*Tensor) *Tensor { return x[0].Squeeze(1).Unsqueeze(0).Unsqueeze(-1).Squeeze().Tanh() }, 0},
		{"expand", []string{"Expand", "ExpandAs"}, func(r *RNG) []*Tensor { return in(leaf(r, 3, 1), leaf(r, 4)) },
			func(x []*Tensor) *Tensor {
				return x[0].Expand(2, 3, 4).Mul(x[1].ExpandAs(Zeros(2, 3, 4))).Sin()
			}, 0},
		{"slice narrow select", []string{"Slice", "SliceStep", "Narrow", "Select"}, func(r *RNG) []*Tensor { return in(leaf(r, 5, 6)) },
			func(x []*Tensor) *Tensor {
				a := x[0].Slice(0, 1, -1).SliceStep(1, 0, 6, 2).Square().Sum()
				b := x[0].Narrow(1, 2, 3).Exp().Sum()
				return a.Add(b).Add(x[0].Select(0, -1).Sin().Sum())
			}, 0},
		{"clone", []string{"Clone"}, func(r *RNG) []*Tensor { return in(sliced(r, 3, 4)) },
			func(x []*Tensor) *Tensor { return x[0].Clone().Square() }, 0},
		{"index select", []string{"IndexSelect"}, func(r *RNG) []*Tensor { return in(permuted(r, 3, 4, 2)) },
			func(x []*Tensor) *Tensor { return x[0].IndexSelect(1, []int{3, 0, 3, 1}).Square() }, 0},
		{"gather", []string{"Gather"}, func(r *RNG) []*Tensor { return in(transposed(r, 3, 4)) },
			func(x []*Tensor) *Tensor {
				return x[0].Gather(1, []int{0, 3, 3, 1, 2, 0}, []int{3, 2}).Square()
			}, 0},
		{"cat stack", []string{"Cat", "Stack"}, func(r *RNG) []*Tensor { return in(leaf(r, 2, 3), transposed(r, 2, 2), leaf(r, 2, 3)) },
			func(x []*Tensor) *Tensor {
				c := Cat([]*Tensor{x[0], x[1]}, 1).Square()
				// Four inputs, one of them twice: more than a node keeps inline.
				d := Cat([]*Tensor{x[2], x[1], x[0], x[2]}, 1).Sin()
				s := Stack([]*Tensor{x[0], x[2]}, 1).Exp()
				return c.Sum().Add(s.Sum()).Add(d.Sum())
			}, 0},
		{"split chunk", []string{"Split", "SplitSizes", "Chunk"}, func(r *RNG) []*Tensor { return in(leaf(r, 5, 4)) },
			func(x []*Tensor) *Tensor {
				p := x[0].Split(2, 0)
				q := x[0].Chunk(2, 1)
				s := x[0].SplitSizes([]int{1, 3}, 1)
				return p[0].Square().Sum().Add(p[2].Exp().Sum()).Add(q[1].Sin().Sum()).Add(s[0].Square().Sum())
			}, 0},
		{"sum to size", []string{"SumToSize"}, func(r *RNG) []*Tensor { return in(leaf(r, 2, 3, 4)) },
			func(x []*Tensor) *Tensor { return x[0].Square().SumToSize(3, 1) }, 0},

		// Elementwise binary, broadcasting and non-contiguous.
		{"add broadcast", []string{"Add"}, func(r *RNG) []*Tensor { return in(leaf(r, 2, 3, 4), leaf(r, 3, 1)) },
			func(x []*Tensor) *Tensor { return x[0].Add(x[1]) }, 0},
		{"sub broadcast", []string{"Sub"}, func(r *RNG) []*Tensor { return in(leaf(r, 4), transposed(r, 3, 4)) },
			func(x []*Tensor) *Tensor { return x[0].Sub(x[1]) }, 0},
		{"mul broadcast expanded", []string{"Mul"}, func(r *RNG) []*Tensor { return in(expanded(r, []int{1, 4}, 3, 4), leaf(r, 2, 1, 4)) },
			func(x []*Tensor) *Tensor { return x[0].Mul(x[1]) }, 0},
		{"div", []string{"Div"}, func(r *RNG) []*Tensor { return in(leaf(r, 3, 4), positive(r, 4)) },
			func(x []*Tensor) *Tensor { return x[0].Div(x[1]) }, 0},
		{"pow", []string{"Pow"}, func(r *RNG) []*Tensor { return in(positive(r, 3, 4), leaf(r, 3, 1)) },
			func(x []*Tensor) *Tensor { return x[0].Pow(x[1]) }, 0},
		{"maximum minimum", []string{"Maximum", "Minimum"}, func(r *RNG) []*Tensor { return in(leaf(r, 3, 4), sliced(r, 3, 4)) },
			func(x []*Tensor) *Tensor { return x[0].Maximum(x[1]).Add(x[0].Minimum(x[1]).MulScalar(2)) }, 0},
		{"scalar variants", []string{"AddScalar", "SubScalar", "RSubScalar", "MulScalar", "DivScalar", "PowScalar"},
			func(r *RNG) []*Tensor { return in(positive(r, 3, 4)) },
			func(x []*Tensor) *Tensor {
				return x[0].AddScalar(1).SubScalar(0.5).RSubScalar(3).MulScalar(2).DivScalar(3).Mul(x[0].PowScalar(1.5)).Add(x[0].PowScalar(2)).Add(x[0].PowScalar(0.5))
			}, 0},

		// Elementwise unary.
		{"neg exp", []string{"Neg", "Exp"}, func(r *RNG) []*Tensor { return in(transposed(r, 3, 2)) },
			func(x []*Tensor) *Tensor { return x[0].Neg().Exp() }, 0},
		{"log sqrt rsqrt reciprocal", []string{"Log", "Sqrt", "Rsqrt", "Reciprocal"}, func(r *RNG) []*Tensor { return in(positive(r, 2, 3)) },
			func(x []*Tensor) *Tensor { return x[0].Log().Add(x[0].Sqrt()).Add(x[0].Rsqrt()).Add(x[0].Reciprocal()) }, 0},
		{"square sin cos", []string{"Square", "Sin", "Cos"}, func(r *RNG) []*Tensor { return in(permuted(r, 2, 2, 3)) },
			func(x []*Tensor) *Tensor { return x[0].Square().Add(x[0].Sin()).Mul(x[0].Cos()) }, 0},
		{"abs relu leaky", []string{"Abs", "ReLU", "LeakyReLU"}, func(r *RNG) []*Tensor { return in(awayFromZero(r, 3, 4)) },
			func(x []*Tensor) *Tensor { return x[0].Abs().Add(x[0].ReLU()).Add(x[0].LeakyReLU(0.1)) }, 0},
		{"clamp", []string{"Clamp", "ClampMin", "ClampMax"}, func(r *RNG) []*Tensor { return in(awayFromZero(r, 4, 5)) },
			func(x []*Tensor) *Tensor {
				return x[0].Clamp(-0.7, 0.9).Add(x[0].ClampMin(-0.1)).Add(x[0].ClampMax(0.1))
			}, 0},
		{"tanh sigmoid", []string{"Tanh", "Sigmoid"}, func(r *RNG) []*Tensor { return in(sliced(r, 2, 3)) },
			func(x []*Tensor) *Tensor { return x[0].MulScalar(2).Tanh().Add(x[0].MulScalar(3).Sigmoid()) }, 0},
		{"gelu gelutanh silu softplus", []string{"GELU", "GELUTanh", "SiLU", "Softplus"}, func(r *RNG) []*Tensor { return in(leaf(r, 3, 5)) },
			func(x []*Tensor) *Tensor {
				return x[0].MulScalar(2).GELU().Add(x[0].GELUTanh()).Add(x[0].MulScalar(1.5).SiLU()).Add(x[0].Softplus())
			}, 0},
		{"where masked fill", []string{"Where", "MaskedFill"}, func(r *RNG) []*Tensor { return in(leaf(r, 3, 4), leaf(r, 4)) },
			func(x []*Tensor) *Tensor {
				mask := New([]float32{1, 0, 0, 1}, 4)
				return Where(mask, x[0], x[1]).Add(x[0].MaskedFill(mask.Reshape(1, 4), -1))
			}, 0},

		// Reductions.
		{"sum mean", []string{"Sum", "SumKeepDim", "Mean", "MeanKeepDim"}, func(r *RNG) []*Tensor { return in(permuted(r, 2, 3, 4)) },
			func(x []*Tensor) *Tensor {
				a := x[0].Sum(0, 2).Square()
				b := x[0].SumKeepDim(-1).Mul(x[0]).Mean(1)
				c := x[0].MeanKeepDim(0, 1).Exp().Sum()
				return a.Sum().Add(b.Sum()).Add(c).Add(x[0].Mean().Square())
			}, 0},
		{"var std", []string{"Var", "Std"}, func(r *RNG) []*Tensor { return in(leaf(r, 3, 5)) },
			func(x []*Tensor) *Tensor {
				return x[0].Var(true, false, 1).Add(x[0].Var(false, false, -1)).Add(x[0].Std(true, true, 1).Squeeze(1)).Add(x[0].Var(true, false).Expand(3))
			}, 0},
		{"norm", []string{"Norm"}, func(r *RNG) []*Tensor { return in(awayFromZero(r, 3, 4)) },
			func(x []*Tensor) *Tensor {
				return x[0].Norm(2, false, 1).Add(x[0].Norm(1, false, 1)).Add(x[0].Norm(3, true, 1).Squeeze(1)).Add(x[0].Norm(math.Inf(1), false, 1))
			}, 0},
		{"amax amin max min", []string{"Amax", "Amin", "Max", "Min"}, func(r *RNG) []*Tensor { return in(transposed(r, 4, 3)) },
			func(x []*Tensor) *Tensor {
				return x[0].Amax(false, 1).Sum().Add(x[0].Amin(true, 0, 1).Sum()).Add(x[0].Max()).Add(x[0].Min().MulScalar(3))
			}, 0},
		{"max dim min dim", []string{"MaxDim", "MinDim"}, func(r *RNG) []*Tensor { return in(permuted(r, 2, 3, 4)) },
			func(x []*Tensor) *Tensor {
				a, _ := x[0].MaxDim(1, false)
				b, _ := x[0].MinDim(-1, true)
				return a.Square().Sum().Add(b.Sum())
			}, 0},

		// Linear algebra.
		{"matmul 2-D", []string{"MatMul"}, func(r *RNG) []*Tensor { return in(leaf(r, 3, 4), leaf(r, 4, 5)) },
			func(x []*Tensor) *Tensor { return x[0].MatMul(x[1]) }, 0},
		{"matmul transposed operands", []string{"MatMul"}, func(r *RNG) []*Tensor { return in(transposed(r, 3, 4), transposed(r, 4, 2)) },
			func(x []*Tensor) *Tensor { return x[0].MatMul(x[1]) }, 0},
		{"matmul batched broadcast", []string{"MatMul"}, func(r *RNG) []*Tensor { return in(leaf(r, 2, 1, 3, 4), leaf(r, 3, 4, 2)) },
			func(x []*Tensor) *Tensor { return x[0].MatMul(x[1]) }, 0},
		{"matmul attention", []string{"MatMul"}, func(r *RNG) []*Tensor { return in(leaf(r, 2, 2, 3, 4), leaf(r, 2, 2, 3, 4)) },
			func(x []*Tensor) *Tensor { return x[0].MatMul(x[1].Transpose(-1, -2)) }, 0},
		{"matmul divided, fused and not", []string{"MatMulDivScalar"}, func(r *RNG) []*Tensor { return in(leaf(r, 2, 2, 3, 4), leaf(r, 2, 2, 3, 4)) },
			func(x []*Tensor) *Tensor {
				return x[0].MatMulDivScalar(x[1].Transpose(-1, -2), 8).Add(x[0].MatMulDivScalar(x[1].Transpose(-1, -2), 3))
			}, 0},
		{"matmul heads, permuted operands", []string{"MatMulHeads", "MatMul"}, func(r *RNG) []*Tensor { return in(leaf(r, 2, 3, 2, 4), leaf(r, 2, 3, 2, 4)) },
			func(x []*Tensor) *Tensor {
				q, v := x[0].Permute(0, 2, 1, 3), x[1].Permute(0, 2, 1, 3)
				return q.MatMul(v.Transpose(-1, -2)).MatMulHeads(v).Permute(0, 2, 1, 3).Reshape(2, 3, 8)
			}, 0},
		{"matmul n-d by 2-D and vectors", []string{"MatMul"}, func(r *RNG) []*Tensor { return in(leaf(r, 2, 3, 4), leaf(r, 4, 2), leaf(r, 4)) },
			func(x []*Tensor) *Tensor {
				return x[0].MatMul(x[1]).Sum().Add(x[0].MatMul(x[2]).Sum()).Add(x[2].MatMul(x[1]).Sum()).Add(x[2].MatMul(x[2]))
			}, 0},
		{"matmul expanded", []string{"MatMul"}, func(r *RNG) []*Tensor { return in(expanded(r, []int{1, 4}, 3, 4), sliced(r, 4, 3)) },
			func(x []*Tensor) *Tensor { return x[0].MatMul(x[1]) }, 0},
		{"linear", []string{"Linear"}, func(r *RNG) []*Tensor { return in(leaf(r, 2, 3, 4), leaf(r, 5, 4), leaf(r, 5)) },
			func(x []*Tensor) *Tensor { return Linear(x[0], x[1], x[2]) }, 0},
		{"linear no bias non-contiguous", []string{"Linear"}, func(r *RNG) []*Tensor { return in(transposed(r, 3, 4), transposed(r, 2, 4)) },
			func(x []*Tensor) *Tensor { return Linear(x[0], x[1], nil) }, 0},

		{"attention block", []string{"MatMul", "Softmax", "Permute", "Reshape"}, func(r *RNG) []*Tensor { return in(leaf(r, 2, 3, 4), leaf(r, 4, 4)) },
			func(x []*Tensor) *Tensor {
				// BERT's pattern: heads as permuted views, Q·Kᵀ with a transposed
				// view, an additive mask broadcast over heads and queries,
				// softmax, dropout, the weighted values merged back.
				split := func(t *Tensor) *Tensor { return t.Reshape(2, 3, 2, 2).Permute(0, 2, 1, 3) }
				q, k, v := split(Linear(x[0], x[1], nil)), split(x[0]), split(x[0].Tanh())
				mask := New([]float32{0, 0, -1e4, 0, 0, 0}, 2, 1, 1, 3)
				p := Dropout(q.MatMul(k.Transpose(-1, -2)).DivScalar(1.4).Add(mask).Softmax(-1), 0.1, true, NewRNG(3))
				return p.MatMul(v).Permute(0, 2, 1, 3).Contiguous().Reshape(2, 3, 4)
			}, 0},

		// Neural-network ops.
		{"softmax", []string{"Softmax"}, func(r *RNG) []*Tensor { return in(permuted(r, 2, 3, 4)) },
			func(x []*Tensor) *Tensor { return x[0].Softmax(1).Add(x[0].Softmax(-1)) }, 0},
		{"log softmax", []string{"LogSoftmax"}, func(r *RNG) []*Tensor { return in(transposed(r, 3, 5)) },
			func(x []*Tensor) *Tensor { return x[0].LogSoftmax(1).Add(x[0].LogSoftmax(0)) }, 0},
		{"layer norm", []string{"LayerNorm"}, func(r *RNG) []*Tensor { return in(permuted(r, 2, 3, 5), leaf(r, 5), leaf(r, 5)) },
			func(x []*Tensor) *Tensor { return LayerNorm(x[0], x[1], x[2], 1e-5) }, 0},
		{"layer norm no affine", []string{"LayerNorm"}, func(r *RNG) []*Tensor { return in(leaf(r, 4, 6)) },
			func(x []*Tensor) *Tensor { return LayerNorm(x[0], nil, nil, 1e-5) }, 0},
		{"dropout", []string{"Dropout"}, func(r *RNG) []*Tensor { return in(transposed(r, 4, 5)) },
			func(x []*Tensor) *Tensor { return Dropout(x[0], 0.3, true, NewRNG(7)) }, 0},
		{"embedding", []string{"Embedding"}, func(r *RNG) []*Tensor { return in(leaf(r, 6, 3)) },
			func(x []*Tensor) *Tensor { return Embedding(x[0], []int{1, 0, 5, 1, 2, 0}, []int{2, 3}, -1) }, 0}, // padding: TestEmbeddingPaddingRowGetsNoGradient
		{"tied embedding and decoder", []string{"Embedding", "Linear"}, func(r *RNG) []*Tensor { return in(leaf(r, 5, 3), leaf(r, 2, 3)) },
			func(x []*Tensor) *Tensor {
				// Leaf weights accumulate in place from both uses, as BERT's tied
				// word embeddings and MLM decoder do; a non-leaf weight takes the
				// dense path.
				h := Embedding(x[0], []int{4, 1, 1}, nil, -1).Tanh()
				logits := Linear(h, x[0], nil)
				derived := x[0].MulScalar(2)
				return logits.Sum().Add(Embedding(derived, []int{0, 2}, nil, -1).Square().Sum()).Add(Linear(x[1], derived, nil).Sum())
			}, 0},
		{"cross entropy", []string{"CrossEntropy"}, func(r *RNG) []*Tensor { return in(transposed(r, 4, 5)) },
			func(x []*Tensor) *Tensor {
				t := []int{1, -100, 4, 0}
				a := CrossEntropy(x[0], t, CrossEntropyOptions{})
				b := CrossEntropy(x[0], t, CrossEntropyOptions{LabelSmoothing: 0.2, Reduction: "sum"})
				c := CrossEntropy(x[0], t, CrossEntropyOptions{LabelSmoothing: 0.1, Reduction: "none"})
				return a.Add(b).Add(c.Sum())
			}, 0},
		{"cross entropy 3-D", []string{"CrossEntropy"}, func(r *RNG) []*Tensor { return in(leaf(r, 2, 3, 4)) },
			func(x []*Tensor) *Tensor {
				return CrossEntropy(x[0], []int{0, 3, 2, 1, -100, 3}, CrossEntropyOptions{Reduction: "none"})
			}, 0},
		{"bce with logits", []string{"BCEWithLogits"}, func(r *RNG) []*Tensor { return in(leaf(r, 3, 4), Rand(r, 3, 4).SetRequiresGrad(true)) },
			func(x []*Tensor) *Tensor {
				return BCEWithLogits(x[0], x[1], "none").Sum().Add(BCEWithLogits(x[0], x[1], "mean")).Add(BCEWithLogits(x[0], x[1], "sum"))
			}, 0},
		{"mse", []string{"MSE"}, func(r *RNG) []*Tensor { return in(leaf(r, 3, 4), sliced(r, 3, 4)) },
			func(x []*Tensor) *Tensor {
				return MSE(x[0], x[1], "mean").Add(MSE(x[0], x[1], "sum")).Add(MSE(x[0], x[1], "none").Sum())
			}, 0},
	}
}

func TestGradCheckAllOps(t *testing.T) {
	for i, c := range gradCases() {
		c := c
		t.Run(c.name, func(t *testing.T) {
			rng := NewRNG(uint64(100 + i))
			tol := c.tol
			if tol == 0 {
				tol = 1e-2
			}
			if err := GradCheck(c.f, c.inputs(rng), 1e-3, tol, tol); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// notDifferentiable lists exported *Tensor methods that are not differentiable
// ops (accessors, comparisons, autodiff controls, printing).
var notDifferentiable = map[string]bool{
	"Shape": true, "Dim": true, "Numel": true, "Size": true, "Strides": true, "IsContiguous": true,
	"Data": true, "Float64s": true, "Item": true, "At": true, "Set": true, "Detach": true,
	"Grad": true, "SetGrad": true, "ZeroGrad": true, "RequiresGrad": true, "IsLeaf": true,
	"SetRequiresGrad": true, "RetainGrad": true, "GradFn": true, "Backward": true, "BackwardWith": true, "BackwardAndRecycle": true,
	"String": true, "MIMEBundle": true, "Eq": true, "Ne": true, "Gt": true, "Ge": true, "Lt": true,
	"Le": true, "EqScalar": true, "GtScalar": true, "LtScalar": true, "AllClose": true,
	"ArgMax": true, "ArgMin": true, "AddInPlace": true, "Ints": true,
}

// differentiableFuncs are the package-level differentiable functions (reflection
// cannot list functions, so they are named here and checked against the table).
var differentiableFuncs = []string{"Linear", "LayerNorm", "Dropout", "Embedding", "CrossEntropy", "BCEWithLogits", "MSE", "Where", "Cat", "Stack"}

func TestGradCheckCoversEveryOp(t *testing.T) {
	covered := map[string]bool{}
	for _, c := range gradCases() {
		for _, op := range c.ops {
			covered[op] = true
		}
	}
	var missing []string
	typ := reflect.TypeOf(&Tensor{})
	for i := 0; i < typ.NumMethod(); i++ {
		name := typ.Method(i).Name
		if !notDifferentiable[name] && !covered[name] {
			missing = append(missing, name)
		}
	}
	for _, name := range differentiableFuncs {
		if !covered[name] {
			missing = append(missing, name)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Fatalf("ops without a gradient check: %s", strings.Join(missing, ", "))
	}
}

func TestGradCheckReportsWrongGradient(t *testing.T) {
	// A deliberately wrong backward (claims d(2x)/dx = 1) must be caught and named.
	wrong := func(x []*Tensor) *Tensor {
		out := mapRaw(x[0], func(v float32) float32 { return 2 * v })
		record("Wrong", out, []*Tensor{x[0]}, func(g *Tensor, grads []*Tensor) { grads[0] = g })
		return out
	}
	err := GradCheck(wrong, []*Tensor{leaf(NewRNG(1), 2, 3)}, 1e-3, 1e-3, 1e-3)
	if err == nil {
		t.Fatal("GradCheck accepted a wrong gradient")
	}
	for _, frag := range []string{"input 0", "shape [2 3]", "element", "analytic", "numerical"} {
		if !strings.Contains(err.Error(), frag) {
			t.Fatalf("error %q does not mention %q", err, frag)
		}
	}
}
