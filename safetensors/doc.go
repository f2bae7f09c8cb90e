// Package safetensors reads and writes the safetensors file format, the format
// HuggingFace uses for model weights (model.safetensors, adapter_model.safetensors).
// It knows only about the file format: names, dtypes, shapes and bytes. It does not
// know about tensors or autograd, so every other package can use it.
//
// A safetensors file is laid out as follows:
//
//	[8 bytes]  N, the header length, a little-endian uint64
//	[N bytes]  a JSON object, padded with spaces so that 8+N is a multiple of 8:
//	           {"name": {"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]},
//	            ...,
//	            "__metadata__": {"format": "pt"}}
//	[rest]     the data section: each tensor's raw little-endian bytes, row-major,
//	           at [begin, end) relative to the start of the data section
//
// The tensors must tile the data section exactly: no overlaps, no gaps, no trailing
// bytes, and each tensor's byte count must equal its element count times its dtype's
// size. Open, Read and Parse check all of this and name the file and the tensor when
// something is wrong.
//
// Files are written with the tensors in sorted-name order, compact JSON with
// "__metadata__" last, and the header padded with spaces — byte for byte what
// PyTorch's safetensors writes for the files in testdata/. Save writes
// atomically (a temporary file in the same directory, fsync, rename), so a crash
// never leaves a half-written checkpoint behind.
package safetensors
