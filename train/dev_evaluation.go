package train

// noDevNote is what a task's Trainer says when there is nothing to evaluate on.
const noDevNote = "no Dev set: training without evaluation (no best model, no early stopping); score the model afterwards with the task's Report on held-out data"

// evaluatingOnDev gives a task's Trainer the task's evaluation when the task
// has devSize > 0 dev items; without any, the Trainer trains without
// evaluation and says so in a note. It returns t, so that a task's Trainer
// method ends with it.
func (t *Trainer) evaluatingOnDev(devSize int, evaluate EvalFunc) *Trainer {
	if devSize > 0 {
		t.Evaluate = evaluate
	} else {
		t.notes = append(t.notes, noDevNote)
	}
	return t
}
