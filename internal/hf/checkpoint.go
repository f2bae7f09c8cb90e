package hf

import (
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/turinglab/turinglab/nn"
	"github.com/turinglab/turinglab/safetensors"
)

// FromCheckpoint builds a model with build, switches it to evaluation mode
// (as from_pretrained returns it) and loads weights into it with nn's loader,
// opts completed by the family's key conventions (its HFLoadOptions). A
// build error comes back with an empty report naming the weights' file.
func FromCheckpoint[M nn.Module](weights *safetensors.File, opts nn.LoadOptions,
	conventions func(nn.Module, nn.LoadOptions) nn.LoadOptions, build func() (M, error)) (M, nn.LoadReport, error) {
	m, err := build()
	if err != nil {
		var none M
		return none, nn.LoadReport{Source: weights.Source()}, err
	}
	m.SetTraining(false)
	r, err := nn.LoadSafetensorsFrom(m, weights, conventions(m, opts))
	return m, r, err
}

// warned holds the newly-initialised warnings already written, so that a
// notebook that builds many models from one checkpoint on purpose (a new
// head for each experiment) reads it once.
var warned sync.Map

// WarnNewlyInitialized writes HF's warning about the weights a checkpoint
// did not hold (nothing when missing is empty) to w: class is the HF class
// name of the model, dir the checkpoint folder. The same warning (class,
// folder and weights) is written once per process.
func WarnNewlyInitialized(w io.Writer, class, dir string, missing []string) {
	if len(missing) == 0 {
		return
	}
	msg := fmt.Sprintf("Some weights of %s were not initialized from the model checkpoint at %s and are newly initialized: [%s]\n"+
		"You should probably TRAIN this model on a down-stream task to be able to use it for predictions and inference.\n",
		class, dir, strings.Join(missing, ", "))
	if _, done := warned.LoadOrStore(msg, true); done {
		return
	}
	fmt.Fprint(w, msg)
}
