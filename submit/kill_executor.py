#!/usr/bin/env python3
"""Kills one executor JVM of a running Spark application while it runs a task of a chosen stage.

The executor-loss check of submit/test-standalone-cluster: it asks the driver's REST API
(/api/v1) for the active stages, picks the first whose name contains --stage-name and whose job
description starts with --description, waits for one of its tasks to run, finds that executor's
process id in the standalone worker's work directory (its stderr logs "Started daemon with process
name: PID@host") and sends it SIGKILL, as an out-of-memory kill or a lost machine would.

  submit/kill_executor.py --ui URL --cluster DIR --stage-name NAME --description PREFIX [--timeout S]

Prints one line naming the executor, its process id, the stage and the task; exit code 0 when an
executor was killed, 1 when none could be within the timeout (the job ended or never reached it).
"""

import argparse
import json
import os
import re
import signal
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

# Seconds between two looks at the driver: a task of the test runs for a second or more.
POLL_S = 0.1
# Seconds one request to the driver may take.
REQUEST_TIMEOUT_S = 5
PID_LINE = re.compile(r"Started daemon with process name: (\d+)@")


def get(ui, path):
    with urllib.request.urlopen(ui + "/api/v1" + path, timeout=REQUEST_TIMEOUT_S) as response:
        return json.load(response)


def running_task(ui, app, stage_name, description):
    """(stage, task) of a running task in a matching active stage, or None."""
    for stage in get(ui, f"/applications/{app}/stages?status=active"):
        if stage_name not in stage.get("name", ""):
            continue
        if not stage.get("description", "").startswith(description):
            continue
        detail = get(ui, f"/applications/{app}/stages/{stage['stageId']}/{stage['attemptId']}?details=true")
        for task in (detail.get("tasks") or {}).values():
            if task.get("status") == "RUNNING" and task.get("executorId") not in (None, "driver"):
                return stage, task
    return None


def executor_pid(cluster, app, executor_id):
    """The process id an executor logged in its worker's work directory, or None."""
    for stderr in Path(cluster).glob(f"worker-*/{app}/{executor_id}/stderr"):
        match = PID_LINE.search(stderr.read_text(errors="replace"))
        if match:
            return int(match.group(1))
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ui", required=True, help="the driver's web UI, http://127.0.0.1:PORT")
    parser.add_argument("--cluster", required=True, help="the standalone cluster's directory")
    parser.add_argument("--stage-name", required=True, help="part of the stage's name")
    parser.add_argument("--description", required=True, help="start of the stage's job description")
    parser.add_argument("--timeout", type=float, default=300, help="seconds to wait (300)")
    args = parser.parse_args()

    deadline = time.monotonic() + args.timeout
    app = None
    while time.monotonic() < deadline:
        try:
            if app is None:
                apps = get(args.ui, "/applications")
                app = apps[0]["id"] if apps else None
            found = running_task(args.ui, app, args.stage_name, args.description) if app else None
        except (urllib.error.URLError, ConnectionError, TimeoutError, json.JSONDecodeError):
            found = None  # the driver is not up yet, or is between two pages
        if found:
            stage, task = found
            pid = executor_pid(args.cluster, app, task["executorId"])
            if pid is not None:
                os.kill(pid, signal.SIGKILL)
                print(
                    f"Killed executor {task['executorId']} (process {pid}) during stage "
                    f"{stage['stageId']} '{stage['description']}', task {task['taskId']}"
                )
                return 0
        time.sleep(POLL_S)
    print(
        f"Cannot kill an executor: no running task of a stage '{args.stage_name}' described "
        f"'{args.description}…' within {args.timeout:.0f} s ({args.ui})",
        file=sys.stderr,
    )
    return 1


if __name__ == "__main__":
    sys.exit(main())
