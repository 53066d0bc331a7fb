#!/usr/bin/env python3
"""Bytes and time of DL4J's parameter-averaging rounds, from a Spark event log (standard library).

Each round is a treeAggregate stage of ParameterAveragingTrainingMaster: every worker fits its
share and returns its parameters and updater state, which the driver averages and broadcasts.
    submit/averaging_rounds.py EVENT_LOG
"""
import json
import sys

ROUND = "treeAggregate at ParameterAveragingTrainingMaster"


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
    rounds = [s for s in sorted(stages) if ROUND in stages[s]["Stage Name"]]
    if not rounds:
        sys.exit(f"Cannot report averaging rounds: none in {path}")
    wall = [stages[s]["Completion Time"] - stages[s]["Submission Time"] for s in rounds]
    fit = [max(t.get("Executor Run Time", 0) for t in tasks[s]) for s in rounds]
    returned = [sum(t.get("Result Size", 0) for t in tasks[s]) for s in rounds]
    workers = len(tasks[rounds[-1]])
    n = len(rounds)
    mean_wall, mean_fit, mean_bytes = sum(wall) / n, sum(fit) / n, sum(returned) / n
    print(f"parameter-averaging rounds: {n}; per round {mean_bytes / 1e6:.1f} MB returned by "
          f"{workers} workers ({mean_bytes / workers / 1e6:.1f} MB each: parameters and updater "
          f"state; the driver broadcasts the averaged copy back)")
    print(f"per round: {mean_wall / 1000:.2f} s, of which the slowest worker's task ran "
          f"{mean_fit / 1000:.2f} s; collecting, averaging and shipping parameters "
          f"{(mean_wall - mean_fit) / 1000:.2f} s = {100 * (mean_wall - mean_fit) / mean_wall:.0f} % "
          f"of the round")


if __name__ == "__main__":
    main(sys.argv[1])
