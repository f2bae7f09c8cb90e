// Package atomicfile replaces files atomically: a reader (or a crash) sees
// either the old content or the complete new one, never half a file, and a
// failed write leaves the old file as it was and no temporary file behind.
//
// Every package that saves something (safetensors weights, BERT configs and
// vocabularies, PEFT configs, figures, the kernelspec) writes through it, so
// all saved files get the same steps and the same mode:
//
//  1. create a temporary file in the target's own folder (so the rename
//     below never crosses file systems);
//  2. write the content;
//  3. fsync the file, so its bytes are on disk before its name is;
//  4. chmod it to Mode (0644, what os.WriteFile gives under the usual umask;
//     os.CreateTemp alone would leave 0600);
//  5. rename it over the target;
//  6. fsync the folder, so the rename itself survives a crash.
//
// It sits at the bottom of the package stack and imports only the standard
// library, so any package of the module may use it.
package atomicfile
