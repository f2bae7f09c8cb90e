package peft

import (
	"fmt"
	"regexp"
	"strings"
)

// Targets says which modules a method adapts, as PEFT's target_modules does:
// either a list of names, each matching a module whose dotted path equals it or
// ends with "." + it ("query" matches "bert.encoder.layer.0.attention.self.query"),
// or one regular expression that must match the whole path. In
// adapter_config.json it is a JSON list or a JSON string, as in PEFT.
type Targets struct {
	Names []string // suffix names (used when Regex is empty)
	Regex string   // a full-match regular expression
}

// TargetNames builds a suffix-name target list.
func TargetNames(names ...string) Targets { return Targets{Names: names} }

// TargetRegex builds a regular-expression target.
func TargetRegex(re string) Targets { return Targets{Regex: re} }

// Empty reports whether no target is set.
func (t Targets) Empty() bool { return t.Regex == "" && len(t.Names) == 0 }

// Match reports whether the module at path is a target (PEFT's
// check_target_module_exists).
func (t Targets) Match(path string) (bool, error) {
	if t.Regex != "" {
		re, err := regexp.Compile("^(?:" + t.Regex + ")$")
		if err != nil {
			return false, fmt.Errorf("peft: target_modules regex %q: %w", t.Regex, err)
		}
		return re.MatchString(path), nil
	}
	for _, n := range t.Names {
		if path == n || strings.HasSuffix(path, "."+n) {
			return true, nil
		}
	}
	return false, nil
}

// MarshalJSON writes a list, or a string for a regex, as PEFT does.
func (t Targets) MarshalJSON() ([]byte, error) {
	if t.Regex != "" {
		return jsonMarshal(t.Regex)
	}
	if t.Names == nil {
		return []byte("null"), nil
	}
	return jsonMarshal(t.Names)
}

// UnmarshalJSON reads a list, a string (regex) or null.
func (t *Targets) UnmarshalJSON(b []byte) error {
	*t = Targets{}
	s := strings.TrimSpace(string(b))
	switch {
	case s == "null":
		return nil
	case strings.HasPrefix(s, "\""):
		return jsonUnmarshal(b, &t.Regex)
	default:
		return jsonUnmarshal(b, &t.Names)
	}
}

// String shows the target as PEFT's config repr would.
func (t Targets) String() string {
	if t.Regex != "" {
		return fmt.Sprintf("%q", t.Regex)
	}
	return fmt.Sprintf("%q", t.Names)
}
