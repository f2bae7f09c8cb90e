package multimodal

import (
	"fmt"
	"image"
	"image/color"
	"math"

	"github.com/turinglab/turinglab/autograd"
)

// The attribute values of the shapes world. Captions are built from these
// words only, so a caption names every attribute a picture shows.
var (
	// ShapeNames are the drawable shapes.
	ShapeNames = []string{"circle", "square", "triangle"}
	// ColorNames are the fill colours, in the order of ColorValues.
	ColorNames = []string{"red", "green", "blue", "yellow"}
	// SizeNames are the two object sizes.
	SizeNames = []string{"small", "large"}
	// PositionNames are where a single object sits in the picture.
	PositionNames = []string{"left", "right", "top", "bottom"}
	// RelationNames are the spatial relations of a pair of objects.
	RelationNames = []string{"left of", "right of", "above", "below"}
	// CountWords spell the counts 1..3 of a counting scene.
	CountWords = []string{"one", "two", "three"}
)

// ColorValues are the RGB colours named by ColorNames.
var ColorValues = []color.RGBA{
	{220, 40, 40, 255},
	{40, 190, 60, 255},
	{50, 80, 230, 255},
	{235, 215, 40, 255},
}

// background is the dark grey every picture starts from.
var background = color.RGBA{24, 24, 28, 255}

// Object is one shape drawn in a picture: what it is and where its centre is
// (pixels) with its radius (half the bounding box side).
type Object struct {
	Shape, Color, Size string
	X, Y, R            int
}

// Name is the object's words, e.g. "red circle".
func (o Object) Name() string { return o.Color + " " + o.Shape }

// Scene kinds.
const (
	SceneSingle = "single" // one object: shape, colour, size, position
	SceneCount  = "count"  // 1–3 identical small objects
	ScenePair   = "pair"   // two different objects and their relation
)

// ShapeScene is one generated picture with everything known about it.
type ShapeScene struct {
	Kind     string
	Objects  []Object
	Position string // SceneSingle: where the object is
	Relation string // ScenePair: Objects[0] Relation Objects[1]
	Count    int    // SceneCount: how many objects

	Image *image.RGBA
	// Caption is the canonical description used for training; Captions
	// holds it first, then the other templates that are also true.
	Caption  string
	Captions []string
	// HardNegatives are captions that are false for this picture but
	// differ from a true one in a single attribute or in the relation.
	HardNegatives []string
}

// ShapeOptions says what GenerateShapes draws.
type ShapeOptions struct {
	Size  int    // picture side in pixels (default 32)
	Seed  uint64 // the same seed draws the same pictures
	Kinds []string
	// HeldOut lists "colour shape" combinations (e.g. "green triangle") that
	// are never drawn; OnlyHeldOut draws nothing but them. Together they
	// make the train/test split of the generalisation test.
	HeldOut     []string
	OnlyHeldOut bool
	// Noise is the amplitude of per-pixel noise in [0, 255] (default 0).
	Noise int
}

// SingleCaption is the canonical caption of a single-object scene.
func SingleCaption(size, col, shape, pos string) string {
	return fmt.Sprintf("a %s %s %s on the %s", size, col, shape, pos)
}

// PairCaption is the canonical caption of a pair scene.
func PairCaption(a Object, rel string, b Object) string {
	return fmt.Sprintf("a %s %s %s a %s %s", a.Color, a.Shape, rel, b.Color, b.Shape)
}

// CountCaption is the canonical caption of a counting scene.
func CountCaption(n int, col, shape string) string {
	if n == 1 {
		return fmt.Sprintf("one %s %s", col, shape)
	}
	return fmt.Sprintf("%s %s %ss", CountWords[n-1], col, shape)
}

// AllSingleCaptions lists the canonical caption of every single-object
// scene, in a fixed order, with the attributes of each: the candidate set
// of zero-shot classification.
func AllSingleCaptions() (captions []string, objects []Object, positions []string) {
	for _, sz := range SizeNames {
		for _, c := range ColorNames {
			for _, s := range ShapeNames {
				for _, p := range PositionNames {
					captions = append(captions, SingleCaption(sz, c, s, p))
					objects = append(objects, Object{Shape: s, Color: c, Size: sz})
					positions = append(positions, p)
				}
			}
		}
	}
	return captions, objects, positions
}

// GenerateShapes draws n pictures, cycling through opts.Kinds (default: all
// three), deterministically for opts.Seed.
func GenerateShapes(n int, opts ShapeOptions) []*ShapeScene {
	if opts.Size == 0 {
		opts.Size = 32
	}
	if opts.Size < 16 {
		panic(fmt.Sprintf("multimodal.GenerateShapes: picture size %d is too small (need >= 16)", opts.Size))
	}
	kinds := opts.Kinds
	if len(kinds) == 0 {
		kinds = []string{SceneSingle, SceneCount, ScenePair}
	}
	for _, k := range kinds {
		if k != SceneSingle && k != SceneCount && k != ScenePair {
			panic(fmt.Sprintf("multimodal.GenerateShapes: unknown scene kind %q (want single, count or pair)", k))
		}
	}
	held := map[string]bool{}
	for _, h := range opts.HeldOut {
		held[h] = true
	}
	allowed := func(o Object) bool {
		if opts.OnlyHeldOut {
			return held[o.Name()]
		}
		return !held[o.Name()]
	}
	rng := newSplitMix(opts.Seed)
	scenes := make([]*ShapeScene, 0, n)
	for i := 0; i < n; i++ {
		kind := kinds[i%len(kinds)]
		var sc *ShapeScene
		for tries := 0; ; tries++ {
			if tries > 10000 {
				panic("multimodal.GenerateShapes: HeldOut/OnlyHeldOut leave no object that can be drawn")
			}
			switch kind {
			case SceneSingle:
				sc = singleScene(rng, opts.Size)
			case SceneCount:
				sc = countScene(rng, opts.Size)
			default:
				sc = pairScene(rng, opts.Size)
			}
			ok := true
			for _, o := range sc.Objects {
				ok = ok && allowed(o)
			}
			if opts.OnlyHeldOut && sc.Kind == ScenePair {
				// a pair is held out when either object is
				ok = held[sc.Objects[0].Name()] || held[sc.Objects[1].Name()]
			}
			if ok {
				break
			}
		}
		sc.Image = render(sc.Objects, opts.Size, opts.Noise, rng)
		scenes = append(scenes, sc)
	}
	return scenes
}

func singleScene(rng *splitMix, size int) *ShapeScene {
	o := Object{Shape: pick(rng, ShapeNames), Color: pick(rng, ColorNames), Size: pick(rng, SizeNames)}
	pos := pick(rng, PositionNames)
	o.R = size / 8
	if o.Size == "large" {
		o.R = size / 5
	}
	q, h := size/4, size/2
	j := func() int { return rng.intn(3) - 1 }
	switch pos {
	case "left":
		o.X, o.Y = q+j(), h+j()
	case "right":
		o.X, o.Y = size-q+j(), h+j()
	case "top":
		o.X, o.Y = h+j(), q+j()
	default:
		o.X, o.Y = h+j(), size-q+j()
	}
	c := SingleCaption(o.Size, o.Color, o.Shape, pos)
	neg := []string{
		SingleCaption(o.Size, other(rng, ColorNames, o.Color), o.Shape, pos),
		SingleCaption(o.Size, o.Color, other(rng, ShapeNames, o.Shape), pos),
		SingleCaption(other(rng, SizeNames, o.Size), o.Color, o.Shape, pos),
		SingleCaption(o.Size, o.Color, o.Shape, other(rng, PositionNames, pos)),
	}
	return &ShapeScene{
		Kind: SceneSingle, Objects: []Object{o}, Position: pos, Caption: c,
		Captions: []string{c,
			fmt.Sprintf("a %s %s on the %s", o.Color, o.Shape, pos),
			fmt.Sprintf("there is a %s %s %s", o.Size, o.Color, o.Shape)},
		HardNegatives: neg,
	}
}

func countScene(rng *splitMix, size int) *ShapeScene {
	n := 1 + rng.intn(3)
	shape, col := pick(rng, ShapeNames), pick(rng, ColorNames)
	r := size / 10
	// three slots along a row whose height is random
	y := size/4 + rng.intn(size/2)
	xs := []int{size / 5, size / 2, size - size/5}
	start := rng.intn(4 - n) // contiguous slots
	var objs []Object
	for k := 0; k < n; k++ {
		objs = append(objs, Object{Shape: shape, Color: col, Size: "small", X: xs[start+k], Y: y, R: r})
	}
	c := CountCaption(n, col, shape)
	wrong := 1 + (n-1+1+rng.intn(2))%3
	return &ShapeScene{
		Kind: SceneCount, Objects: objs, Count: n, Caption: c,
		Captions:      []string{c},
		HardNegatives: []string{CountCaption(wrong, col, shape), CountCaption(n, other(rng, ColorNames, col), shape)},
	}
}

func pairScene(rng *splitMix, size int) *ShapeScene {
	a := Object{Shape: pick(rng, ShapeNames), Color: pick(rng, ColorNames), Size: "small"}
	b := a
	for b.Name() == a.Name() {
		b = Object{Shape: pick(rng, ShapeNames), Color: pick(rng, ColorNames), Size: "small"}
	}
	rel := pick(rng, RelationNames)
	r := size / 7
	a.R, b.R = r, r
	near, far := size/4+rng.intn(3)-1, size-size/4+rng.intn(3)-1
	mid := size/2 + rng.intn(5) - 2
	switch rel {
	case "left of":
		a.X, b.X, a.Y, b.Y = near, far, mid, mid
	case "right of":
		a.X, b.X, a.Y, b.Y = far, near, mid, mid
	case "above":
		a.Y, b.Y, a.X, b.X = near, far, mid, mid
	default:
		a.Y, b.Y, a.X, b.X = far, near, mid, mid
	}
	c := PairCaption(a, rel, b)
	return &ShapeScene{
		Kind: ScenePair, Objects: []Object{a, b}, Relation: rel, Caption: c,
		Captions: []string{c, PairCaption(b, inverse(rel), a)},
		HardNegatives: []string{
			PairCaption(a, inverse(rel), b), // relation swapped
			PairCaption(b, rel, a),          // objects swapped
			PairCaption(Object{Shape: a.Shape, Color: other(rng, ColorNames, a.Color)}, rel, b),
		},
	}
}

// inverse is the relation seen from the other object.
func inverse(rel string) string {
	switch rel {
	case "left of":
		return "right of"
	case "right of":
		return "left of"
	case "above":
		return "below"
	}
	return "above"
}

// render draws the objects on the background, with optional noise.
func render(objs []Object, size, noise int, rng *splitMix) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, size, size))
	for y := 0; y < size; y++ {
		for x := 0; x < size; x++ {
			img.SetRGBA(x, y, background)
		}
	}
	for _, o := range objs {
		col := ColorValues[indexOf(ColorNames, o.Color)]
		for y := o.Y - o.R; y <= o.Y+o.R; y++ {
			for x := o.X - o.R; x <= o.X+o.R; x++ {
				if x >= 0 && y >= 0 && x < size && y < size && Inside(o, x, y) {
					img.SetRGBA(x, y, col)
				}
			}
		}
	}
	if noise > 0 {
		for i := range img.Pix {
			if i%4 == 3 {
				continue
			}
			v := int(img.Pix[i]) + rng.intn(2*noise+1) - noise
			img.Pix[i] = uint8(min(255, max(0, v)))
		}
	}
	return img
}

// Inside reports whether pixel (x, y) belongs to the object: the geometry
// of circles, squares and (upward) triangles.
func Inside(o Object, x, y int) bool {
	dx, dy := float64(x-o.X), float64(y-o.Y)
	r := float64(o.R)
	switch o.Shape {
	case "circle":
		return dx*dx+dy*dy <= r*r+0.5
	case "square":
		return math.Abs(dx) <= r*0.85 && math.Abs(dy) <= r*0.85
	case "triangle":
		// apex at the top (dy = -r), base at dy = +r
		if dy < -r || dy > r {
			return false
		}
		half := (dy + r) / 2
		return math.Abs(dx) <= half
	}
	panic(fmt.Sprintf("multimodal.Inside: unknown shape %q", o.Shape))
}

// ImagesTensor stacks pictures into a [N, 3, H, W] tensor with values
// scaled from [0, 255] to [-1, 1] (the ViT normalisation mean 0.5, std 0.5).
func ImagesTensor(imgs []*image.RGBA) *autograd.Tensor {
	if len(imgs) == 0 {
		panic("multimodal.ImagesTensor: no images")
	}
	b := imgs[0].Bounds()
	h, w := b.Dy(), b.Dx()
	out := make([]float32, len(imgs)*3*h*w)
	for n, img := range imgs {
		if img.Bounds().Dx() != w || img.Bounds().Dy() != h {
			panic(fmt.Sprintf("multimodal.ImagesTensor: image %d is %v, image 0 is %dx%d", n, img.Bounds().Size(), w, h))
		}
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				p := img.Pix[img.PixOffset(x+b.Min.X, y+b.Min.Y):]
				for c := 0; c < 3; c++ {
					out[((n*3+c)*h+y)*w+x] = float32(p[c])/127.5 - 1
				}
			}
		}
	}
	return autograd.New(out, len(imgs), 3, h, w)
}

// SceneImages returns the scenes' pictures.
func SceneImages(scenes []*ShapeScene) []*image.RGBA {
	out := make([]*image.RGBA, len(scenes))
	for i, s := range scenes {
		out[i] = s.Image
	}
	return out
}

// SceneCaptions returns the scenes' canonical captions.
func SceneCaptions(scenes []*ShapeScene) []string {
	out := make([]string, len(scenes))
	for i, s := range scenes {
		out[i] = s.Caption
	}
	return out
}

// ImageGrid tiles pictures into one picture, cols per row, with a 2-pixel
// gap and each picture scaled up by zoom: how the notebook shows a batch.
func ImageGrid(imgs []*image.RGBA, cols, zoom int) *image.RGBA {
	if len(imgs) == 0 || cols < 1 || zoom < 1 {
		panic(fmt.Sprintf("multimodal.ImageGrid: need images, cols >= 1, zoom >= 1 (got %d images, cols %d, zoom %d)", len(imgs), cols, zoom))
	}
	w, h := imgs[0].Bounds().Dx()*zoom, imgs[0].Bounds().Dy()*zoom
	rows := (len(imgs) + cols - 1) / cols
	gap := 2
	out := image.NewRGBA(image.Rect(0, 0, cols*(w+gap)+gap, rows*(h+gap)+gap))
	for i := range out.Pix {
		out.Pix[i] = 255
	}
	for i, img := range imgs {
		ox, oy := gap+(i%cols)*(w+gap), gap+(i/cols)*(h+gap)
		b := img.Bounds()
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				out.Set(ox+x, oy+y, img.At(b.Min.X+x/zoom, b.Min.Y+y/zoom))
			}
		}
	}
	return out
}
