"""Checks the submit/ scripts (standard library only; run from the checkout):

    /usr/bin/python3 submit/test_submit_scripts.py

getGpusResources.sh runs against a fake nvidia-smi on PATH; submit-job runs against a fake
SPARK_HOME whose spark-submit records the command line and the properties file it was given.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import tempfile
import unittest
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SUBMIT = ROOT / "submit"
SCRIPTS = ["env.sh", "spark-submit", "submit-job", "spark-properties", "getGpusResources.sh",
           "run-example", "bench-preprocess", "bench-train"]
# Exit code of a bad target or job name.
USAGE_EXIT = 2
SIZE = re.compile(r"^(\d+)([gGmM])$")


def write_executable(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(0o755)


def parse_properties(text: str) -> dict[str, str]:
    """key=value lines, the last occurrence winning, as java.util.Properties reads them."""
    values = {}
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip()
    return values


def mib(size: str) -> int:
    number, unit = SIZE.match(size).groups()
    return int(number) * (1024 if unit.lower() == "g" else 1)


def java_option(options: str, name: str) -> str:
    return re.search(rf"-D{re.escape(name)}=(\S+)", options).group(1)


class GpuDiscoveryTest(unittest.TestCase):

    def discover(self, fake_nvidia_smi: str) -> subprocess.CompletedProcess:
        with tempfile.TemporaryDirectory() as tmp:
            write_executable(Path(tmp) / "nvidia-smi", fake_nvidia_smi)
            env = dict(os.environ, PATH=f"{tmp}:{os.environ['PATH']}")
            return subprocess.run([str(SUBMIT / "getGpusResources.sh")], env=env,
                                  capture_output=True, text=True, check=False)

    def test_prints_sparks_resource_json_for_each_index(self) -> None:
        result = self.discover("#!/bin/sh\n"
                               "[ \"$*\" = '--query-gpu=index --format=csv,noheader' ] || exit 9\n"
                               "printf '0\\n1\\n'\n")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(json.loads(result.stdout), {"name": "gpu", "addresses": ["0", "1"]})

    def test_a_failing_nvidia_smi_is_named(self) -> None:
        result = self.discover("#!/bin/sh\necho 'NVIDIA-SMI has failed' >&2\nexit 9\n")
        self.assertNotEqual(result.returncode, 0)
        self.assertEqual(result.stdout, "")
        self.assertIn("Cannot discover GPUs: nvidia-smi failed (NVIDIA-SMI has failed)",
                      result.stderr)

    def test_no_gpu_fails(self) -> None:
        result = self.discover("#!/bin/sh\nexit 0\n")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("Cannot discover GPUs: nvidia-smi lists none", result.stderr)


class SparkPropertiesTest(unittest.TestCase):

    def properties(self, target: str) -> dict[str, str]:
        result = subprocess.run([str(SUBMIT / "spark-properties"), target],
                                capture_output=True, text=True, check=False)
        self.assertEqual(result.returncode, 0, result.stderr)
        return parse_properties(result.stdout)

    def test_every_cluster_target_has_kryo_locality_and_java17_flags(self) -> None:
        for target in ["standalone", "yarn", "k8s", "gpu-standalone", "gpu-yarn", "gpu-k8s"]:
            p = self.properties(target)
            self.assertEqual(p["spark.serializer"], "org.apache.spark.serializer.KryoSerializer")
            self.assertEqual(p["spark.kryo.registrator"], "dev.sasrec.spark.KryoRegistrator")
            self.assertEqual(p["spark.locality.wait"], "0")
            for side in ["driver", "executor"]:
                self.assertIn("--add-opens=java.base/java.nio=ALL-UNNAMED",
                              p[f"spark.{side}.extraJavaOptions"], f"{target} {side}")

    def test_javacpp_limits_fit_the_container(self) -> None:
        # maxphysicalbytes bounds heap + off-heap: it must be the container (memory + overhead),
        # and the off-heap arrays (maxbytes) must fit in the overhead.
        for target in ["standalone", "yarn", "k8s", "gpu-yarn"]:
            p = self.properties(target)
            for side in ["driver", "executor"]:
                options = p[f"spark.{side}.extraJavaOptions"]
                memory = mib(p[f"spark.{side}.memory"])
                overhead = mib(p[f"spark.{side}.memoryOverhead"])
                self.assertEqual(mib(java_option(options, "org.bytedeco.javacpp.maxphysicalbytes")),
                                 memory + overhead, f"{target} {side}")
                self.assertLessEqual(mib(java_option(options, "org.bytedeco.javacpp.maxbytes")),
                                     overhead, f"{target} {side}")

    def test_gpu_layer_gives_one_gpu_per_executor_and_task(self) -> None:
        p = self.properties("gpu-k8s")
        self.assertEqual(p["spark.executor.resource.gpu.amount"], "1")
        self.assertEqual(p["spark.task.resource.gpu.amount"], "1")
        self.assertEqual(p["spark.executor.cores"], "1")
        self.assertEqual(p["spark.executor.resource.gpu.vendor"], "nvidia.com")
        self.assertEqual(p["spark.executor.resource.gpu.discoveryScript"], "./getGpusResources.sh")
        self.assertEqual(p["spark.dynamicAllocation.enabled"], "false")

    def test_an_unknown_target_is_refused(self) -> None:
        result = subprocess.run([str(SUBMIT / "spark-properties"), "mesos"],
                                capture_output=True, text=True, check=False)
        self.assertEqual(result.returncode, USAGE_EXIT)
        self.assertIn("Cannot choose Spark settings: unknown target 'mesos'", result.stderr)


class SubmitJobTest(unittest.TestCase):

    def submit(self, *args: str, **env: str) -> tuple[subprocess.CompletedProcess, list[str], str]:
        """Runs submit-job against a fake SPARK_HOME; returns its result, argv and properties."""
        with tempfile.TemporaryDirectory() as tmp:
            record = Path(tmp) / "record"
            write_executable(Path(tmp) / "spark" / "bin" / "spark-submit",
                             "#!/usr/bin/env bash\n"
                             f"printf '%s\\n' \"$@\" > '{record}.args'\n"
                             "while [[ $# -gt 0 && $1 != --properties-file ]]; do shift; done\n"
                             f"cat \"$2\" > '{record}.properties'\n")
            result = subprocess.run([str(SUBMIT / "submit-job"), *args],
                                    env=dict(os.environ, SPARK_HOME=f"{tmp}/spark", **env),
                                    capture_output=True, text=True, check=False)
            argv = record.with_suffix(".args").read_text().splitlines() if result.returncode == 0 else []
            props = record.with_suffix(".properties").read_text() if result.returncode == 0 else ""
            return result, argv, props

    def test_gpu_on_yarn_ships_the_discovery_script_in_cluster_mode(self) -> None:
        result, argv, props = self.submit("gpu-yarn", "TrainSASRec", "--input", "hdfs:///p",
                                          "--output", "hdfs:///r")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(argv[argv.index("--master") + 1], "yarn")
        self.assertEqual(argv[argv.index("--deploy-mode") + 1], "cluster")
        self.assertEqual(argv[argv.index("--files") + 1], str(SUBMIT / "getGpusResources.sh"))
        self.assertEqual(argv[argv.index("--class") + 1:],
                         ["TrainSASRec", str(ROOT / "target" / "sasrec-spark.jar"),
                          "--input", "hdfs:///p", "--output", "hdfs:///r"])
        self.assertEqual(parse_properties(props)["spark.executor.resource.gpu.amount"], "1")

    def test_k8s_uses_the_image_and_the_jar_inside_it(self) -> None:
        result, argv, _ = self.submit("k8s", "Recommend", "--help", K8S_MASTER="k8s://https://k:443",
                                      SASREC_K8S_IMAGE="registry/sasrec:1")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("spark.kubernetes.container.image=registry/sasrec:1", argv)
        self.assertEqual(argv[argv.index("--class") + 2], "local:///opt/sasrec/sasrec-spark.jar")

    def test_k8s_without_an_image_is_refused(self) -> None:
        result, _, _ = self.submit("k8s", "Recommend", K8S_MASTER="k8s://https://k:443",
                                   SASREC_K8S_IMAGE="")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("Cannot submit to Kubernetes: SASREC_K8S_IMAGE is not set", result.stderr)

    def test_an_unknown_job_is_refused(self) -> None:
        result, _, _ = self.submit("yarn", "Train")
        self.assertEqual(result.returncode, USAGE_EXIT)
        self.assertIn("Cannot submit: unknown job 'Train'", result.stderr)


class SyntaxTest(unittest.TestCase):

    def test_every_script_parses(self) -> None:
        for script in SCRIPTS:
            result = subprocess.run(["bash", "-n", str(SUBMIT / script)],
                                    capture_output=True, text=True, check=False)
            self.assertEqual(result.returncode, 0, f"{script}: {result.stderr}")


if __name__ == "__main__":
    unittest.main(verbosity=2)
