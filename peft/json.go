package peft

import "encoding/json"

// jsonMarshal and jsonUnmarshal keep the encoding/json import in one place for
// the small custom (un)marshalers of the config types.
func jsonMarshal(v any) ([]byte, error) { return json.Marshal(v) }

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }
