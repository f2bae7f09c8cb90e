package interpret

import (
	"fmt"

	"gonum.org/v1/gonum/integrate/quad"
)

// The integration rules of captum's approximation_methods: IG approximates
// ∫₀¹ ∂F/∂x(x' + α(x−x')) dα by Σₖ wₖ · ∂F/∂x(x' + αₖ(x−x')).
const (
	RiemannLeft      = "riemann_left"
	RiemannRight     = "riemann_right"
	RiemannMiddle    = "riemann_middle"
	RiemannTrapezoid = "riemann_trapezoid"
	GaussLegendre    = "gausslegendre" // captum's default
)

// IntegrationRule returns the points αₖ in [0, 1] and the weights wₖ of the
// named rule with n points, as captum computes them: the Riemann rules use
// step 1/n (the trapezoid n−1 intervals with half weights at the ends),
// Gauss–Legendre the n-point Legendre nodes mapped from [−1, 1] to [0, 1].
func IntegrationRule(method string, n int) (alphas, weights []float64, err error) {
	if n < 1 {
		return nil, nil, fmt.Errorf("interpret: integration needs at least 1 step, got %d", n)
	}
	alphas, weights = make([]float64, n), make([]float64, n)
	switch method {
	case RiemannLeft, RiemannRight, RiemannMiddle:
		shift := map[string]float64{RiemannLeft: 0, RiemannRight: 1, RiemannMiddle: 0.5}[method]
		for k := range alphas {
			alphas[k] = (float64(k) + shift) / float64(n)
			weights[k] = 1 / float64(n)
		}
	case RiemannTrapezoid:
		if n < 2 {
			return nil, nil, fmt.Errorf("interpret: the trapezoid rule needs at least 2 steps, got %d", n)
		}
		for k := range alphas {
			alphas[k] = float64(k) / float64(n-1)
			weights[k] = 1 / float64(n-1)
		}
		weights[0] /= 2
		weights[n-1] /= 2
	case GaussLegendre, "":
		quad.Legendre{}.FixedLocations(alphas, weights, 0, 1)
	default:
		return nil, nil, fmt.Errorf("interpret: unknown integration method %q (want %s, %s, %s, %s or %s)",
			method, RiemannLeft, RiemannRight, RiemannMiddle, RiemannTrapezoid, GaussLegendre)
	}
	return alphas, weights, nil
}
