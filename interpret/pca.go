package interpret

import (
	"fmt"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/bert"
	"github.com/turinglab/turinglab/display"
	"github.com/turinglab/turinglab/nn"
	"github.com/turinglab/turinglab/plots"
	"github.com/turinglab/turinglab/tokenizer"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
)

// Projection is a PCA projection of vectors onto their first principal
// components: the picture of whether an embedding separates classes.
type Projection struct {
	// Points[i] are the coordinates of vector i on the components.
	Points [][]float64
	// Variance is the variance along each component, ExplainedRatio its
	// share of the total.
	Variance, ExplainedRatio []float64
}

// PCA projects the rows of x (n vectors of equal length) onto their first k
// principal components (centred, by SVD as sklearn's PCA).
func PCA(x [][]float64, k int) (*Projection, error) {
	if len(x) < 2 || len(x[0]) == 0 {
		return nil, fmt.Errorf("interpret: PCA needs at least 2 non-empty vectors, got %d", len(x))
	}
	d := len(x[0])
	if k < 1 || k > d || k > len(x) {
		return nil, fmt.Errorf("interpret: PCA: k = %d must be in [1, min(%d vectors, %d dims)]", k, len(x), d)
	}
	a := mat.NewDense(len(x), d, nil)
	for i, row := range x {
		if len(row) != d {
			return nil, fmt.Errorf("interpret: PCA: vector %d has %d values, vector 0 has %d", i, len(row), d)
		}
		a.SetRow(i, row)
	}
	var pc stat.PC
	if !pc.PrincipalComponents(a, nil) {
		return nil, fmt.Errorf("interpret: PCA: the SVD did not converge")
	}
	var vecs mat.Dense
	pc.VectorsTo(&vecs)
	vars := pc.VarsTo(nil)
	var total float64
	for _, v := range vars {
		total += v
	}
	// Centre, then project on the first k components.
	means := make([]float64, d)
	for _, row := range x {
		for j, v := range row {
			means[j] += v / float64(len(x))
		}
	}
	centred := mat.NewDense(len(x), d, nil)
	for i, row := range x {
		for j, v := range row {
			centred.Set(i, j, v-means[j])
		}
	}
	var proj mat.Dense
	proj.Mul(centred, vecs.Slice(0, d, 0, k))
	p := &Projection{Variance: vars[:k]}
	for _, v := range vars[:k] {
		p.ExplainedRatio = append(p.ExplainedRatio, v/total)
	}
	for i := range x {
		p.Points = append(p.Points, mat.Row(nil, i, &proj))
	}
	return p, nil
}

// Scatter plots the first two components coloured by class (one class name
// per point).
func (p *Projection) Scatter(title string, classes []string) (*plots.Scatter, error) {
	if len(classes) != len(p.Points) {
		return nil, fmt.Errorf("interpret: %d classes for %d points", len(classes), len(p.Points))
	}
	if len(p.Points) > 0 && len(p.Points[0]) < 2 {
		return nil, fmt.Errorf("interpret: a scatter needs 2 components, the projection has %d", len(p.Points[0]))
	}
	xs, ys := make([]float64, len(p.Points)), make([]float64, len(p.Points))
	for i, pt := range p.Points {
		xs[i], ys[i] = pt[0], pt[1]
	}
	s := plots.ScatterByClass(title, xs, ys, classes)
	s.XLabel = fmt.Sprintf("PC1 (%.0f%%)", 100*p.ExplainedRatio[0])
	s.YLabel = fmt.Sprintf("PC2 (%.0f%%)", 100*p.ExplainedRatio[1])
	return s, nil
}

// SentenceEmbeddings returns one vector per text from m's last hidden state:
// the [CLS] vector (pooling "cls") or the mean over real tokens ("mean").
func SentenceEmbeddings(m nn.Module, tok *tokenizer.BertTokenizer, texts []string, pooling string) ([][]float64, error) {
	if pooling != "cls" && pooling != "mean" {
		return nil, fmt.Errorf("interpret: pooling %q: want \"cls\" or \"mean\"", pooling)
	}
	enc, err := EncoderOf(m)
	if err != nil {
		return nil, err
	}
	nn.Eval(m)
	var out [][]float64
	const batch = 32
	for start := 0; start < len(texts); start += batch {
		if err := display.CheckInterrupt(); err != nil {
			return nil, err
		}
		encs, err := tok.EncodeBatch(texts[start:min(start+batch, len(texts))], tokenizer.EncodeOptions{Padding: tokenizer.PadLongest})
		if err != nil {
			return nil, err
		}
		in, err := bert.InputsFromEncodings(encs)
		if err != nil {
			return nil, err
		}
		var o *bert.ModelOutput
		autograd.NoGrad(func() { o, err = enc.Forward(in) })
		if err != nil {
			return nil, err
		}
		h := o.LastHiddenState.Contiguous()
		T, H := h.Size(1), h.Size(2)
		data := h.Data()
		for b := range encs {
			v := make([]float64, H)
			if pooling == "cls" {
				for j := range v {
					v[j] = float64(data[b*T*H+j])
				}
			} else {
				n := 0
				for p := 0; p < T; p++ {
					if in.AttentionMask[b*T+p] == 0 {
						continue
					}
					n++
					for j := range v {
						v[j] += float64(data[(b*T+p)*H+j])
					}
				}
				for j := range v {
					v[j] /= float64(n)
				}
			}
			out = append(out, v)
		}
	}
	return out, nil
}
