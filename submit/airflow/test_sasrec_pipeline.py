"""Checks sasrec_pipeline.py without Airflow (standard library only; run from the checkout):

    /usr/bin/python3 submit/airflow/test_sasrec_pipeline.py

The DAG file is read with ast, not imported. Each SparkSubmitOperator's java_class must be a main
class in target/sasrec-spark.jar, and its application_args, with {{ ds }} and the Variables
rendered to a temporary directory, must be accepted by the job's --dry-run through
submit/spark-submit (local Spark). The inputs each dry-run validates are made for real: a sample
log, a Preprocess output and a one-epoch model.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import struct
import subprocess
import tempfile
import unittest
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DAG_FILE = Path(__file__).resolve().parent / "sasrec_pipeline.py"
JAR = ROOT / "target" / "sasrec-spark.jar"
SUBMIT = ROOT / "submit" / "spark-submit"
DS = "2026-11-26"
LOG4J2 = ROOT / "conf" / "log4j2-cluster.properties"
SPARK_PROPERTIES = ROOT / "submit" / "spark-properties"
MAIN_DESCRIPTOR = "([Ljava/lang/String;)V"
ACC_PUBLIC = 0x0001
ACC_STATIC = 0x0008
# A job taking longer than this is stuck; a dry-run takes seconds, the tiny training under a minute.
JOB_TIMEOUT_S = 600
# Exit code of a bad option (JobRunner.USAGE).
USAGE_EXIT = 2
# Tiny data and model: enough for every step to have examples, fast on two cores.
SAMPLE = ["--users", "50", "--items", "30", "--events", "2000"]
TINY_TRAIN = ["--epochs", "1", "--workers", "1", "--hidden", "8", "--blocks", "1", "--heads", "1",
              "--ffn", "8", "--batch-size", "16"]

TEMPLATE = re.compile(r"\{\{\s*(ds|var\.value\.(\w+))\s*\}\}")


class _Evaluator:
    """Evaluates the DAG file's module-level constant expressions (strings joined with +)."""

    def __init__(self) -> None:
        self.names: dict[str, object] = {}

    def value(self, node: ast.AST) -> object:
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Name) and node.id in self.names:
            return self.names[node.id]
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            return self.value(node.left) + self.value(node.right)
        if isinstance(node, ast.List):
            return [self.value(e) for e in node.elts]
        if isinstance(node, ast.Dict):
            # Entries that are not constants (a timedelta) are left out, not guessed.
            entries = {}
            for key, value in zip(node.keys, node.values):
                try:
                    entries[self.value(key)] = self.value(value)
                except ValueError:
                    continue
            return entries
        raise ValueError(f"Cannot evaluate: not a constant expression ({ast.dump(node)[:80]})")

    def assign(self, node: ast.Assign) -> None:
        try:
            value = self.value(node.value)
        except ValueError:
            return
        for target in node.targets:
            if isinstance(target, ast.Name):
                self.names[target.id] = value


def _call_name(call: ast.Call) -> str:
    return call.func.id if isinstance(call.func, ast.Name) else getattr(call.func, "attr", "")


def parse_dag(path: Path) -> dict:
    """The DAG's keywords, default_args, tasks (in file order) and dependency chains."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    ev = _Evaluator()
    dag: dict = {"tasks": {}, "variables": {}, "chains": []}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and node in tree.body:
            ev.assign(node)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _call_name(node) == "DAG":
            dag["dag"] = {k.arg: k.value for k in node.keywords}
        if (isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)
                and _call_name(node.value) == "SparkSubmitOperator"):
            keywords = {k.arg: k.value for k in node.value.keywords}
            task = {name: ev.value(keywords[name]) for name in
                    ("task_id", "java_class", "application", "application_args", "conn_id",
                     "properties_file", "files") if name in keywords}
            dag["tasks"][task["task_id"]] = task
            dag["variables"][node.targets[0].id] = task["task_id"]
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.BinOp):
            dag["chains"].append(_chain(node.value))
    dag["default_args"] = ev.names.get("default_args", {})
    return dag


def _chain(node: ast.AST) -> list[str]:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.RShift):
        return _chain(node.left) + _chain(node.right)
    if isinstance(node, ast.Name):
        return [node.id]
    raise ValueError(f"Cannot read dependency: not a >> chain of tasks ({ast.dump(node)[:80]})")


def render(text: str, variables: dict[str, str]) -> str:
    """Renders {{ ds }} and {{ var.value.NAME }} like Airflow's Jinja does for these templates."""

    def one(match: re.Match) -> str:
        if match.group(1) == "ds":
            return DS
        name = match.group(2)
        if name not in variables:
            raise KeyError(f"Cannot render: Variable {name} has no test value")
        return variables[name]

    rendered = TEMPLATE.sub(one, text)
    if "{{" in rendered or "{%" in rendered:
        raise ValueError(f"Cannot render: a template this test does not know ({rendered})")
    return rendered


def main_method(class_bytes: bytes) -> bool:
    """Whether a class file declares public static void main(String[])."""
    pos = 8
    (count,) = struct.unpack_from(">H", class_bytes, pos)
    pos += 2
    utf8: dict[int, str] = {}
    index = 1
    sizes = {3: 4, 4: 4, 5: 8, 6: 8, 7: 2, 8: 2, 9: 4, 10: 4, 11: 4, 12: 4, 15: 3, 16: 2,
             17: 4, 18: 4, 19: 2, 20: 2}
    while index < count:
        tag = class_bytes[pos]
        pos += 1
        if tag == 1:
            (length,) = struct.unpack_from(">H", class_bytes, pos)
            utf8[index] = class_bytes[pos + 2:pos + 2 + length].decode("utf-8", "replace")
            pos += 2 + length
        else:
            pos += sizes[tag]
        # Longs and doubles take two constant-pool slots.
        index += 2 if tag in (5, 6) else 1
    pos += 6
    (interfaces,) = struct.unpack_from(">H", class_bytes, pos)
    pos += 2 + 2 * interfaces

    def members(pos: int) -> tuple[list[tuple[int, str, str]], int]:
        (n,) = struct.unpack_from(">H", class_bytes, pos)
        pos += 2
        found = []
        for _ in range(n):
            flags, name, descriptor, attributes = struct.unpack_from(">HHHH", class_bytes, pos)
            pos += 8
            for _ in range(attributes):
                (length,) = struct.unpack_from(">I", class_bytes, pos + 2)
                pos += 6 + length
            found.append((flags, utf8.get(name, ""), utf8.get(descriptor, "")))
        return found, pos

    _, pos = members(pos)
    methods, _ = members(pos)
    return any(name == "main" and descriptor == MAIN_DESCRIPTOR
               and flags & ACC_PUBLIC and flags & ACC_STATIC
               for flags, name, descriptor in methods)


def spark_submit(java_class: str, args: list[str]) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "SPARK_HOME"}
    env.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    return subprocess.run(
        [str(SUBMIT), "--master", "local[2]", "--class", java_class, str(JAR), *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=JOB_TIMEOUT_S, check=False)


class SasrecPipelineDagTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls) -> None:
        if not JAR.is_file():
            raise RuntimeError(f"Cannot test the DAG: no jar; run mvn -DskipTests package ({JAR})")
        cls.dag = parse_dag(DAG_FILE)
        cls.tmp = Path(tempfile.mkdtemp(prefix="sasrec-dag-"))
        cls.variables = {
            "sasrec_jar": str(JAR),
            "sasrec_spark_properties": str(ROOT / "conf" / "spark-local.properties"),
            "sasrec_log4j2_properties": str(LOG4J2),
            "sasrec_log_root": str(cls.tmp / "logs"),
            "sasrec_data_root": str(cls.tmp / "data"),
        }

    @classmethod
    def tearDownClass(cls) -> None:
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def args(self, task_id: str) -> list[str]:
        return [render(a, self.variables) for a in self.dag["tasks"][task_id]["application_args"]]

    def run_ok(self, java_class: str, args: list[str]) -> str:
        result = spark_submit(java_class, args)
        self.assertEqual(result.returncode, 0,
                         f"{java_class} {' '.join(args)} failed:\n{result.stderr[-3000:]}")
        return result.stdout

    def test_daily_with_retries(self) -> None:
        self.assertEqual(ast.literal_eval(self.dag["dag"]["schedule"]), "@daily")
        self.assertGreater(self.dag["default_args"].get("retries", 0), 0)

    def test_preprocess_then_train_then_recommend(self) -> None:
        chains = [[self.dag["variables"][name] for name in chain] for chain in self.dag["chains"]]
        self.assertIn(["preprocess", "train", "recommend"], chains)

    def test_every_task_reads_the_jar_and_settings_from_variables_and_the_connection(self) -> None:
        for task in self.dag["tasks"].values():
            self.assertEqual(render(task["application"], self.variables), str(JAR))
            self.assertEqual(task["conn_id"], "spark_default")
            self.assertIn("{{ var.value.", task["properties_file"])
            self.assertTrue(any("{{ ds }}" in a for a in task["application_args"]),
                            f"{task['task_id']}: no argument is partitioned by {{{{ ds }}}}")

    def test_every_task_ships_the_logging_file_the_yarn_properties_name(self) -> None:
        # The properties file of the deployment: submit/spark-properties yarn.
        printed = subprocess.run([str(SPARK_PROPERTIES), "yarn"], capture_output=True, text=True,
                                 check=True).stdout
        layer = {}
        for line in printed.splitlines():
            key, sep, value = line.partition("=")
            if sep and not line.startswith("#"):
                layer[key.strip()] = value.strip()
        # YARN puts --files into each container's working directory under their own name.
        names = {layer["spark.yarn.appMasterEnv.LOG4J_CONFIGURATION_FILE"],
                 layer["spark.executorEnv.LOG4J_CONFIGURATION_FILE"]}
        for task in self.dag["tasks"].values():
            self.assertIn("files", task, f"{task['task_id']}: no files=")
            self.assertIn("{{ var.value.", task["files"])
            shipped = Path(render(task["files"], self.variables))
            self.assertTrue(shipped.is_file(), shipped)
            self.assertEqual({shipped.name}, names, task["task_id"])

    def test_every_java_class_is_a_main_class_in_the_jar(self) -> None:
        self.assertEqual({t["java_class"] for t in self.dag["tasks"].values()},
                         {"Preprocess", "TrainSASRec", "Recommend"})
        with zipfile.ZipFile(JAR) as jar:
            names = set(jar.namelist())
            for task in self.dag["tasks"].values():
                entry = task["java_class"].replace(".", "/") + ".class"
                self.assertIn(entry, names, f"{task['task_id']}: no {entry} in {JAR}")
                self.assertTrue(main_method(jar.read(entry)),
                                f"{task['task_id']}: {entry} has no public static main(String[])")
            # spark-submit's own launcher must not be inside: the cluster supplies Spark.
            self.assertNotIn("org/apache/spark/deploy/SparkSubmit.class", names)

    def test_every_task_accepts_its_arguments(self) -> None:
        tasks = self.dag["tasks"]
        log = self.tmp / "logs" / DS / "events.csv"
        self.run_ok("GenerateSample", ["--output", str(log), *SAMPLE])

        out = self.run_ok(tasks["preprocess"]["java_class"], [*self.args("preprocess"), "--dry-run", "true"])
        self.assertIn("Preprocess dry run", out)
        self.run_ok(tasks["preprocess"]["java_class"], self.args("preprocess"))

        out = self.run_ok(tasks["train"]["java_class"], [*self.args("train"), "--dry-run", "true"])
        self.assertIn("TrainSASRec dry run", out)
        self.run_ok(tasks["train"]["java_class"], [*self.args("train"), *TINY_TRAIN])

        out = self.run_ok(tasks["recommend"]["java_class"], [*self.args("recommend"), "--dry-run", "true"])
        self.assertIn("Recommend dry run", out)

    def test_a_misspelled_option_is_refused(self) -> None:
        args = [a.replace("--overwrite", "--overwrit") for a in self.args("preprocess")]
        result = spark_submit("Preprocess", [*args, "--dry-run", "true"])
        self.assertEqual(result.returncode, USAGE_EXIT, result.stderr[-2000:])
        self.assertIn("unknown option --overwrit", result.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
