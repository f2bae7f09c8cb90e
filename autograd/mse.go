package autograd

// MSE is the mean squared error (pred − target)², reduced by reduction ("mean",
// "sum" or "none"; "" means "mean"), as torch.nn.functional.mse_loss. Both
// inputs must have the same shape and both may require gradients.
func MSE(pred, target *Tensor, reduction string) *Tensor {
	checkSameShape("MSE", pred, target)
	d := pred.Sub(target)
	return reduceLoss("MSE", d.Mul(d), reduction)
}
