#!/usr/bin/env python3
"""Bytes and time of the parameter-averaging rounds, from a Spark event log (standard library).

Each round is a treeAggregate stage: every worker fits its share and returns what it changed (the
row-sparse master, the default: RowSparseTrainingMaster) or its whole parameters and updater state
(DL4J's ParameterAveragingTrainingMaster, --averaging dense), which the driver averages and
broadcasts with the next round's stage. A round's wall time is split into the slowest worker's
compute (its task's run time), the rest of the stage (task start, reading the broadcast, returning
and aggregating the results) and the driver's gap before the next round's stage (averaging,
building the broadcast; the last round's gap is left out).
    submit/averaging_rounds.py EVENT_LOG
"""
import json
import sys

ROUNDS = ("treeAggregate at RowSparseTrainingMaster", "treeAggregate at ParameterAveragingTrainingMaster")


def main(path: str) -> None:
    stages, tasks = {}, {}
    with open(path, encoding="utf-8") as log:
        for line in log:
            event = json.loads(line)
            kind = event["Event"]
            if kind == "SparkListenerStageCompleted":
                info = event["Stage Info"]
                stages[info["Stage ID"]] = info
            elif kind == "SparkListenerTaskEnd":
                metrics = event.get("Task Metrics") or {}
                tasks.setdefault(event["Stage ID"], []).append(metrics)
    rounds = [s for s in sorted(stages) if any(r in stages[s]["Stage Name"] for r in ROUNDS)
              and s in tasks]
    if not rounds:
        sys.exit(f"Cannot report averaging rounds: none in {path}")
    wall = [stages[s]["Completion Time"] - stages[s]["Submission Time"] for s in rounds]
    fit = [max(t.get("Executor Run Time", 0) for t in tasks[s]) for s in rounds]
    returned = [sum(t.get("Result Size", 0) for t in tasks[s]) for s in rounds]
    # Consecutive rounds only (an epoch's evaluation sits between the last round of an epoch and
    # the first of the next): a gap longer than a round is not the driver's averaging.
    gaps = [stages[b]["Submission Time"] - stages[a]["Completion Time"]
            for a, b in zip(rounds, rounds[1:])]
    mean_wall = sum(wall) / len(wall)
    gaps = [g for g in gaps if 0 <= g <= mean_wall] or [0]
    workers = len(tasks[rounds[-1]])
    n = len(rounds)
    mean_fit, mean_bytes = sum(fit) / n, sum(returned) / n
    mean_gap = sum(gaps) / len(gaps)
    round_s = (mean_wall + mean_gap) / 1000
    print(f"parameter-averaging rounds: {n}; per round {mean_bytes / 1e6:.2f} MB returned by "
          f"{workers} worker(s) ({mean_bytes / workers / 1e6:.2f} MB each)")
    print(f"per round {round_s:.3f} s: compute (slowest worker) {mean_fit / 1000:.3f} s, rest of the "
          f"stage (start, broadcast read, collect) {(mean_wall - mean_fit) / 1000:.3f} s, driver "
          f"between rounds (average, broadcast) {mean_gap / 1000:.3f} s; "
          f"{100 * (round_s - mean_fit / 1000) / round_s:.0f} % of the round is not compute")


if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] in ("-h", "--help"):
        print(__doc__.strip(), file=sys.stdout if len(sys.argv) == 2 else sys.stderr)
        sys.exit(0 if len(sys.argv) == 2 else 2)
    main(sys.argv[1])
