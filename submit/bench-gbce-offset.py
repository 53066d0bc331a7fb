#!/usr/bin/python3
"""Why gSASRec needs a score offset: the seed architecture in PyTorch, trained on ML-1M under
several losses, printing validation NDCG@10 (full ranking) per epoch. Prints figures; not a test.

It answers "is a stall of gBCE in our Java code a bug?" independently of DL4J: the architecture is
../shared/bench/ref_sasrec_torch.py (pre-LN, d 128, 3 blocks, 2 heads, GELU, no final LayerNorm)
with this project's initialization (Xavier normal, padding row 0). One row per user: the last 51
items of items[:-2] (inputs and next-item targets); validation: items[-2] from items[:-2], ranked
among all items (seen ones not excluded, so figures are a little below TrainSASRec's).

  --loss bce     one uniform negative per position (the SASRec paper)
  --loss gbce    K negatives per row, shared by its positions (as TrainSASRec), gSASRec's gBCE
  --loss ce      full softmax cross-entropy (a reference of how fast the network can learn)
  --offset eq    add ln(beta/K) to every gBCE logit (TrainSASRec's Objective.scoreOffset)

Run (about 20-35 s an epoch on 2 cores; one at a time):
  /usr/bin/python3 submit/bench-gbce-offset.py --loss gbce --epochs 4
  /usr/bin/python3 submit/bench-gbce-offset.py --loss gbce --epochs 4 --offset eq
"""
import argparse
import collections
import math
import os
import sys
import time

import torch
import torch.nn.functional as F

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.environ.get('SASREC_SHARED', os.path.join(ROOT, '..', 'shared'))
sys.path.insert(0, os.path.join(SHARED, 'bench'))
from ref_sasrec_torch import SASRecSeed  # noqa: E402

MAX_LEN = 50
TOP = 10


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--loss', choices=['bce', 'gbce', 'ce'], default='gbce')
    ap.add_argument('--negatives', type=int, default=256)
    ap.add_argument('--gbce-t', type=float, default=0.75)
    ap.add_argument('--offset', choices=['none', 'eq'], default='none')
    ap.add_argument('--epochs', type=int, default=4)
    ap.add_argument('--batch', type=int, default=128)
    ap.add_argument('--lr', type=float, default=1e-3)
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--events', default=os.path.join(SHARED, 'data/ml-1m/derived/ml-1m-seq.txt'))
    a = ap.parse_args()
    torch.manual_seed(a.seed)

    seqs = collections.OrderedDict()
    with open(a.events) as f:
        for line in f:
            user, item = line.split()
            seqs.setdefault(user, []).append(int(item))
    n_items = max(max(s) for s in seqs.values())

    def pad(x, n):
        x = x[-n:]
        return [0] * (n - len(x)) + x

    train = torch.tensor([pad(s[:-2], MAX_LEN + 1) for s in seqs.values()])
    val_in = torch.tensor([pad(s[:-2], MAX_LEN) for s in seqs.values()])
    val_out = torch.tensor([s[-2] for s in seqs.values()])

    m = SASRecSeed(n_items, MAX_LEN, 128, 3, 2, 512, 0.2, 'gelu', False)
    for w in m.parameters():
        if w.dim() >= 2:
            torch.nn.init.xavier_normal_(w)
    with torch.no_grad():
        m.item_emb.weight[0].zero_()
    opt = torch.optim.Adam(m.parameters(), lr=a.lr)
    alpha = a.negatives / (n_items - 1)
    beta = alpha * (a.gbce_t * (1 - 1 / alpha) + 1 / alpha)
    offset = math.log(beta / a.negatives) if a.offset == 'eq' else 0.0

    def hidden(seq):
        x = m.item_emb(seq) + m.pos_emb.weight[:seq.shape[1]].unsqueeze(0)
        x = m.emb_drop(m.emb_ln(x))
        for block in m.blocks:
            x = block(x, m.causal[:seq.shape[1], :seq.shape[1]])
        return m.final_ln(x)

    def ndcg():
        m.eval()
        total = 0.0
        with torch.no_grad():
            for i in range(0, len(val_in), 512):
                scores = hidden(val_in[i:i + 512])[:, -1] @ m.item_emb.weight.T
                scores[:, 0] = -math.inf
                rank = (scores > scores.gather(1, val_out[i:i + 512, None])).sum(1).float()
                total += torch.where(rank < TOP, 1 / torch.log2(rank + 2), torch.zeros(())).sum().item()
        m.train()
        return total / len(val_in)

    print(f'loss {a.loss} K {a.negatives} t {a.gbce_t} beta {beta:.4f} offset {offset:.3f}', flush=True)
    for epoch in range(1, a.epochs + 1):
        start, loss_sum, batches = time.time(), 0.0, 0
        order = torch.randperm(len(train))
        for i in range(0, len(train), a.batch):
            rows = train[order[i:i + a.batch]]
            seq, pos = rows[:, :-1], rows[:, 1:]
            h = hidden(seq)
            mask = pos != 0
            if a.loss == 'ce':
                scores = h[mask] @ m.item_emb.weight.T
                scores[:, 0] = -math.inf
                loss = F.cross_entropy(scores, pos[mask])
            elif a.loss == 'bce':
                neg = torch.randint(1, n_items + 1, pos.shape)
                sp = (h * m.item_emb(pos)).sum(-1)[mask]
                sn = (h * m.item_emb(neg)).sum(-1)[mask]
                loss = F.softplus(-sp).mean() + F.softplus(sn).mean()
            else:
                neg = torch.randint(1, n_items + 1, (seq.shape[0], a.negatives))
                sn = torch.einsum('bld,bkd->blk', h, m.item_emb(neg)) + offset
                sp = (h * m.item_emb(pos)).sum(-1) + offset
                per = (beta * F.softplus(-sp) + F.softplus(sn).sum(-1)) / (a.negatives + 1)
                loss = per[mask].mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            loss_sum += loss.item()
            batches += 1
        print(f'epoch {epoch} train loss {loss_sum / batches:.4f} '
              f'val NDCG@10 full {ndcg():.4f} {time.time() - start:.0f} s', flush=True)


if __name__ == '__main__':
    main()
