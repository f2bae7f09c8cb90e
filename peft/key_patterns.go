package peft

import (
	"fmt"
	"regexp"
	"sort"
)

// keyPatterns is a compiled rank_pattern or alpha_pattern: per-module
// overrides of r or lora_alpha, keyed by a module name or a regular
// expression. As in PEFT (get_pattern_key), a key applies to a module path
// when the whole path matches `(.*\.)?(key)$`, i.e. the key matches the
// path's last components. PEFT takes the first matching key in the dict's
// order; Go maps have none, so here the longest matching key (the most
// specific) wins, then the smallest in byte order.
type keyPatterns struct {
	keys   []string
	res    []*regexp.Regexp
	values []int
}

// compileKeyPatterns compiles every key of pattern once; field names the
// config field for the error ("LoraConfig.rank_pattern").
func compileKeyPatterns(field string, pattern map[string]int) (keyPatterns, error) {
	var p keyPatterns
	for k := range pattern {
		p.keys = append(p.keys, k)
	}
	sort.Slice(p.keys, func(i, j int) bool {
		a, b := p.keys[i], p.keys[j]
		if len(a) != len(b) {
			return len(a) > len(b)
		}
		return a < b
	})
	for _, k := range p.keys {
		re, err := regexp.Compile(`^(?:.*\.)?(?:` + k + `)$`)
		if err != nil {
			return keyPatterns{}, fmt.Errorf("peft: %s key %q is not a valid regular expression: %v", field, k, err)
		}
		p.res = append(p.res, re)
		p.values = append(p.values, pattern[k])
	}
	return p, nil
}

// lookup returns the value of the key that applies to path, if any.
func (p keyPatterns) lookup(path string) (int, bool) {
	for i, re := range p.res {
		if re.MatchString(path) {
			return p.values[i], true
		}
	}
	return 0, false
}
