// Package peft is parameter-efficient fine-tuning with HuggingFace PEFT's
// semantics and file format: instead of updating all of a pretrained model's
// weights, freeze them and train a small number of new (or chosen) parameters.
//
// Methods: LoRA (lora_config.go, lora_layer.go, lora.go), AdaLoRA
// (adalora_*.go), IA3 (ia3.go), BitFit (bitfit.go), bottleneck adapters in the
// Houlsby and Pfeiffer placements (bottleneck.go), prefix tuning
// (prefix_tuning.go) and prompt tuning (prompt_tuning.go). The machinery they
// share: Model (model.go: several named adapters on one base; add, switch,
// disable, delete), modules_to_save (modules_to_save.go: the classification
// head trained and saved with each adapter), merging (lora.go), the
// trainable-parameter report (report.go) and adapter-only files
// (save_load.go): adapter_config.json with PEFT's field names and
// adapter_model.safetensors with PEFT's keys
// ("base_model.model.bert.encoder.layer.0.attention.self.query.lora_A.weight",
// no adapter name), which HF PEFT loads and which this package loads from
// PEFT.
//
// Like PEFT, the package is model-agnostic: LoRA, AdaLoRA, IA3, BitFit and
// bottleneck adapters find their targets by module path on any nn.Module
// tree (target_modules as suffixes or one regex, PEFT's
// check_target_module_exists) and wrap torch-layout nn.Linear and GPT-2's
// nn.Conv1D ([in, out], PEFT's fan_in_fan_out, set from the target's layout
// with a warning as PEFT does; affine.go). Prompt learning finds the BERT or
// GPT-2 transformer in the same tree (backbone.go). On a *gpt2.LMHeadModel
// (task_type CAUSAL_LM) ForwardCausalLM is PeftModelForCausalLM.forward:
// prefix tuning feeds its keys and values as past_key_values, prompt
// tuning its vectors as inputs_embeds (causal_lm.go); files carry GPT-2's
// keys ("base_model.model.transformer.h.0.attn.c_attn.lora_A.weight").
// testdata/make_gpt2_ref.py is the torch reference for GPT-2 (PEFT's
// lora.Linear on a Conv1D, merged weights, prefix and prompt tuning).
//
// A typical use:
//
//	cfg := peft.NewLoraConfig()           // r 8, alpha 8, query+value, SEQ_CLS
//	pm, err := peft.New(model, cfg)       // model is a *bert.ForSequenceClassification (or any nn.Module)
//	pm.PrintTrainableParameters()         // trainable params: ... || all params: ... || trainable%: ...
//	... train model (or pm) ...
//	pm.SavePretrained("adapter")          // adapter_config.json + adapter_model.safetensors
//
// Where this package differs from HF PEFT, and why:
//
//   - A wrapped layer keeps its base parameters under their original names
//     ("query.weight", not PEFT ≥ 0.7's "query.base_layer.weight"), so a base
//     checkpoint still loads into an adapted model. Saved adapter files are
//     unaffected (they hold only adapter tensors).
//   - Only the active adapter's parameters are trainable; PEFT leaves the
//     requires-grad flags of inactive adapters as they were.
//   - Methods cannot be mixed on one layer (PEFT needs PeftMixedModel for
//     that); adapters of different methods on different layers can coexist.
//   - IA3's default BERT targets are key, value and the feed-forward output
//     dense (layer.N.output.dense). PEFT's default list ["key", "value",
//     "output.dense"] also catches attention.output.dense by suffix; we follow
//     the paper (and this course's description) instead.
//   - BitFit and bottleneck adapters are not PEFT methods; they are saved in
//     the same layout with peft_type "BITFIT" and "BOTTLENECK", which HF PEFT
//     cannot load. A bottleneck adapter wraps the dense projection of
//     attention.output / output, so it runs after that projection and before
//     the dropout + residual + LayerNorm; adapter-hub applies it after the
//     dropout, which only matters in training mode.
//   - AdaLoRA's allocator is a train.StepHook attached by NewTrainer, so it
//     cannot be forgotten, and its orthogonal regularisation is added by
//     Model.Forward (whenever a loss is computed, as PEFT's forward does);
//     PEFT users call update_and_allocate(global_step) themselves. The hook
//     passes global_step = StepInfo.Step − 1 (PEFT's loops count from 0).
//   - Prefix tuning sets the key/value prefixes through bert's encoder hook
//     and KV-prefix seam, so the base model's own Forward (and the train
//     package's tasks) see them; as in HF, the sequence's positions start
//     after the prefix (past_key_values_length). A prefix trained with
//     prefix_projection is saved, as PEFT saves it, as the MLP's output
//     table, and loads back as a plain table (PEFT can only load it in
//     inference mode too).
//   - Prompt tuning changes the input length, so it needs Model.Forward
//     (NewTrainer, Evaluate and Predict use it). TEXT initialisation
//     tokenizes prompt_tuning_init_text with special tokens, as PEFT's
//     tokenizer call does, and takes the tokenizer from
//     PromptTuningConfig.Tokenizer instead of tokenizer_name_or_path.
//   - Saved files are read strictly: a missing, extra or mis-shaped tensor is
//     an error naming it, and nothing is changed (PEFT warns and goes on).
//
// Bridging to the trainer: NewTrainer builds a train.Trainer for an adapted
// sequence classifier; Evaluate and Predict measure it.
package peft
