package interpret

import (
	"encoding/json"
	"fmt"
	"html"
	"strings"
	"sync/atomic"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/bert"
	"github.com/turinglab/turinglab/display"
	"github.com/turinglab/turinglab/nn"
	"github.com/turinglab/turinglab/plots"
	"github.com/turinglab/turinglab/tokenizer"
)

// AttentionView is every layer's and head's attention for one input: an
// interactive HTML view (layer and head selectors, hover a token to see
// where it attends) that needs no network and can be shown several times in
// one notebook, and a static grid of heat maps (Grid) that saves as PNG.
type AttentionView struct {
	Tokens []string
	// Weights[l][h][i][j] is how much token i attends to token j in head h of
	// layer l.
	Weights [][][][]float64
}

// Attentions runs m on enc and collects its attention probabilities.
// m is any BERT model: *bert.Model or a task model whose encoder is found by
// EncoderOf.
func Attentions(m nn.Module, enc *tokenizer.BertEncoding) (*AttentionView, error) {
	if err := checkEncoding(enc); err != nil {
		return nil, err
	}
	b, err := EncoderOf(m)
	if err != nil {
		return nil, err
	}
	nn.Eval(m)
	in := repeatInputs(enc, 1)
	in.OutputAttentions = true
	var out *bert.ModelOutput
	autograd.NoGrad(func() { out, err = b.Forward(in) })
	if err != nil {
		return nil, err
	}
	return AttentionViewOf(out.Attentions, enc.Tokens, 0)
}

// AttentionViewOf makes a view of batch row b of attentions (one [batch,
// heads, T, T] tensor per layer).
func AttentionViewOf(attentions []*autograd.Tensor, tokens []string, b int) (*AttentionView, error) {
	v := &AttentionView{Tokens: tokens}
	for l, a := range attentions {
		s := a.Shape()
		if len(s) != 4 || s[2] != len(tokens) || s[3] != len(tokens) || b < 0 || b >= s[0] {
			return nil, fmt.Errorf("interpret: layer %d attention has shape %v, want [batch>%d, heads, %d, %d]", l, s, b, len(tokens), len(tokens))
		}
		heads, T := s[1], s[2]
		data := a.Contiguous().Data()
		layer := make([][][]float64, heads)
		for h := range layer {
			layer[h] = make([][]float64, T)
			for i := range layer[h] {
				layer[h][i] = make([]float64, T)
				for j := range layer[h][i] {
					layer[h][i][j] = float64(data[((b*heads+h)*T+i)*T+j])
				}
			}
		}
		v.Weights = append(v.Weights, layer)
	}
	return v, nil
}

// EncoderOf finds the *bert.Model in m's module tree: m itself, any of
// bert's task models, or any other model that holds one (a multimodal
// model, a PEFT-wrapped base), found by module path as PEFT finds its
// targets. DecoderOf does the same for GPT-2.
func EncoderOf(m nn.Module) (*bert.Model, error) {
	for _, nm := range nn.NamedModules(m, "") {
		if b, ok := nm.Module.(*bert.Model); ok {
			return b, nil
		}
	}
	return nil, fmt.Errorf("interpret: %T is not a BERT model and holds none", m)
}

// Grid draws every layer (rows) × head (columns) as a heat map, queries down
// and keys across; it saves as PNG or SVG (Grid.Save) for printing.
func (v *AttentionView) Grid() *plots.Grid {
	var figs []plots.Figure
	heads := 0
	for l, layer := range v.Weights {
		heads = len(layer)
		for h, m := range layer {
			hm := plots.NewHeatMap(fmt.Sprintf("layer %d head %d", l, h), m)
			hm.RowLabels, hm.ColLabels = v.Tokens, v.Tokens
			hm.Min, hm.Max = 0, 1
			figs = append(figs, hm)
		}
	}
	return plots.NewGrid("attention: layers × heads", max(1, heads), figs...)
}

// viewCounter makes every rendered view's element ids unique, so several
// views in one notebook page do not steer each other.
var viewCounter atomic.Int64

// HTML is the self-contained interactive view: inline SVG drawn by inline
// JavaScript, no external scripts.
func (v *AttentionView) HTML() string {
	id := fmt.Sprintf("tlattn%d", viewCounter.Add(1))
	tokens, _ := json.Marshal(v.Tokens)
	rounded := make([][][][]float64, len(v.Weights))
	for l := range v.Weights {
		rounded[l] = make([][][]float64, len(v.Weights[l]))
		for h := range v.Weights[l] {
			rounded[l][h] = make([][]float64, len(v.Weights[l][h]))
			for i, row := range v.Weights[l][h] {
				for _, w := range row {
					rounded[l][h][i] = append(rounded[l][h][i], float64(int(w*1000+0.5))/1000)
				}
			}
		}
	}
	weights, _ := json.Marshal(rounded)
	heads := 0
	if len(v.Weights) > 0 {
		heads = len(v.Weights[0])
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<div id="%s" style="font-family:sans-serif">`, id)
	b.WriteString(`Layer <select class="layer">`)
	for l := range v.Weights {
		fmt.Fprintf(&b, `<option value="%d">%d</option>`, l, l)
	}
	b.WriteString(`</select> Head <select class="head"><option value="-1">all (mean)</option>`)
	for h := 0; h < heads; h++ {
		fmt.Fprintf(&b, `<option value="%d">%d</option>`, h, h)
	}
	b.WriteString(`</select><div class="hint" style="font-size:smaller;color:#555">hover a token on the left to see where it attends</div>`)
	fmt.Fprintf(&b, `<svg class="canvas" width="420" height="%d"></svg>`, 24*len(v.Tokens)+20)
	fmt.Fprintf(&b, `<noscript>%s</noscript>`, html.EscapeString("interactive view needs JavaScript; use Grid() for a static image"))
	fmt.Fprintf(&b, `<script>(function(){
var root=document.getElementById(%q);if(!root)return;
var toks=%s, W=%s, svg=root.querySelector(".canvas"), ls=root.querySelector(".layer"), hs=root.querySelector(".head"), NS="http://www.w3.org/2000/svg", focus=-1;
function mat(){var l=+ls.value,h=+hs.value,T=toks.length,m=[];for(var i=0;i<T;i++){m.push([]);for(var j=0;j<T;j++){var s=0;if(h>=0){s=W[l][h][i][j]}else{for(var k=0;k<W[l].length;k++)s+=W[l][k][i][j];s/=W[l].length}m[i].push(s)}}return m}
function el(n,a){var e=document.createElementNS(NS,n);for(var k in a)e.setAttribute(k,a[k]);return e}
function draw(){while(svg.firstChild)svg.removeChild(svg.firstChild);var m=mat(),T=toks.length;
for(var i=0;i<T;i++)for(var j=0;j<T;j++){if(focus>=0&&i!=focus)continue;var w=m[i][j];if(w<0.01)continue;svg.appendChild(el("line",{x1:130,y1:20+24*i,x2:290,y2:20+24*j,stroke:"#1f77b4","stroke-opacity":w,"stroke-width":1+3*w}))}
for(var i=0;i<T;i++){(function(i){var a=el("text",{x:125,y:24+24*i,"text-anchor":"end","font-size":13,fill:focus==i?"#d62728":"#000",style:"cursor:pointer"});a.textContent=toks[i];a.addEventListener("mouseenter",function(){focus=i;draw()});a.addEventListener("mouseleave",function(){focus=-1;draw()});svg.appendChild(a);
var b=el("text",{x:295,y:24+24*i,"font-size":13});b.textContent=toks[i];svg.appendChild(b)})(i)}}
ls.addEventListener("change",draw);hs.addEventListener("change",draw);draw()})();</script></div>`, id, tokens, weights)
	return b.String()
}

// MIMEBundle shows the interactive view (text/html) with a one-line
// summary as text/plain; Grid gives the static image.
func (v *AttentionView) MIMEBundle() display.Bundle {
	bundle := display.Render(display.HTML(v.HTML()))
	bundle.Data["text/plain"] = v.String()
	return bundle
}

// String summarises the view.
func (v *AttentionView) String() string {
	heads := 0
	if len(v.Weights) > 0 {
		heads = len(v.Weights[0])
	}
	return fmt.Sprintf("AttentionView(%d layers × %d heads, %d tokens)", len(v.Weights), heads, len(v.Tokens))
}
