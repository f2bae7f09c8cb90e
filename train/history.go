package train

import (
	"fmt"
	"html"
	"sort"
	"strings"
	"time"

	"github.com/turinglab/turinglab/display"
	"github.com/turinglab/turinglab/plots"
)

// StepRecord is what one optimizer step measured.
type StepRecord struct {
	Step           int
	Epoch          float64 // fractional epoch at the end of the step
	Loss           float64 // mean training loss over the step's micro-batches
	LearningRate   float64 // the rate the step used
	GradNorm       float64 // global gradient norm before clipping
	ExamplesPerSec float64
}

// EvalRecord is one evaluation's metrics.
type EvalRecord struct {
	Step    int
	Epoch   float64
	Metrics map[string]float64
}

// History is what a training run returns: every step and every evaluation, the
// best evaluation, and how the run ended. It shows as a table of evaluations,
// and LossCurve plots it.
type History struct {
	Steps        []StepRecord
	Evals        []EvalRecord
	BestStep     int     // step of the best evaluation (0 if none)
	BestMetric   float64 // its value of Config.Metric
	Metric       string
	Interrupted  bool // stopped by the notebook's stop button
	StoppedEarly bool // stopped by early stopping
	// StoppedByBudget says Config.TimeBudget (Budget) ended the run before
	// its last step; resume it with Trainer.ResumeFromCheckpoint.
	StoppedByBudget bool
	Budget          time.Duration
	// ResumedFrom is the checkpoint this run went on from (at ResumedAtStep);
	// the history before it came from the checkpoint.
	ResumedFrom   string
	ResumedAtStep int
	// Checkpoints are the resumable checkpoints this run wrote, oldest first
	// (older ones may since have been removed by Config.SaveTotalLimit).
	Checkpoints []string
	// Notes are what the run told the user, e.g. that it had no dev set to
	// evaluate on.
	Notes []string
}

// Losses returns the training loss of every step, for plotting.
func (h *History) Losses() []float64 {
	out := make([]float64, len(h.Steps))
	for i, s := range h.Steps {
		out[i] = s.Loss
	}
	return out
}

// FirstEval returns the metrics of the first evaluation (nil if there was none).
func (h *History) FirstEval() map[string]float64 {
	if len(h.Evals) == 0 {
		return nil
	}
	return h.Evals[0].Metrics
}

// LastEval returns the metrics of the last evaluation (nil if there was none).
func (h *History) LastEval() map[string]float64 {
	if len(h.Evals) == 0 {
		return nil
	}
	return h.Evals[len(h.Evals)-1].Metrics
}

// EvalMetric returns the steps and values of one evaluation metric.
func (h *History) EvalMetric(name string) (steps, values []float64) {
	for _, e := range h.Evals {
		if v, ok := e.Metrics[name]; ok {
			steps = append(steps, float64(e.Step))
			values = append(values, v)
		}
	}
	return steps, values
}

// LossCurve plots the training loss per step (smoothed) and, when evaluations
// reported a "loss", the validation loss at their steps.
func (h *History) LossCurve() *plots.Line {
	fig := plots.NewLine("loss")
	fig.XLabel, fig.YLabel = "step", "loss"
	xs := make([]float64, len(h.Steps))
	for i, s := range h.Steps {
		xs[i] = float64(s.Step)
	}
	fig.Add("train", xs, h.Losses())
	if steps, values := h.EvalMetric("loss"); len(steps) > 0 {
		fig.Add("validation", steps, values)
	}
	return fig
}

// metricNames lists the evaluation metrics in a stable order.
func (h *History) metricNames() []string {
	seen := map[string]bool{}
	var names []string
	for _, e := range h.Evals {
		for k := range e.Metrics {
			if !seen[k] {
				seen[k] = true
				names = append(names, k)
			}
		}
	}
	sort.Strings(names)
	return names
}

// Summary is a one-line account of the run.
func (h *History) Summary() string {
	s := fmt.Sprintf("%d steps", len(h.Steps))
	if n := len(h.Steps); n > 0 {
		s += fmt.Sprintf(", final train loss %.4f", h.Steps[n-1].Loss)
	}
	if h.BestStep > 0 {
		s += fmt.Sprintf(", best %s %.4f at step %d", h.Metric, h.BestMetric, h.BestStep)
	}
	if h.ResumedFrom != "" {
		s += fmt.Sprintf(", resumed at step %d from %s", h.ResumedAtStep, h.ResumedFrom)
	}
	switch {
	case h.Interrupted:
		s += " (interrupted)"
	case h.StoppedEarly:
		s += " (stopped early)"
	case h.StoppedByBudget:
		s += fmt.Sprintf(" (stopped by the time budget of %v)", h.Budget)
	}
	if n := len(h.Checkpoints); n > 0 {
		s += fmt.Sprintf("; last checkpoint %s", h.Checkpoints[n-1])
	}
	for _, note := range h.Notes {
		s += "; note: " + note
	}
	return s
}

// String shows the summary and the evaluations as text.
func (h *History) String() string {
	return h.Summary() + "\n" + h.evalTable().String()
}

func (h *History) evalTable() display.TableValue {
	names := h.metricNames()
	header := append([]string{"step", "epoch"}, names...)
	var rows [][]any
	for _, e := range h.Evals {
		row := []any{e.Step, fmt.Sprintf("%.2f", e.Epoch)}
		for _, n := range names {
			row = append(row, e.Metrics[n])
		}
		rows = append(rows, row)
	}
	return display.Table(header, rows)
}

// MIMEBundle shows the summary above an HTML table of the evaluations.
func (h *History) MIMEBundle() display.Bundle {
	table := h.evalTable().MIMEBundle().Data[display.MIMEHTML].(string)
	return display.Bundle{Data: map[string]any{
		display.MIMEText: h.String(),
		display.MIMEHTML: "<p>" + html.EscapeString(h.Summary()) + "</p>" + strings.TrimSpace(table),
	}}
}
