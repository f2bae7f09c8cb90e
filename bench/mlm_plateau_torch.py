"""Is the masked-LM plateau of the own-corpus recipe ours, or the recipe's?

Trains, in plain PyTorch, the BERT of recipes.OwnCorpus30MinRecipe on the very
instances our pipeline makes: the same held-out instances, the same training
instances with the same dynamic masks epoch by epoch, and (by default) the
same batch order. Export them first from the repository root:

    go run ./bench/owncorpus -recipe 30min -pretrain-only -export-instances /tmp/h7/export -export-epochs 18

then run (one thread, so it shares the machine fairly):

    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/mlm_plateau_torch.py /tmp/h7/export --steps 250,500,1000,2000,4000

It prints the held-out MLM loss and accuracy and the NSP accuracy at each
step count, as bench/owncorpus -steps ... -pretrain-only does for ours.

The model follows Hugging Face's modeling_bert (BertForPreTraining): post-LN
blocks, erf GELU, LayerNorm eps 1e-12, dropout 0.1, a pooler and NSP head, a
tied MLM decoder with its own bias, weights drawn from N(0, 0.02). The MLM
head runs only at the masked positions (our MaskedOnly: the same loss). The
optimizer is torch.optim.AdamW with weight decay 0.01 on all but biases and
LayerNorm weights (HF's Trainer), linear warmup then constant, clipping at 1.

Variants (flags): --no-nsp trains on the MLM loss alone (RoBERTa), --lr,
--decay linear (linear decay to 0 at the last step), --batch (re-cuts the
exported epochs' order into larger batches), --shuffle (torch's own order).
Only numpy and torch are needed (no transformers).
"""

import argparse
import json
import math
import os
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


class Config:
    """The shape of recipes.OwnCorpus30MinRecipe's BERT."""

    def __init__(self, vocab_size, hidden=128, layers=2, heads=4, intermediate=256, max_positions=128):
        self.vocab_size, self.hidden, self.layers, self.heads = vocab_size, hidden, layers, heads
        self.intermediate, self.max_positions = intermediate, max_positions
        self.type_vocab = 2
        self.dropout = 0.1
        self.eps = 1e-12


class Embeddings(nn.Module):
    def __init__(self, c, pad_id):
        super().__init__()
        self.word = nn.Embedding(c.vocab_size, c.hidden, padding_idx=pad_id)
        self.position = nn.Embedding(c.max_positions, c.hidden)
        self.token_type = nn.Embedding(c.type_vocab, c.hidden)
        self.norm = nn.LayerNorm(c.hidden, eps=c.eps)
        self.drop = nn.Dropout(c.dropout)

    def forward(self, ids, types):
        positions = torch.arange(ids.shape[1], device=ids.device).unsqueeze(0)
        x = self.word(ids) + self.position(positions) + self.token_type(types)
        return self.drop(self.norm(x))


class Layer(nn.Module):
    """One post-LN transformer block, as HF's BertLayer."""

    def __init__(self, c):
        super().__init__()
        self.heads, self.head_dim = c.heads, c.hidden // c.heads
        self.q, self.k, self.v = (nn.Linear(c.hidden, c.hidden) for _ in range(3))
        self.attn_out = nn.Linear(c.hidden, c.hidden)
        self.attn_norm = nn.LayerNorm(c.hidden, eps=c.eps)
        self.up = nn.Linear(c.hidden, c.intermediate)
        self.down = nn.Linear(c.intermediate, c.hidden)
        self.out_norm = nn.LayerNorm(c.hidden, eps=c.eps)
        self.drop = nn.Dropout(c.dropout)

    def split(self, x):
        b, t, _ = x.shape
        return x.view(b, t, self.heads, self.head_dim).transpose(1, 2)

    def forward(self, x, additive_mask):
        q, k, v = self.split(self.q(x)), self.split(self.k(x)), self.split(self.v(x))
        scores = q @ k.transpose(-1, -2) / math.sqrt(self.head_dim) + additive_mask
        probs = self.drop(scores.softmax(-1))
        ctx = (probs @ v).transpose(1, 2).reshape(x.shape)
        x = self.attn_norm(x + self.drop(self.attn_out(ctx)))
        h = self.down(F.gelu(self.up(x)))
        return self.out_norm(x + self.drop(h))


class BertForPreTraining(nn.Module):
    def __init__(self, c, pad_id):
        super().__init__()
        self.emb = Embeddings(c, pad_id)
        self.layers = nn.ModuleList(Layer(c) for _ in range(c.layers))
        self.pool = nn.Linear(c.hidden, c.hidden)
        self.transform = nn.Linear(c.hidden, c.hidden)
        self.transform_norm = nn.LayerNorm(c.hidden, eps=c.eps)
        self.decoder_bias = nn.Parameter(torch.zeros(c.vocab_size))
        self.nsp = nn.Linear(c.hidden, 2)
        self.apply(self.init_weights)

    @staticmethod
    def init_weights(m):
        """HF's _init_weights: N(0, 0.02), zero biases and padding row, LayerNorm 1 and 0."""
        if isinstance(m, nn.Linear):
            m.weight.data.normal_(0.0, 0.02)
            m.bias.data.zero_()
        elif isinstance(m, nn.Embedding):
            m.weight.data.normal_(0.0, 0.02)
            if m.padding_idx is not None:
                m.weight.data[m.padding_idx].zero_()
        elif isinstance(m, nn.LayerNorm):
            m.weight.data.fill_(1.0)
            m.bias.data.zero_()

    def forward(self, ids, types, attention, positions):
        """MLM logits at positions (flat indices into batch*seq) and NSP logits."""
        additive = (1.0 - attention[:, None, None, :].float()) * torch.finfo(torch.float32).min
        x = self.emb(ids, types)
        for layer in self.layers:
            x = layer(x, additive)
        nsp = self.nsp(torch.tanh(self.pool(x[:, 0])))
        h = x.reshape(-1, x.shape[-1])[positions]
        h = self.transform_norm(F.gelu(self.transform(h)))
        mlm = h @ self.emb.word.weight.t() + self.decoder_bias
        return mlm, nsp


def load(path, shape):
    return torch.from_numpy(np.fromfile(path, dtype="<i2").astype(np.int64).reshape(shape))


class Split:
    """One split's arrays (ids, masks and labels of one epoch of masks)."""

    def __init__(self, folder, name, n, seq, pred, suffix=""):
        self.ids = load(os.path.join(folder, f"{name}_ids{suffix}.i16"), (n, seq))
        self.positions = load(os.path.join(folder, f"{name}_positions{suffix}.i16"), (n, pred))
        self.labels = load(os.path.join(folder, f"{name}_labels{suffix}.i16"), (n, pred))

    def with_static(self, folder, name, n, seq):
        self.types = load(os.path.join(folder, f"{name}_segments.i16"), (n, seq))
        self.attention = load(os.path.join(folder, f"{name}_attention.i16"), (n, seq))
        self.nsp = load(os.path.join(folder, f"{name}_nsp.i16"), (n,))
        return self


def batch_tensors(split, static, index):
    """Inputs of the instances in index, cut to the longest, with flat masked positions."""
    index = torch.as_tensor(index)
    attention = static.attention[index]
    longest = int(attention.sum(1).max())
    ids, types, attention = split.ids[index, :longest], static.types[index, :longest], attention[:, :longest]
    pos, lab = split.positions[index], split.labels[index]
    keep = pos >= 0
    rows = torch.arange(len(index)).unsqueeze(1).expand_as(pos)
    flat = (rows * longest + pos)[keep]
    return ids, types, attention, flat, lab[keep], static.nsp[index]


def evaluate(model, held, batch=64, limit=0):
    """Held-out MLM loss and accuracy (per masked position) and NSP accuracy, as PretrainingTask.Evaluate
    (on the first limit instances, if given)."""
    model.eval()
    mlm_loss, masked, correct, nsp_correct = 0.0, 0, 0, 0
    n = min(limit or held.ids.shape[0], held.ids.shape[0])
    with torch.no_grad():
        for start in range(0, n, batch):
            index = list(range(start, min(start + batch, n)))
            ids, types, attention, flat, labels, nsp = batch_tensors(held, held, index)
            mlm, nsp_logits = model(ids, types, attention, flat)
            mlm_loss += F.cross_entropy(mlm, labels, reduction="sum").item()
            masked += labels.numel()
            correct += (mlm.argmax(-1) == labels).sum().item()
            nsp_correct += (nsp_logits.argmax(-1) == nsp).sum().item()
    model.train()
    return mlm_loss / masked, correct / masked, nsp_correct / n


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("folder", help="what bench/owncorpus -export-instances wrote")
    ap.add_argument("--steps", default="250,500,1000,2000,4000", help="step counts to evaluate at; the last ends the run")
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--warmup", type=int, default=200)
    ap.add_argument("--decay", choices=["constant", "linear"], default="constant", help="after the warmup")
    ap.add_argument("--batch", type=int, default=0, help="batch size (default: the exported one, in its order)")
    ap.add_argument("--no-nsp", action="store_true", help="MLM loss only")
    ap.add_argument("--shuffle", action="store_true", help="torch's own random batches instead of the exported order")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--train-eval", type=int, default=0, metavar="N",
                    help="also score the first N training instances (their epoch-0 masks), to tell under- from overfitting")
    args = ap.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(args.seed)

    h = json.load(open(os.path.join(args.folder, "header.json")))
    n, seq, pred = h["train"], h["seq_len"], h["max_predictions"]
    held = Split(args.folder, "heldout", h["held_out"], seq, pred).with_static(args.folder, "heldout", h["held_out"], seq)
    static = Split(args.folder, "train", n, seq, pred, "_e0").with_static(args.folder, "train", n, seq)
    points = [int(s) for s in args.steps.split(",")]
    last = points[-1]
    batch_size = args.batch or h["batch_size"]
    print(f"torch {torch.__version__}, 1 thread, {time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())}; "
          f"{n} training, {h['held_out']} held-out instances; batch {batch_size}, lr {args.lr}, warmup {args.warmup} then {args.decay}, "
          f"NSP {not args.no_nsp}, order {'torch shuffle' if args.shuffle else 'exported'}", flush=True)

    model = BertForPreTraining(Config(h["vocab_size"], max_positions=seq), h["pad_id"])
    decay, no_decay = [], []
    for name, p in model.named_parameters():
        (no_decay if name.endswith("bias") or "norm" in name else decay).append(p)
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01}, {"params": no_decay, "weight_decay": 0.0}],
                            lr=args.lr, betas=(0.9, 0.999), eps=1e-8)

    def factor(step):
        if step < args.warmup:
            return (step + 1) / args.warmup
        if args.decay == "linear":
            return max(0.0, (last - step) / max(1, last - args.warmup))
        return 1.0

    sched = torch.optim.lr_scheduler.LambdaLR(opt, factor)
    step, epoch, began, trained = 0, 0, time.time(), 0.0
    print(f"step 0: held-out MLM loss {evaluate(model, held)[0]:.3f}", flush=True)
    while step < last:
        if epoch >= h["epochs"]:
            raise SystemExit(f"only {h['epochs']} epochs exported; export more with -export-epochs")
        masks = static if epoch == 0 else Split(args.folder, "train", n, seq, pred, f"_e{epoch}")
        if args.shuffle:
            g = torch.Generator().manual_seed(args.seed * 1000 + epoch)
            order = torch.randperm(n, generator=g).tolist()
            batches = [order[i:i + batch_size] for i in range(0, n, batch_size)]
        else:
            exported = json.load(open(os.path.join(args.folder, f"batches_e{epoch}.json")))
            order = [i for b in exported for i in b]
            batches = exported if batch_size == h["batch_size"] else [order[i:i + batch_size] for i in range(0, n, batch_size)]
        for index in batches:
            ids, types, attention, flat, labels, nsp = batch_tensors(masks, static, index)
            mlm, nsp_logits = model(ids, types, attention, flat)
            loss = F.cross_entropy(mlm, labels)
            if not args.no_nsp:
                loss = loss + F.cross_entropy(nsp_logits, nsp)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            step += 1
            if step in points:
                trained += time.time() - began
                mlm_loss, acc, nsp_acc = evaluate(model, held)
                print(f"step {step} (epoch {epoch + (batches.index(index) + 1) / len(batches):.2f}): train loss {loss.item():.3f}, "
                      f"held-out MLM loss {mlm_loss:.3f} accuracy {acc:.3f}, NSP accuracy {nsp_acc:.3f} "
                      f"({trained:.0f}s, {step / trained:.1f} steps/s)", flush=True)
                if args.train_eval:
                    t_loss, t_acc, _ = evaluate(model, static, limit=args.train_eval)
                    print(f"  training instances 0..{args.train_eval}: MLM loss {t_loss:.3f} accuracy {t_acc:.3f}", flush=True)
                began = time.time()
            if step >= last:
                break
        epoch += 1


if __name__ == "__main__":
    main()
