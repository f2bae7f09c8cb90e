// Package recipes holds the course's recipes: the models the notebooks train
// and cache, with their settings, built on package train. Each recipe is a
// struct of settings with a Default value and a LoadOr… function that reuses
// the model an earlier notebook saved under .cache or repeats the recipe when
// it is absent, so every notebook also runs alone:
//
//   - CourseRecipe and LoadOrPretrain: the small BERT pretrained on the
//     small-world corpus (notebook 06);
//   - SentimentRecipe and LoadOrFineTuneSentiment: that BERT fine-tuned on
//     the course's sentiment task (notebook 07), with NewClassifierFrom and
//     SaveClassifier;
//   - CourseGPTRecipe and LoadOrTrainGPT: the small GPT-2 (notebook 14);
//   - AdditionRecipe and LoadOrTrainAddition: a GPT-2 that learns to add
//     (notebook 15), with its task and its scoring (SolveAddition,
//     AdditionAccuracy);
//   - InContextGPTRecipe and LoadOrTrainInContextGPT: a GPT-2 that learns
//     to continue lists in context (notebook 15);
//   - OwnCorpusRecipe: pretraining and fine-tuning on a corpus of your own,
//     with the baselines it is compared to (notebook 16).
//
// Package train stays generic (the loop, the tasks, the metrics) and never
// imports this one.
package recipes
