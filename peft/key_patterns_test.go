package peft

import (
	"strings"
	"testing"
)

// TestRankAndAlphaPatterns checks PEFT's key matching (the key matches the
// path's last components, alternations included), that the defaults are
// filled in the adapter's copy and not in the caller's config, and that a
// key that is not a regular expression is an error naming it (it used to
// match nothing, silently).
func TestRankAndAlphaPatterns(t *testing.T) {
	m, _ := tinyBert(t, 61)
	c := NewLoraConfig()
	c.Bias, c.InitLoraWeights = "", ""
	c.RankPattern = map[string]int{"layer.1.attention.self.query": 2, "self.(key|value)": 4}
	c.AlphaPattern = map[string]int{"value": 16}
	pm, err := New(m, c)
	if err != nil {
		t.Fatal(err)
	}
	if c.Bias != "" || c.InitLoraWeights != "" || c.PeftType != TypeLoRA {
		t.Errorf("New changed the caller's config: bias %q, init %q", c.Bias, c.InitLoraWeights)
	}
	if got := pm.AdapterConfig(DefaultAdapterName).(*LoraConfig); got.Bias != "none" || got.InitLoraWeights != LoraInitDefault {
		t.Errorf("the adapter's config lacks the defaults: bias %q, init %q", got.Bias, got.InitLoraWeights)
	}
	for path, want := range map[string][2]float64{ // r, scaling
		"bert.encoder.layer.0.attention.self.query": {8, 1},
		"bert.encoder.layer.1.attention.self.query": {2, 4},
		"bert.encoder.layer.0.attention.self.value": {4, 4},
	} {
		l := moduleAt(t, m, path).(*LoraLinear)
		b := l.Branches[DefaultAdapterName]
		if r := b.A.Shape()[0]; r != int(want[0]) || b.R != r || float64(b.Scaling) != want[1] {
			t.Errorf("%s: r %d scaling %g, want r %g scaling %g", path, r, b.Scaling, want[0], want[1])
		}
	}

	bad := NewLoraConfig()
	bad.RankPattern = map[string]int{"query(": 2}
	m2, _ := tinyBert(t, 62)
	if _, err := New(m2, bad); err == nil || !strings.Contains(err.Error(), `rank_pattern key "query("`) {
		t.Errorf("a bad rank_pattern key gave %v", err)
	}
}
