package peft

import (
	"math"
	"path/filepath"
	"testing"

	"github.com/turinglab/turinglab/autograd"
	"github.com/turinglab/turinglab/bert"
	"github.com/turinglab/turinglab/nn"
	"github.com/turinglab/turinglab/train"
)

// TestSVDLinearByHand checks y = xWᵀ + (x (A⊙E)ᵀ Bᵀ)·α/(ranknum+1e-5) and the
// merge.
func TestSVDLinearByHand(t *testing.T) {
	base := nn.LinearFrom(autograd.Eye(2), nil)
	l := &SVDLinear{Base: base, Triplets: map[string]*SVDTriplet{}}
	l.addTriplet("a", 1, 1, 2, 0, true, autograd.NewRNG(0))
	tr := l.Triplets["a"]
	if tr.E.Data()[0] != 0 {
		t.Fatal("E must start at zero")
	}
	copy(tr.A.Data(), []float32{1, 2})
	copy(tr.E.Data(), []float32{3})
	copy(tr.B.Data(), []float32{1, 0})
	l.setActive("a")
	// x (A⊙E)ᵀ = (1+2)·3 = 9; ·Bᵀ = [9, 0]; ·2/(1+1e-5).
	f := 2 / (1 + 1e-5)
	y := l.Forward(autograd.New([]float32{1, 1}, 1, 2)).Data()
	if math.Abs(float64(y[0])-(1+9*f)) > 1e-4 || y[1] != 1 {
		t.Fatalf("SVDLinear forward %v, want [%g 1]", y, 1+9*f)
	}
	if err := l.merge("a"); err != nil {
		t.Fatal(err)
	}
	if w := base.Weight.Data(); math.Abs(float64(w[0])-(1+3*f)) > 1e-4 || math.Abs(float64(w[1])-6*f) > 1e-4 {
		t.Fatalf("merged weight %v", w)
	}
}

// TestAdaLoraBudgetSchedule checks the cubic schedule on hand-computed values.
func TestAdaLoraBudgetSchedule(t *testing.T) {
	c := NewAdaLoraConfig(20)
	c.Tinit, c.Tfinal, c.DeltaT = 2, 3, 5
	r := &RankAllocator{Config: c, initBgt: 48, targetBgt: 32}
	for _, tc := range []struct {
		step, budget int
		mask         bool
	}{
		{0, 48, false}, {2, 48, false},
		// step 10: 1 − 8/15 = 0.4667; 16·0.4667³ = 1.626; 32 + 1.626 → 33; 10 % 5 == 0.
		{10, 33, true},
		// step 3: 1 − 1/15; 16·0.9333³ = 13.01 → 45; 3 % 5 ≠ 0.
		{3, 45, false},
		{17, 32, false}, {18, 32, true}, {19, 32, true},
	} {
		b, m := r.BudgetSchedule(tc.step)
		if b != tc.budget || m != tc.mask {
			t.Errorf("step %d: budget %d mask %v, want %d %v", tc.step, b, m, tc.budget, tc.mask)
		}
	}
}

// TestRankAllocatorByHand checks the importance EMAs, the triplet scores and
// the masking on one 2-rank triplet with hand-set gradients.
func TestRankAllocatorByHand(t *testing.T) {
	base := nn.LinearFrom(autograd.Eye(2), nil)
	l := &SVDLinear{Base: base, Triplets: map[string]*SVDTriplet{}}
	l.addTriplet("a", 2, 2, 1, 0, true, autograd.NewRNG(0))
	tr := l.Triplets["a"]
	copy(tr.A.Data(), []float32{1, 1, 2, 2})
	copy(tr.E.Data(), []float32{1, 1})
	copy(tr.B.Data(), []float32{1, 3, 1, 3})
	tr.A.SetGrad(autograd.New([]float32{1, 1, 1, 1}, 2, 2))
	tr.E.SetGrad(autograd.New([]float32{2, 4}, 2, 1))
	tr.B.SetGrad(autograd.New([]float32{1, 1, 1, 1}, 2, 2))
	c := NewAdaLoraConfig(10)
	c.Beta1, c.Beta2 = 0.5, 0.5
	r := newRankAllocator("a", c, []adapterLayer{{path: "q", layer: l}})
	r.updateImportance()
	// |θ·g| for E = [2, 4]; Ī = 0.5·I = [1, 2]; Ū = 0.5·|I − Ī| = [0.5, 1];
	// score(E) = [0.5, 2].
	if s0, s1 := r.score(tr.E, 0), r.score(tr.E, 1); s0 != 0.5 || s1 != 2 {
		t.Fatalf("E scores %g %g, want 0.5 2", s0, s1)
	}
	// A row k: |θ| = [1,1] / [2,2] → Ī = [.5,.5]/[1,1], Ū = [.25,.25]/[.5,.5]:
	// scores .125 / .5, row means .125 / .5. B column k: column 0 = [1,1] →
	// .125 each (mean .125); column 1 = [3,3] → Ī 1.5, Ū .75, score 1.125.
	got := r.tripletScores(tr)
	want := []float64{0.5 + 0.125 + 0.125, 2 + 0.5 + 1.125}
	if math.Abs(got[0]-want[0]) > 1e-9 || math.Abs(got[1]-want[1]) > 1e-9 {
		t.Fatalf("triplet scores %v, want %v", got, want)
	}
	// Budget 1 of 2: the lower singular value (0) is masked.
	p := r.maskToBudget(1)
	if k := p["q.lora_E"]; len(k) != 2 || k[0] || !k[1] || tr.E.Data()[0] != 0 || tr.E.Data()[1] != 1 {
		t.Fatalf("pattern %v, E %v", k, tr.E.Data())
	}
}

// TestOrthRegularizationByHand checks mean of ‖AAᵀ−I‖_F and ‖BᵀB−I‖_F.
func TestOrthRegularizationByHand(t *testing.T) {
	m, _ := tinyBert(t, 31)
	c := NewAdaLoraConfig(10)
	c.TargetModules = TargetRegex(`bert\.encoder\.layer\.0\.attention\.self\.query`)
	c.InitR = 1
	pm, err := New(m, c)
	if err != nil {
		t.Fatal(err)
	}
	l := moduleAt(t, m, "bert.encoder.layer.0.attention.self.query").(*SVDLinear)
	tr := l.Triplets[DefaultAdapterName]
	for i := range tr.A.Data() {
		tr.A.Data()[i], tr.B.Data()[i] = 0, 0
	}
	tr.A.Data()[0] = 2 // AAᵀ = 4: |4 − 1| = 3
	tr.B.Data()[0] = 1 // BᵀB = 1: 0
	if got := pm.orthRegularization(pm.adapters[DefaultAdapterName]).Item(); math.Abs(float64(got)-1.5) > 1e-6 {
		t.Fatalf("orth regularisation %g, want (3 + 0)/2 = 1.5", got)
	}
}

// TestAdaLoraTrainsPrunesAndRoundTrips trains with NewTrainer (which runs the
// allocator by itself), checks the final budget and masked singular values,
// saves (pruned ranks, rank pattern in the config) and loads back, including
// a matrix pruned to rank 0.
// adaLoraRun is a small AdaLoRA schedule (ranks 4 → 2, pruning between
// steps 2 and maxSteps-4) on the sentiment task: the task, the config, the
// PEFT model and NewTrainer's Trainer for maxSteps steps.
func adaLoraRun(t *testing.T, maxSteps int) (*train.SequenceClassificationTask, *AdaLoraConfig, *Model, *train.Trainer) {
	t.Helper()
	task := sentimentTask(t, 64)
	c := NewAdaLoraConfig(maxSteps)
	c.InitR, c.TargetR, c.Tinit, c.Tfinal, c.DeltaT = 4, 2, 2, 4, 2
	pm, err := New(task.Model, c)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := NewTrainer(pm, task, train.Config{MaxSteps: maxSteps, BatchSize: 8, LearningRate: 1e-2, Quiet: true, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	return task, c, pm, tr
}

func TestAdaLoraTrainsPrunesAndRoundTrips(t *testing.T) {
	task, c, pm, tr := adaLoraRun(t, 12)
	hist, err := tr.Train()
	if err != nil {
		t.Fatal(err)
	}
	if len(hist.Steps) != 12 {
		t.Fatalf("%d steps", len(hist.Steps))
	}
	alloc := pm.Allocator(DefaultAdapterName)
	if len(c.RankPattern) != 0 {
		t.Errorf("training wrote rank_pattern into the caller's config: %v", c.RankPattern)
	}
	c = pm.AdapterConfig(DefaultAdapterName).(*AdaLoraConfig) // the adapter's own copy, which training updates
	if len(alloc.Budgets) != 12 || alloc.Budgets[0] != 16 || alloc.Budgets[11] != 8 {
		t.Errorf("budgets %v: want 12 entries from 16 to 8", alloc.Budgets)
	}
	total := 0
	for path, r := range alloc.RankPattern() {
		total += r
		l := moduleAt(t, task.Model, path).(*SVDLinear)
		keep := c.RankPattern[path+".lora_E"]
		for k, e := range l.Triplets[DefaultAdapterName].E.Data() {
			if !keep[k] && e != 0 {
				t.Errorf("%s: masked singular value %d is %g", path, k, e)
			}
		}
	}
	if total != 8 {
		t.Errorf("final total rank %d, want target_r·4 = 8", total)
	}
	// Force one matrix to rank 0 to check that it saves and loads.
	c.RankPattern["bert.encoder.layer.0.attention.self.query.lora_E"] = []bool{false, false, false, false}
	alloc.maskWithPattern(c.RankPattern)
	in, _, err := task.Batch(task.Dev, []int{0, 1, 2})
	if err != nil {
		t.Fatal(err)
	}
	pm.SetTraining(false)
	want := logits(t, task.Model, in)
	dir := t.TempDir()
	if err := pm.SavePretrained(dir); err != nil {
		t.Fatal(err)
	}
	sd, _, err := nn.ReadSafetensors(filepath.Join(dir, WeightsFileName))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range sd {
		if path, ok := keyLayer(p.Name, "lora_A"); ok {
			if r := alloc.RankPattern()[path]; p.Tensor.Size(0) != r || r == 0 {
				t.Errorf("%s saved with %d ranks, pattern says %d", p.Name, p.Tensor.Size(0), r)
			}
		}
	}
	cfg, err := LoadConfig(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.(*AdaLoraConfig).RankPattern) != 4 {
		t.Errorf("rank_pattern not saved: %v", cfg.(*AdaLoraConfig).RankPattern)
	}
	fresh := sentimentTask(t, 64)
	pm2, err := FromPretrained(fresh.Model, dir, false)
	if err != nil {
		t.Fatal(err)
	}
	_ = pm2
	fresh.Model.SetTraining(false)
	// The head was trained too; the fresh base has the same initial weights.
	if d := maxDiff(want, logits(t, fresh.Model, in)); d > 1e-5 {
		t.Errorf("reloaded AdaLoRA logits differ by %g", d)
	}
	q := moduleAt(t, fresh.Model, "bert.encoder.layer.0.attention.self.query").(*SVDLinear)
	if tr := q.Triplets[DefaultAdapterName]; tr.CurrentR != 0 || tr.Ranknum.Item() != 4 {
		t.Errorf("rank-0 matrix loaded with rank %d, ranknum %g", tr.CurrentR, tr.Ranknum.Item())
	}
}

// TestAdaLoraGradients checks that the orthogonal regularisation is in the
// loss and gradients reach only A, E, B and the head.
func TestAdaLoraGradients(t *testing.T) {
	m, in := tinyBert(t, 32)
	c := NewAdaLoraConfig(10)
	c.InitLoraWeights = LoraInitRandom
	pm, err := New(m, c)
	if err != nil {
		t.Fatal(err)
	}
	pm.SetTraining(true)
	with, err := pm.Forward(in, &bert.SequenceLabels{Classes: []int{0, 2}})
	if err != nil {
		t.Fatal(err)
	}
	plain, err := m.Forward(in, &bert.SequenceLabels{Classes: []int{0, 2}})
	if err != nil {
		t.Fatal(err)
	}
	pm.SetTraining(false)
	reg := pm.orthRegularization(pm.adapters[DefaultAdapterName]).Item() * 0.5
	if d := with.Loss.Item() - plain.Loss.Item(); reg <= 0 || math.Abs(float64(d-reg)) > 1e-3*float64(reg) {
		t.Errorf("loss difference %g, want 0.5·orth = %g", d, reg)
	}
	checkGradientsOnlyTrainable(t, pm, with.Loss)
}
