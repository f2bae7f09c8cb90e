package hf

import (
	"os"
	"path/filepath"
)

// The file names of an HF checkpoint folder that both families share.
const (
	// ConfigFile is the model's configuration.
	ConfigFile = "config.json"
	// WeightsFile is the model's weights.
	WeightsFile = "model.safetensors"
)

// FileIn returns path itself when it is not a directory, and the file name
// inside it when it is: the rule by which every loader and saver of a
// checkpoint's file accepts either the file or its folder.
func FileIn(path, name string) string {
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return filepath.Join(path, name)
	}
	return path
}

// Exists reports whether the folder dir holds a file called name (optional
// files of a checkpoint: the tokenizer's, generation_config.json).
func Exists(dir, name string) bool {
	_, err := os.Stat(filepath.Join(dir, name))
	return err == nil
}
