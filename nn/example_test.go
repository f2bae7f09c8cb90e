package nn_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/nn"
)

// A two-layer perceptron: build it, look at it, and round-trip it through a
// safetensors checkpoint.
func Example() {
	rng := autograd.NewRNG(42)
	mlp := nn.NewSequential(
		nn.NewLinear(2, 8, true, rng),
		nn.NewReLU(),
		nn.NewLinear(8, 1, true, rng),
	)
	fmt.Println(mlp)
	for _, p := range nn.StateDict(mlp) {
		fmt.Println(p.Name, p.Tensor.Shape())
	}
	trainable, total := nn.CountParameters(mlp)
	fmt.Println("parameters:", total, "trainable:", trainable)

	y := mlp.Forward(autograd.New([]float32{0.5, -1}, 1, 2))
	fmt.Println("output shape:", y.Shape())

	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "model.safetensors")
	if err := nn.SaveSafetensors(mlp, path, nil); err != nil {
		fmt.Println(err)
	}
	twin := nn.NewSequential(nn.NewLinear(2, 8, true, rng), nn.NewReLU(), nn.NewLinear(8, 1, true, rng))
	report, err := nn.LoadSafetensors(twin, path, nn.LoadOptions{Strict: true})
	fmt.Println(report, err)
	// Output:
	// Sequential(
	//   (0): Linear(in_features=2, out_features=8, bias=True)
	//   (1): ReLU()
	//   (2): Linear(in_features=8, out_features=1, bias=True)
	// )
	// 0.weight [8 2]
	// 0.bias [8]
	// 2.weight [1 8]
	// 2.bias [1]
	// parameters: 33 trainable: 33
	// output shape: [1 1]
	// loaded 4 tensors from model.safetensors <nil>
}
