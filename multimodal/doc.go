// Package multimodal teaches how language models grow beyond text: it
// generates its own small image and audio data sets with captions, encodes
// pictures and sounds with the same transformer blocks as BERT, and trains
// two kinds of multimodal model on them.
//
// Read the files in this order:
//
//   - shapes_images.go: 32×32 pictures of coloured shapes (single objects,
//     counts, pairs with a spatial relation), their captions and hard
//     negatives; questions.go: question/answer pairs about them.
//   - audio_clips.go: short mono clips (tones, chords, chirps, noise bursts,
//     rhythms) with captions; wav.go: WAV bytes and a playable <audio> tag.
//   - spectrogram.go: the short-time Fourier transform (gonum's dsp/fourier),
//     log and log-mel spectrograms, and the mel filter bank.
//   - patch_embedding.go, patch_encoder.go: ViT-style patches → linear →
//     [CLS] + position embeddings → bert.Encoder → pooled output;
//     image_encoder.go and audio_encoder.go cut images and spectrograms into
//     patches for it.
//   - text_encoder.go: a BERT (the course's small one, or a tiny fresh one)
//     with mean pooling over the caption tokens.
//   - contrastive.go: CLIP-style dual encoders: projection heads, normalised
//     embeddings, a learnable temperature and the symmetric cross-entropy.
//   - fusion.go: a single encoder over [text tokens ; image/audio tokens]
//     with modality-type embeddings and an answer head (question answering);
//     cross_attention.go: the cross-attention block of its other variant,
//     where the question tokens attend to separately encoded media tokens.
//   - training.go: the training loops (progress bar, stop button).
//   - retrieval.go, zero_shot.go: recall@k, zero-shot classification by
//     caption similarity, the hard-negative (relation swap) test, the fusion
//     model's accuracy per question kind; attributes.go: the attribute
//     classes behind zero-shot accuracy and confusion matrices.
//
// The text tower can be the course's pretrained small BERT
// (recipes.LoadOrPretrain, then NewTextEncoder(model.Bert, tok)), adapted with
// LoRA from package peft (peft.New on the *bert.Model freezes it and makes
// only the adapters trainable), or a tiny BERT trained from scratch on a
// CaptionTokenizer vocabulary, which is what the tests and notebook 13 use
// when no checkpoint is cached.
//
// Everything per element (drawing, synthesis, spectrograms, batching) is
// compiled Go here, never a loop in a notebook cell, and every generator is
// deterministic for its seed.
package multimodal
