// Package train is where models learn and are judged: one training loop for
// every model and head (epochs or steps, gradient accumulation, AdamW with a
// no-decay group, warmup schedules, clipping, evaluation, early stopping, best
// checkpoint, progress and a live loss curve, interrupt), and the metrics the
// course reports — accuracy, per-class precision/recall/F1 with the familiar
// classification report, confusion matrices, entity-level F1 for BIO tags, and
// perplexity.
//
// Pretraining masks dynamically by default (PretrainingTask: fresh masks
// every epoch), and a corpus larger than memory streams from disk
// (StreamingPretrainingTask over a data.PretrainingStream, a DataStream of
// the Trainer). Budgets, checkpoints and bit-exact resumption
// (Trainer.ResumeFromCheckpoint) work the same way for both.
package train
