package main

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/turinglab/turinglab/data"
	"github.com/turinglab/turinglab/tokenizer"
	"github.com/turinglab/turinglab/train"
)

// exportHeader describes the files exportInstances writes, for a reader in
// another framework (bench/mlm_plateau_torch.py). Every .i16 file is a flat
// little-endian int16 array in row-major order.
type exportHeader struct {
	VocabSize      int    `json:"vocab_size"`
	PadID          int    `json:"pad_id"`
	SeqLen         int    `json:"seq_len"`         // columns of the id, segment and mask arrays
	MaxPredictions int    `json:"max_predictions"` // columns of the masked position and label arrays (-1 pads)
	Train          int    `json:"train"`           // training instances
	HeldOut        int    `json:"held_out"`        // held-out instances (the ones Evaluate scores)
	Epochs         int    `json:"epochs"`          // epochs of training masks and batches
	BatchSize      int    `json:"batch_size"`
	BatchSeed      uint64 `json:"batch_seed"` // the batches of epoch e were drawn with seed BatchSeed+e
	Files          string `json:"files"`
}

// exportFiles documents the layout in the header itself.
const exportFiles = "vocab.txt; {train,heldout}_{segments,attention}.i16 [n, seq_len]; {train,heldout}_nsp.i16 [n]; " +
	"heldout_{ids,positions,labels}.i16; train_{ids,positions,labels}_e<epoch>.i16 (ids [n, seq_len], positions and labels [n, max_predictions], -1 padded); " +
	"batches_e<epoch>.json (the Trainer's batches of instance indices, in order)"

// exportInstances writes the vocabulary, the held-out instances and, for
// each of the first epochs, the training instances with that epoch's masks
// exactly as train.PretrainingTask feeds them (epoch 0 the instances' own
// masks, epoch e > 0 data.RemaskInstances with the task's Masking and e, as
// BeginEpoch does) and the Trainer's batch order of that epoch (length
// bucketed with seed cfg.Seed+e), so that another framework can train on the
// very same data.
func exportInstances(dir string, epochs int, pt *train.PretrainingTask, tok *tokenizer.BertTokenizer, cfg train.Config) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "vocab.txt"), []byte(joinLines(tok.Vocab.Tokens())), 0o644); err != nil {
		return err
	}
	seq := 0
	for _, inst := range append(append([]data.PretrainingInstance(nil), pt.Train...), pt.Dev...) {
		seq = max(seq, len(inst.Tokens))
	}
	maxPred := pt.Masking.MaxPredictionsPerSeq
	// write writes <split>_{ids,positions,labels}<suffix>.i16 and, with
	// withStatic, the arrays no epoch changes.
	write := func(split, suffix string, instances []data.PretrainingInstance, withStatic bool) error {
		ids, segments, attention, positions, labels, nsp, err := exportArrays(pt, instances, seq, maxPred)
		if err != nil {
			return err
		}
		files := map[string][]int16{split + "_ids" + suffix: ids, split + "_positions" + suffix: positions, split + "_labels" + suffix: labels}
		if withStatic {
			files[split+"_segments"], files[split+"_attention"], files[split+"_nsp"] = segments, attention, nsp
		}
		for f, v := range files {
			if err := writeInt16(filepath.Join(dir, f+".i16"), v); err != nil {
				return err
			}
		}
		return nil
	}
	if err := write("heldout", "", pt.Dev, true); err != nil {
		return err
	}
	lengths := make([]int, len(pt.Train))
	for i, inst := range pt.Train {
		lengths[i] = len(inst.Tokens)
	}
	for e := 0; e < epochs; e++ {
		instances := pt.Train
		if e > 0 && !pt.StaticMasks {
			instances = data.RemaskInstances(pt.Train, pt.Vocab.Tokens(), pt.Masking, e)
		}
		if err := write("train", fmt.Sprintf("_e%d", e), instances, e == 0); err != nil {
			return err
		}
		batches := data.LengthBucketedBatches(lengths, cfg.BatchSize, cfg.Seed+uint64(e))
		b, err := json.Marshal(batches)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("batches_e%d.json", e)), b, 0o644); err != nil {
			return err
		}
	}
	pad, _ := tok.Vocab.ID("[PAD]")
	h := exportHeader{VocabSize: tok.Vocab.Size(), PadID: pad, SeqLen: seq, MaxPredictions: maxPred, Train: len(pt.Train),
		HeldOut: len(pt.Dev), Epochs: epochs, BatchSize: cfg.BatchSize, BatchSeed: cfg.Seed, Files: exportFiles}
	b, err := json.MarshalIndent(h, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "header.json"), b, 0o644)
}

// exportArrays turns instances into the model's inputs with
// PretrainingTask.Batch (padded to seq) and the masked positions and labels
// read back from its MLM labels, so the export is what the model sees.
func exportArrays(pt *train.PretrainingTask, instances []data.PretrainingInstance, seq, maxPred int) (ids, segments, attention, positions, labels, nsp []int16, err error) {
	n := len(instances)
	ids, segments, attention = make([]int16, n*seq), make([]int16, n*seq), make([]int16, n*seq)
	positions, labels, nsp = make([]int16, n*maxPred), make([]int16, n*maxPred), make([]int16, n)
	for i := range positions {
		positions[i], labels[i] = -1, -1
	}
	pad, _ := pt.Vocab.ID("[PAD]")
	for i := range instances {
		in, lab, err := pt.Batch(instances, []int{i})
		if err != nil {
			return nil, nil, nil, nil, nil, nil, err
		}
		k := 0
		for t := 0; t < seq; t++ {
			if t >= in.SeqLen {
				ids[i*seq+t] = int16(pad)
				continue
			}
			ids[i*seq+t], segments[i*seq+t], attention[i*seq+t] = int16(in.InputIDs[t]), int16(in.TokenTypeIDs[t]), int16(in.AttentionMask[t])
			if lab.MLM[t] != data.IgnoreLabel {
				if k == maxPred {
					return nil, nil, nil, nil, nil, nil, fmt.Errorf("instance %d: more than %d masked positions", i, maxPred)
				}
				positions[i*maxPred+k], labels[i*maxPred+k] = int16(t), int16(lab.MLM[t])
				k++
			}
		}
		nsp[i] = int16(lab.NSP[0])
	}
	return ids, segments, attention, positions, labels, nsp, nil
}

// writeInt16 writes v as little-endian int16.
func writeInt16(path string, v []int16) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := binary.Write(f, binary.LittleEndian, v); err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	return f.Close()
}

// joinLines is the tokens one a line.
func joinLines(tokens []string) string {
	b := make([]byte, 0, 8*len(tokens))
	for _, t := range tokens {
		b = append(b, t...)
		b = append(b, '\n')
	}
	return string(b)
}
