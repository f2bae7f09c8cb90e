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
// Where to find things (one concept per file):
//
//   - tensor.go: the Tensor type, its accessors, Contiguous/Clone/Detach;
//     shape.go: strides and broadcasting arithmetic;
//   - create.go, random.go: making tensors (New, Zeros, Arange, Eye, ...) and
//     the seeded RNG (RandN, Uniform, ...);
//   - view.go: views that share storage (Reshape, Permute, Transpose, Expand,
//     Slice, Select, ...); concat.go (Cat, Stack, Split, Chunk); index.go
//     (IndexSelect, Gather);
//   - binary.go, unary.go, activation.go, where.go, compare.go: elementwise math
//     with broadcasting, activations (GELU, SiLU, ...), Where/MaskedFill, masks;
//   - reduce.go (Sum, Mean, Var, Std, Norm, SumToSize), maxmin.go (Amax, MaxDim,
//     ArgMax, ...);
//   - matmul.go (batched MatMul), linear.go (x·Wᵀ + b);
//   - softmax.go, layernorm.go, dropout.go, embedding.go, crossentropy.go,
//     bce.go, mse.go, loss.go: the neural-network ops, each with its backward;
//   - graph.go (nodes, NoGrad), backward.go (Backward: the chain rule over the
//     graph), inplace.go (the no-grad update step), gradcheck.go (numerical
//     gradient checking);
//   - format.go: printing like torch, and rich display in notebooks.
//
// Every op computes its forward value and then calls record with a closure that
// maps the output's gradient to its inputs' gradients; reading one op's file
// shows both directions side by side.
//
// Shapes follow PyTorch: negative dims count from the end, shape errors panic
// with a message naming the op and the shapes involved.
package autograd
