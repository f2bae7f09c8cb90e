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
//   - buffer_pool.go: where tensors' storage comes from and when it is reused;
//   - format.go: printing like torch, and rich display in notebooks.
//
// Every op computes its forward value and then calls record with a closure that
// maps the output's gradient to its inputs' gradients; reading one op's file
// shows both directions side by side.
//
// Memory. Buffers that autograd can give back take their float32 storage from
// a pool of size classes and return to it, so that a training loop reuses the
// same memory step after step instead of allocating (and zeroing) every
// gradient afresh. What marks a buffer as free is a rule about who can still
// reach it: autograd recycles only buffers that nothing outside it can reach —
//
//   - the gradients flowing through Backward, once every gradient waiting in
//     the pass that shares the buffer (views, the same gradient sent to both
//     inputs of an Add) has been used; a Grad you read is always a copy, and
//     the gradient you pass to BackwardWith stays yours;
//   - what an op saved privately for its own backward pass (GELU's Φ(x),
//     Dropout's mask, LayerNorm's row statistics), right after that pass or at
//     once under NoGrad;
//   - an op's internal scratch space.
//
// Everything an op returns to you — a loss, logits, a hidden state a hook
// recorded, an attention map, a slice from Data — is yours: you may keep it
// as long as you like, and the garbage collector frees it when you drop it.
// A training loop that keeps nothing of a step can say so by calling
// BackwardAndRecycle instead of Backward: then the step's results (its
// activations) go back to the pool as well, and the next step's forward pass
// reuses their memory instead of allocating and zeroing it anew. Parameters
// and their Grad buffers never go back to the pool.
// buffer_pool.go has the details, and a switch that poisons recycled buffers
// with NaN to catch a broken rule in tests.
//
// Shapes follow PyTorch: negative dims count from the end, shape errors panic
// with a message naming the op and the shapes involved.
package autograd
