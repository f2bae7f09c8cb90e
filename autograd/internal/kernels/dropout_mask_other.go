//go:build !amd64 || purego

package kernels

// dropoutMaskAsm is never called off amd64 (or with the purego build tag).
func dropoutMaskAsm(lanes *DropoutLanes, threshold uint32, scale float32, x, mask, out []float32) int {
	return 0
}
