#!/usr/bin/env python3
"""An epoch of TrainSASRec on N executors, modelled from measured constants (docs/scaling.md).

A round: each of the N workers fits b = B / N sequences per step for f steps (B the global batch),
then returns the rows it changed (row-sparse, the default) or its whole parameters and updater
state (dense); Spark's treeAggregate (depth 2) merges them on ceil(sqrt(N)) executors and the driver
merges those partials, averages and broadcasts the result (TorrentBroadcast: each executor fetches
the blob once, from the driver or a peer). The round's time:

    compute(N)   = (B / N) * f * c_seq                     the slowest worker's fit
    fixed        = t_round                                 task start, scheduling, the driver's
                                                           per-round work that does not grow
    driver(N)    = c_byte * returned(N)                    deserialising and adding the results
    network(N)   = returned(N) / bw + broadcast / bw       through the driver's link
    returned(N)  = sqrt(N) * min(sqrt(N) * w, dense)       the partials reaching the driver

and an epoch is S / (B * f) rounds. c_seq, t_round, c_byte, w (bytes a worker returns per round)
and dense come from the 1- and 2-worker runs of submit/bench-scaling: the model reproduces them by
construction for compute and fixed costs and is checked on the second. bw is a parameter (the
runs here share one machine: no network).

    submit/scaling_model.py --c-seq S --t-round S --c-byte S --worker-bytes B --dense-bytes B \
        --broadcast-bytes B [--sequences 6040] [--batch 128] [--frequency 5] [--gbit 10] \
        [--executors 1,2,8,32,128]
"""
import argparse
import math


def epoch(n: int, a: argparse.Namespace) -> tuple[float, float, float]:
    """Seconds per epoch, per round, and the share of the round that is not compute."""
    bw = a.gbit * 1e9 / 8
    batch = a.worker_batch * n if a.worker_batch else a.batch
    compute = batch / n * a.frequency * a.c_seq
    tree = math.ceil(math.sqrt(n))
    returned = tree * min(tree * a.worker_bytes, a.dense_bytes) if n > 1 else a.worker_bytes
    rnd = compute + a.t_round + a.c_byte * returned + returned / bw + a.broadcast_bytes / bw
    rounds = a.sequences / (batch * a.frequency)
    return rounds * rnd, rnd, 1 - compute / rnd


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--c-seq", type=float, required=True, help="compute seconds per sequence")
    p.add_argument("--t-round", type=float, required=True, help="fixed seconds per round")
    p.add_argument("--c-byte", type=float, required=True, help="driver seconds per returned byte")
    p.add_argument("--worker-bytes", type=float, required=True, help="bytes a worker returns")
    p.add_argument("--dense-bytes", type=float, required=True,
                   help="bytes of the whole parameters and updater state")
    p.add_argument("--broadcast-bytes", type=float, required=True, help="bytes broadcast per round")
    p.add_argument("--sequences", type=int, default=6040, help="training sequences per epoch")
    p.add_argument("--batch", type=int, default=128, help="global batch (all workers, one step)")
    p.add_argument("--worker-batch", type=int, default=0,
                   help="per-worker batch instead: the global batch grows with the executors")
    p.add_argument("--frequency", type=int, default=5, help="steps between averaging rounds")
    p.add_argument("--gbit", type=float, default=10, help="driver link, Gbit/s")
    p.add_argument("--executors", default="1,2,8,32,128")
    a = p.parse_args()
    print(f"{'executors':>9} {'epoch s':>9} {'round s':>8} {'seq/s':>9} {'not compute':>11}")
    for n in (int(x) for x in a.executors.split(",")):
        e, r, share = epoch(n, a)
        print(f"{n:9d} {e:9.1f} {r:8.3f} {a.sequences / e:9.0f} {100 * share:10.0f}%")


if __name__ == "__main__":
    main()
