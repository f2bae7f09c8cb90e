#!/usr/bin/python3
"""Reference merges for the Go BPE trainer (tokenizer.TrainBPE).

HF tokenizers cannot be installed here, so this script re-implements, in
plain Python and independently of the Go code, what its BpeTrainer does with
a ByteLevel pre-tokenizer when trained from files (tokenizers'
src/models/bpe/trainer.rs and word.rs; Tokenizer::train_from_files reads each
line with its line end as one sequence):

  * words: GPT-2's pre-tokenizer regex
    's|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+
    (written as a scanner: the stdlib `re` has no \\p{L}), then each
    pre-token's UTF-8 bytes mapped through GPT-2's bytes_to_unicode;
  * vocabulary: special tokens first, then the alphabet (the 256 byte
    characters, the initial alphabet of ByteLevel) sorted by code point;
  * pair counts weighted by word frequency; a max-heap of (count, pair)
    entries, ties to the smaller pair of ids; an entry whose count is stale
    is re-queued with the current count; training stops at vocab_size, an
    empty queue, a count below 1 or below min_frequency;
  * each merge rewrites the words listed in the popped entry left to right
    (non-overlapping), collecting count changes; pairs that gained
    occurrences are queued again with the words where they did.

Run:  /usr/bin/python3 make_bpe_trainer_ref.py  (writes bpe_trainer_ref.json)
"""

import heapq
import json
import os
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))

# Unicode White_Space: Python `regex`'s \s.
WHITE_SPACE = set(range(0x09, 0x0E)) | {0x20, 0x85, 0xA0, 0x1680} | set(range(0x2000, 0x200B)) | {
    0x2028, 0x2029, 0x202F, 0x205F, 0x3000}


def char_class(c):
    if ord(c) in WHITE_SPACE:
        return "space"
    cat = unicodedata.category(c)
    if cat.startswith("L"):
        return "letter"
    if cat.startswith("N"):
        return "number"
    return "other"


CONTRACTIONS = ["'s", "'t", "'re", "'ve", "'m", "'ll", "'d"]


def pretokenize(text):
    out = []
    i = 0
    n = len(text)
    while i < n:
        m = None
        for c in CONTRACTIONS:
            if text.startswith(c, i):
                m = len(c)
                break
        if m is None:
            start = i
            if text[i] == " " and i + 1 < n and char_class(text[i + 1]) != "space":
                start = i + 1
            cls = char_class(text[start])
            if cls != "space":
                end = start
                while end < n and char_class(text[end]) == cls:
                    end += 1
                m = end - i
            else:
                end = i
                while end < n and char_class(text[end]) == "space":
                    end += 1
                if end == n or end - i == 1:
                    m = end - i
                else:
                    m = end - i - 1
        out.append(text[i:i + m])
        i += m
    return out


def bytes_to_unicode():
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    k = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + k)
            k += 1
    return dict(zip(bs, [chr(c) for c in cs]))


BYTE_ENCODER = bytes_to_unicode()


def count_words(lines, add_prefix_space):
    counts = {}
    for seq in lines:
        if add_prefix_space and not seq.startswith(" "):
            seq = " " + seq
        for p in pretokenize(seq):
            w = "".join(BYTE_ENCODER[b] for b in p.encode("utf-8"))
            counts[w] = counts.get(w, 0) + 1
    return counts


def word_merge(word, a, b, new_id, lengths, max_len):
    """tokenizers' Word::merge on a list of ids; returns the changes."""
    changes = []
    i = 0
    while i < len(word):
        if word[i] == a and i + 1 < len(word) and word[i + 1] == b:
            new_len = lengths[a] + lengths[b]
            if i > 0:
                changes.append(((word[i - 1], a), -1))
                if lengths[word[i - 1]] + new_len < max_len:
                    changes.append(((word[i - 1], new_id), 1))
            word[i:i + 2] = [new_id]
            if i < len(word) - 1:
                changes.append(((b, word[i + 1]), -1))
                if lengths[word[i + 1]] + new_len < max_len:
                    changes.append(((new_id, word[i + 1]), 1))
        i += 1
    return changes


def train(word_counts, vocab_size, min_frequency, special_tokens, max_token_length):
    max_len = max_token_length if max_token_length else float("inf")
    w2id, id2w, lengths = {}, [], []

    def add(tok):
        if tok not in w2id:
            w2id[tok] = len(id2w)
            id2w.append(tok)
            lengths.append(len(tok))
        return w2id[tok]

    for s in special_tokens:
        add(s)
    alphabet = set(BYTE_ENCODER.values())
    for w in word_counts:
        alphabet.update(w)
    for c in sorted(alphabet, key=ord):
        add(c)

    words, counts = [], []
    for w, c in word_counts.items():
        words.append([w2id[ch] for ch in w])
        counts.append(c)

    pair_counts, where = {}, {}
    for i, w in enumerate(words):
        for p in zip(w, w[1:]):
            pair_counts[p] = pair_counts.get(p, 0) + counts[i]
            where.setdefault(p, set()).add(i)

    heap, seq = [], [0]

    def push(pair, count, pos):
        seq[0] += 1
        heapq.heappush(heap, (-count, pair, seq[0], pos))

    def flush():
        for p, pos in where.items():
            if pair_counts[p] > 0:
                push(p, pair_counts[p], pos)
        where.clear()

    flush()
    merges = []
    while len(w2id) < vocab_size and heap:
        negc, pair, _, pos = heapq.heappop(heap)
        count = -negc
        if count != pair_counts[pair]:
            push(pair, pair_counts[pair], pos)
            continue
        if count < 1 or min_frequency > count:
            break
        a, b = pair
        new_id = add(id2w[a] + id2w[b])
        merges.append(pair)
        for i in sorted(pos):
            for p, delta in word_merge(words[i], a, b, new_id, lengths, max_len):
                pair_counts[p] = pair_counts.get(p, 0) + delta * counts[i]
                if delta > 0:
                    where.setdefault(p, set()).add(i)
        flush()

    last = {p: r for r, p in enumerate(merges)}
    merge_lines = [id2w[p[0]] + " " + id2w[p[1]] for r, p in enumerate(merges) if last[p] == r]
    return w2id, merge_lines


CONFIGS = [
    {"name": "gpt2-style", "vocab_size": 330, "min_frequency": 0, "special_tokens": ["<|endoftext|>"],
     "add_prefix_space": False, "max_token_length": 0},
    {"name": "min-frequency-and-prefix-space", "vocab_size": 1000, "min_frequency": 4,
     "special_tokens": ["<|endoftext|>", "<pad>"], "add_prefix_space": True, "max_token_length": 0},
    {"name": "max-token-length", "vocab_size": 360, "min_frequency": 2, "special_tokens": [],
     "add_prefix_space": False, "max_token_length": 4},
]


def main():
    with open(os.path.join(HERE, "bpe_trainer_corpus.txt"), encoding="utf-8", newline="") as f:
        lines = f.read().splitlines(keepends=True)
    # splitlines also splits on \x0b, \x1c, U+2028, ...; the corpus has only \n line ends.
    assert all(l.endswith("\n") and "\n" not in l[:-1] for l in lines), "corpus lines must end with \\n only"
    out = {"corpus": "bpe_trainer_corpus.txt", "runs": []}
    for cfg in CONFIGS:
        counts = count_words(lines, cfg["add_prefix_space"])
        vocab, merges = train(counts, cfg["vocab_size"], cfg["min_frequency"], cfg["special_tokens"],
                              cfg["max_token_length"])
        out["runs"].append({"config": cfg, "vocab": vocab, "merges": merges})
        print(cfg["name"], "vocab", len(vocab), "merges", len(merges))
    with open(os.path.join(HERE, "bpe_trainer_ref.json"), "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
