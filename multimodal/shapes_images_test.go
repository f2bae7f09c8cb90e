package multimodal

import (
	"bytes"
	"image/png"
	"strings"
	"testing"
)

// pixelColor names the ColorValues entry at (x, y), or "" for background.
func pixelColor(sc *ShapeScene, x, y int) string {
	c := sc.Image.RGBAAt(x, y)
	for i, v := range ColorValues {
		if v == c {
			return ColorNames[i]
		}
	}
	return ""
}

// centroid is the mean position of the object's coloured pixels.
func centroid(sc *ShapeScene, col string) (float64, float64, int) {
	var sx, sy float64
	n := 0
	b := sc.Image.Bounds()
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			if pixelColor(sc, x, y) == col {
				sx, sy, n = sx+float64(x), sy+float64(y), n+1
			}
		}
	}
	return sx / float64(n), sy / float64(n), n
}

// TestShapeCaptionsMatchPictures checks, from the pixels alone, that every
// caption tells the truth: the named colour is drawn, at the named position
// or in the named relation, large objects cover more pixels than small ones,
// counts are the number of blobs; hard negatives differ from the caption.
func TestShapeCaptionsMatchPictures(t *testing.T) {
	scenes := GenerateShapes(300, ShapeOptions{Seed: 7})
	for i, sc := range scenes {
		for _, neg := range sc.HardNegatives {
			for _, c := range sc.Captions {
				if neg == c {
					t.Fatalf("scene %d: hard negative %q is also a true caption", i, neg)
				}
			}
		}
		o := sc.Objects[0]
		if !strings.Contains(sc.Caption, o.Color) || !strings.Contains(sc.Caption, o.Shape) {
			t.Fatalf("scene %d: caption %q does not name %s", i, sc.Caption, o.Name())
		}
		switch sc.Kind {
		case SceneSingle:
			x, y, n := centroid(sc, o.Color)
			if n == 0 {
				t.Fatalf("scene %d %q: no %s pixel", i, sc.Caption, o.Color)
			}
			ok := map[string]bool{"left": x < 12, "right": x > 20, "top": y < 12, "bottom": y > 20}[sc.Position]
			if !ok {
				t.Errorf("scene %d %q: centroid (%.1f, %.1f) is not on the %s", i, sc.Caption, x, y, sc.Position)
			}
			if (o.Size == "large") != (n > 60) {
				t.Errorf("scene %d %q: %d pixels for a %s object", i, sc.Caption, n, o.Size)
			}
			if sc.Caption != SingleCaption(o.Size, o.Color, o.Shape, sc.Position) {
				t.Errorf("scene %d: caption %q", i, sc.Caption)
			}
		case SceneCount:
			if len(sc.Objects) != sc.Count || !strings.HasPrefix(sc.Caption, CountWords[sc.Count-1]+" ") {
				t.Errorf("scene %d: %d objects, count %d, caption %q", i, len(sc.Objects), sc.Count, sc.Caption)
			}
			if blobs := countBlobs(sc, o.Color); blobs != sc.Count {
				t.Errorf("scene %d %q: %d blobs of %s", i, sc.Caption, blobs, o.Color)
			}
		case ScenePair:
			b := sc.Objects[1]
			if !strings.Contains(sc.Caption, " "+sc.Relation+" ") {
				t.Errorf("scene %d: caption %q lacks relation %q", i, sc.Caption, sc.Relation)
			}
			// the shape of object a, tested pixel by pixel at its centre
			if pixelColor(sc, o.X, o.Y) != o.Color || pixelColor(sc, b.X, b.Y) != b.Color {
				t.Fatalf("scene %d %q: centres are %q and %q", i, sc.Caption, pixelColor(sc, o.X, o.Y), pixelColor(sc, b.X, b.Y))
			}
			dx, dy := o.X-b.X, o.Y-b.Y
			ok := map[string]bool{"left of": dx < 0, "right of": dx > 0, "above": dy < 0, "below": dy > 0}[sc.Relation]
			if !ok {
				t.Errorf("scene %d %q: a-b offset (%d, %d)", i, sc.Caption, dx, dy)
			}
		}
	}
}

// countBlobs counts 4-connected regions of the colour.
func countBlobs(sc *ShapeScene, col string) int {
	size := sc.Image.Bounds().Dx()
	seen := make([]bool, size*size)
	blobs := 0
	for start := range seen {
		if seen[start] || pixelColor(sc, start%size, start/size) != col {
			continue
		}
		blobs++
		stack := []int{start}
		seen[start] = true
		for len(stack) > 0 {
			p := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			x, y := p%size, p/size
			for _, d := range [][2]int{{1, 0}, {-1, 0}, {0, 1}, {0, -1}} {
				nx, ny := x+d[0], y+d[1]
				q := ny*size + nx
				if nx >= 0 && ny >= 0 && nx < size && ny < size && !seen[q] && pixelColor(sc, nx, ny) == col {
					seen[q] = true
					stack = append(stack, q)
				}
			}
		}
	}
	return blobs
}

// TestShapesDeterministic: the same seed draws the same pixels and
// captions; another seed does not.
func TestShapesDeterministic(t *testing.T) {
	enc := func(seed uint64) (string, string) {
		sc := GenerateShapes(20, ShapeOptions{Seed: seed, Noise: 10})
		var b bytes.Buffer
		if err := png.Encode(&b, ImageGrid(SceneImages(sc), 5, 1)); err != nil {
			t.Fatal(err)
		}
		return b.String(), strings.Join(SceneCaptions(sc), "|")
	}
	a1, c1 := enc(3)
	a2, c2 := enc(3)
	b1, d1 := enc(4)
	if a1 != a2 || c1 != c2 {
		t.Fatal("the same seed gave different scenes")
	}
	if a1 == b1 || c1 == d1 {
		t.Fatal("different seeds gave the same scenes")
	}
}

// TestHeldOutCombinations: held-out colour–shape pairs never appear in the
// training draw, and only they appear in the held-out draw.
func TestHeldOutCombinations(t *testing.T) {
	held := []string{"green triangle", "blue circle"}
	for _, sc := range GenerateShapes(200, ShapeOptions{Seed: 1, HeldOut: held, Kinds: []string{SceneSingle}}) {
		if n := sc.Objects[0].Name(); n == held[0] || n == held[1] {
			t.Fatalf("held-out %q drawn in training data", n)
		}
	}
	for _, sc := range GenerateShapes(50, ShapeOptions{Seed: 1, HeldOut: held, OnlyHeldOut: true, Kinds: []string{SceneSingle}}) {
		if n := sc.Objects[0].Name(); n != held[0] && n != held[1] {
			t.Fatalf("%q drawn in the held-out set", n)
		}
	}
}

// TestImagesTensorAndPatches checks the [-1, 1] scaling and that patch p
// of ImagePatches holds the right pixels in (channel, y, x) order.
func TestImagesTensorAndPatches(t *testing.T) {
	sc := GenerateShapes(2, ShapeOptions{Seed: 5, Noise: 30})
	x := ImagesTensor(SceneImages(sc))
	if got := x.Shape(); len(got) != 4 || got[0] != 2 || got[1] != 3 || got[2] != 32 || got[3] != 32 {
		t.Fatalf("shape %v", got)
	}
	px := sc[1].Image.RGBAAt(13, 21)
	if v := x.At(1, 2, 21, 13); v != float32(px.B)/127.5-1 {
		t.Fatalf("blue at (13,21) = %v, pixel %v", v, px)
	}
	p := ImagePatches(x, 8)
	if got := p.Shape(); got[0] != 2 || got[1] != 16 || got[2] != 192 {
		t.Fatalf("patches shape %v", got)
	}
	// pixel (x=13, y=21) is in patch row 2, column 1 = patch 9, at (c, 5, 5)
	for c := 0; c < 3; c++ {
		if p.At(1, 9, c*64+5*8+5) != x.At(1, c, 21, 13) {
			t.Fatalf("channel %d: patch value %v, image %v", c, p.At(1, 9, c*64+5*8+5), x.At(1, c, 21, 13))
		}
	}
}

// TestAttributesOfCaptions: the attribute classes of the zero-shot
// candidates agree with the words of the captions, and with the scenes.
func TestAttributesOfCaptions(t *testing.T) {
	caps, _, _ := AllSingleCaptions()
	for _, attr := range []string{"colour", "shape", "size", "position"} {
		cls := CaptionAttribute(attr)
		for i, c := range caps {
			if !strings.Contains(c, AttributeNames(attr)[cls[i]]) {
				t.Fatalf("%s of %q is %q", attr, c, AttributeNames(attr)[cls[i]])
			}
		}
	}
	sc := GenerateShapes(20, ShapeOptions{Seed: 1, Kinds: []string{SceneSingle}})
	col := SceneAttribute(sc, "colour")
	for i, s := range sc {
		if ColorNames[col[i]] != s.Objects[0].Color {
			t.Fatalf("scene %d colour %d", i, col[i])
		}
	}
}
