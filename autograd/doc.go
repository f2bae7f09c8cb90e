// Package autograd is turinglab's tensor library: float32 n-dimensional arrays
// with NumPy/PyTorch broadcasting and reverse-mode automatic differentiation.
//
// Every operation that involves a tensor with requires-grad set records a node in
// a graph (unless gradients are disabled with NoGrad). Calling Backward on a
// scalar result walks that graph in reverse topological order and accumulates
// d(result)/d(leaf) into the Grad of every leaf that requires gradients, exactly
// as PyTorch does: gradients add up across Backward calls until ZeroGrad, only
// leaves keep their gradient (unless RetainGrad is called), and the graph is freed
// after one backward pass.
//
// Files are organised one concept per file: tensor.go (the type), create.go and
// random.go (making tensors), view.go (reshape, permute, slicing without copying),
// binary.go/unary.go/activation.go (elementwise math), reduce.go (sums, means,
// max/min, variance, norms), matmul.go and linear.go, and one file per neural
// network op (softmax.go, layernorm.go, dropout.go, embedding.go,
// crossentropy.go, ...). graph.go and backward.go hold the autodiff engine itself,
// gradcheck.go the numerical gradient checker.
//
// Shapes follow PyTorch: negative dims count from the end, shape errors panic
// with a message naming the op and the shapes involved.
package autograd
