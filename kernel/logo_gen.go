//go:build ignore

// logo_gen draws the kernel's logos (logo-32x32.png, logo-64x64.png) with
// image/png: a Go-blue disc holding a strip of Turing-machine tape, one cell
// marked by the read head. Run with `go generate ./kernel`.
package main

import (
	"image"
	"image/color"
	"image/png"
	"log"
	"math"
	"os"
)

func main() {
	for _, size := range []int{32, 64} {
		if err := write(size); err != nil {
			log.Fatal(err)
		}
	}
}

func write(size int) error {
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	blue := color.NRGBA{0x00, 0xAD, 0xD8, 0xFF}  // Go's brand blue
	dark := color.NRGBA{0x1A, 0x3D, 0x5C, 0xFF}  // tape cells
	white := color.NRGBA{0xFF, 0xFF, 0xFF, 0xFF} // tape
	head := color.NRGBA{0xFD, 0xDD, 0x00, 0xFF}  // the read head
	s := float64(size)
	c := s / 2
	for y := 0; y < size; y++ {
		for x := 0; x < size; x++ {
			fx, fy := float64(x)+0.5, float64(y)+0.5
			// Anti-aliased disc: coverage falls off over one pixel at the rim.
			d := math.Hypot(fx-c, fy-c)
			alpha := math.Max(0, math.Min(1, c-0.5-d+0.5))
			if alpha == 0 {
				continue
			}
			col := blue
			// The tape: a horizontal band across the middle third.
			if fy > s*0.38 && fy < s*0.62 && fx > s*0.08 && fx < s*0.92 {
				col = white
				cell := int((fx - s*0.08) / (s * 0.84 / 5))
				inner := math.Mod(fx-s*0.08, s*0.84/5)
				if inner > s*0.03 && inner < s*0.84/5-s*0.03 && fy > s*0.42 && fy < s*0.58 {
					col = dark
					if cell == 2 {
						col = head
					}
				}
			}
			col.A = uint8(alpha * 255)
			img.SetNRGBA(x, y, col)
		}
	}
	f, err := os.Create(fmtName(size))
	if err != nil {
		return err
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func fmtName(size int) string {
	if size == 32 {
		return "logo-32x32.png"
	}
	return "logo-64x64.png"
}
