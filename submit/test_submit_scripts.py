"""Checks the submit/ scripts (standard library only; run from the checkout):

    /usr/bin/python3 submit/test_submit_scripts.py

getGpusResources.sh runs against a fake nvidia-smi on PATH; submit-job runs against a fake
SPARK_HOME whose spark-submit records the command line, the properties file and the logging
environment it was given. Every script answers --help with exit 0 and names what is missing in one
line with exit 2.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import tempfile
import textwrap
import unittest
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SUBMIT = ROOT / "submit"
SCRIPTS = ["env.sh", "spark-submit", "submit-job", "spark-properties", "getGpusResources.sh",
           "run-example", "bench-preprocess", "bench-train", "bench-recommend", "bench-scaling",
           "standalone-cluster",
           "test-standalone-cluster"]
# The scripts a person runs, each with a --help.
COMMANDS = ["spark-submit", "submit-job", "spark-properties", "run-example", "soak", "standalone-cluster",
            "test-standalone-cluster", "cpu-by-thread"]
# Exit code of a bad target or job name, a missing variable or argument.
USAGE_EXIT = 2
CONF = ROOT / "conf"
CLUSTER_LOG4J2 = CONF / "log4j2-cluster.properties"
LOCAL_LOG4J2 = CONF / "log4j2.properties"
JAR = ROOT / "target" / "sasrec-spark.jar"
# The project's own classes, as the shade plugin leaves them beside JAR.
THIN_JAR = ROOT / "target" / "original-sasrec-spark.jar"
IMAGE_JAR_LOG4J2 = "jar:file:/opt/sasrec/sasrec-spark.jar!/conf/log4j2-cluster.properties"
# Variables the submit targets read: each test starts without them.
TARGET_VARIABLES = ["SPARK_HOME", "SPARK_MASTER_URL", "K8S_MASTER", "SASREC_K8S_IMAGE",
                    "SASREC_K8S_POD_TEMPLATE",
                    "SASREC_JAR", "SASREC_DEPLOY_MODE", "SASREC_SPARK_OPTS", "SASREC_SPARK_LOG_LEVEL",
                    "LOG4J_CONFIGURATION_FILE", "HADOOP_CONF_DIR", "YARN_CONF_DIR"]
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


def spark_properties(target: str) -> dict[str, str]:
    """The merged Spark settings of a target, as submit/spark-properties prints them."""
    result = subprocess.run([str(SUBMIT / "spark-properties"), target],
                            capture_output=True, text=True, check=True)
    return parse_properties(result.stdout)


def mib(size: str) -> int:
    number, unit = SIZE.match(size).groups()
    return int(number) * (1024 if unit.lower() == "g" else 1)


def clean_env(**env: str) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if k not in TARGET_VARIABLES}
    return dict(base, **env)


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
                              p[f"spark.{side}.defaultJavaOptions"], f"{target} {side}")

    def test_a_replaced_extra_java_options_loses_no_flag(self) -> None:
        # Oozie 5's Spark action appends --conf spark.{driver,executor}.extraJavaOptions=
        # -Dlog4j.configuration=... when spark-opts set none; a --conf replaces the properties
        # file's key whole. The project's flags live in defaultJavaOptions, which it leaves alone.
        oozie_conf = "-Dlog4j.configuration=spark-log4j.properties"
        for target in ["standalone", "yarn", "k8s", "gpu-standalone", "gpu-yarn", "gpu-k8s"]:
            p = self.properties(target)
            for side in ["driver", "executor"]:
                self.assertNotIn(f"spark.{side}.extraJavaOptions", p, f"{target} {side}")
                p[f"spark.{side}.extraJavaOptions"] = oozie_conf
                jvm = p[f"spark.{side}.defaultJavaOptions"] + " " + p[f"spark.{side}.extraJavaOptions"]
                for flag in ["--add-opens=java.base/java.nio=ALL-UNNAMED",
                             "-Dorg.bytedeco.javacpp.maxphysicalbytes=", oozie_conf]:
                    self.assertIn(flag, jvm, f"{target} {side}")

    def test_javacpp_limits_fit_the_container(self) -> None:
        # maxphysicalbytes bounds heap + off-heap: it must be the container (memory + overhead),
        # and the off-heap arrays (maxbytes) must fit in the overhead.
        for target in ["standalone", "yarn", "k8s", "gpu-yarn"]:
            p = self.properties(target)
            for side in ["driver", "executor"]:
                options = p[f"spark.{side}.defaultJavaOptions"]
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

    def test_cluster_targets_say_where_their_jvms_find_the_logging_file(self) -> None:
        expected = {"yarn": CLUSTER_LOG4J2.name, "gpu-yarn": CLUSTER_LOG4J2.name,
                    "k8s": IMAGE_JAR_LOG4J2, "gpu-k8s": IMAGE_JAR_LOG4J2,
                    "standalone": str(CLUSTER_LOG4J2), "gpu-standalone": str(CLUSTER_LOG4J2)}
        drivers = {"yarn": "spark.yarn.appMasterEnv", "k8s": "spark.kubernetes.driverEnv"}
        for target, value in expected.items():
            p = self.properties(target)
            self.assertEqual(p["spark.executorEnv.LOG4J_CONFIGURATION_FILE"], value, target)
            driver = drivers.get(target.removeprefix("gpu-"))
            if driver:
                self.assertEqual(p[f"{driver}.LOG4J_CONFIGURATION_FILE"], value, target)
        self.assertNotIn("LOG4J", "".join(self.properties("local")))

    def test_an_unknown_target_is_refused(self) -> None:
        result = subprocess.run([str(SUBMIT / "spark-properties"), "mesos"],
                                capture_output=True, text=True, check=False)
        self.assertEqual(result.returncode, USAGE_EXIT)
        self.assertIn("Cannot choose Spark settings: unknown target 'mesos'", result.stderr)


class SubmitJobTest(unittest.TestCase):

    def submit(self, *args: str, spark_home: bool = True,
               **env: str) -> tuple[subprocess.CompletedProcess, list[str], str, dict[str, str]]:
        """Runs submit-job against a fake SPARK_HOME; returns its result, argv, properties and the
        logging variables spark-submit saw."""
        with tempfile.TemporaryDirectory() as tmp:
            record = Path(tmp) / "record"
            write_executable(Path(tmp) / "spark" / "bin" / "spark-submit",
                             "#!/usr/bin/env bash\n"
                             f"printf '%s\\n' \"$@\" > '{record}.args'\n"
                             f"printf 'LOG4J_CONFIGURATION_FILE=%s\\n' \"${{LOG4J_CONFIGURATION_FILE:-}}\" > '{record}.env'\n"
                             f"printf 'SASREC_SPARK_LOG_LEVEL=%s\\n' \"${{SASREC_SPARK_LOG_LEVEL:-}}\" >> '{record}.env'\n"
                             "while [[ $# -gt 0 && $1 != --properties-file ]]; do shift; done\n"
                             f"cat \"$2\" > '{record}.properties'\n")
            if spark_home:
                env = dict(env, SPARK_HOME=f"{tmp}/spark")
            result = subprocess.run([str(SUBMIT / "submit-job"), *args], env=clean_env(**env),
                                    capture_output=True, text=True, check=False)
            ok = result.returncode == 0
            argv = record.with_suffix(".args").read_text().splitlines() if ok else []
            props = record.with_suffix(".properties").read_text() if ok else ""
            seen = parse_properties(record.with_suffix(".env").read_text()) if ok else {}
            return result, argv, props, seen

    @staticmethod
    def confs(argv: list[str]) -> dict[str, str]:
        """The --conf key=value pairs of a spark-submit command line."""
        return dict(argv[i + 1].split("=", 1) for i, a in enumerate(argv) if a == "--conf")

    def test_help_prints_the_usage_and_exits_0(self) -> None:
        for flag in ["--help", "-h"]:
            result = subprocess.run([str(SUBMIT / "submit-job"), flag], env=clean_env(),
                                    capture_output=True, text=True, check=False)
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assertIn("submit/submit-job <target> <job>", result.stdout)
            self.assertIn("SASREC_SPARK_LOG_LEVEL", result.stdout)
            self.assertEqual(result.stderr, "")

    def test_too_few_arguments_print_the_synopsis_and_exit_2(self) -> None:
        result = subprocess.run([str(SUBMIT / "submit-job"), "yarn"], env=clean_env(),
                                capture_output=True, text=True, check=False)
        self.assertEqual(result.returncode, USAGE_EXIT)
        self.assertIn("target: local | standalone | yarn", result.stderr)

    def test_gpu_on_yarn_ships_the_discovery_script_and_the_logging_file_in_cluster_mode(self) -> None:
        result, argv, props, _ = self.submit("gpu-yarn", "TrainSASRec", "--input", "hdfs:///p",
                                             "--output", "hdfs:///r")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(argv[argv.index("--master") + 1], "yarn")
        self.assertEqual(argv[argv.index("--deploy-mode") + 1], "cluster")
        # One --files: spark-submit keeps only the last.
        self.assertEqual(argv.count("--files"), 1)
        self.assertEqual(argv[argv.index("--files") + 1].split(","),
                         [str(CLUSTER_LOG4J2), str(SUBMIT / "getGpusResources.sh")])
        self.assertEqual(argv[argv.index("--class") + 1:],
                         ["TrainSASRec", str(ROOT / "target" / "sasrec-spark.jar"),
                          "--input", "hdfs:///p", "--output", "hdfs:///r"])
        self.assertEqual(parse_properties(props)["spark.executor.resource.gpu.amount"], "1")

    def test_yarn_containers_read_the_shipped_logging_file_and_the_driver_the_checkouts(self) -> None:
        result, argv, props, seen = self.submit("yarn", "Preprocess", "--input", "hdfs:///l",
                                                "--output", "hdfs:///p")
        self.assertEqual(result.returncode, 0, result.stderr)
        shipped = argv[argv.index("--files") + 1].split(",")
        self.assertIn(str(CLUSTER_LOG4J2), shipped)
        p = parse_properties(props)
        # YARN puts --files into each container's working directory under their own name.
        for key in ["spark.yarn.appMasterEnv.LOG4J_CONFIGURATION_FILE",
                    "spark.executorEnv.LOG4J_CONFIGURATION_FILE"]:
            self.assertEqual(p[key], CLUSTER_LOG4J2.name, key)
        self.assertEqual(seen["LOG4J_CONFIGURATION_FILE"], str(CLUSTER_LOG4J2))

    def test_standalone_executors_and_the_client_driver_read_the_logging_file(self) -> None:
        result, argv, props, seen = self.submit("standalone", "Preprocess", "--help",
                                                SPARK_MASTER_URL="spark://m:7077")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(argv[argv.index("--deploy-mode") + 1], "client")
        self.assertEqual(parse_properties(props)["spark.executorEnv.LOG4J_CONFIGURATION_FILE"],
                         str(CLUSTER_LOG4J2))
        self.assertEqual(seen["LOG4J_CONFIGURATION_FILE"], str(CLUSTER_LOG4J2))
        self.assertNotIn("--files", argv)

    def test_local_uses_the_local_logging_file_and_keeps_one_set_by_the_caller(self) -> None:
        result, _, _, seen = self.submit("local", "Preprocess", "--help")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(seen["LOG4J_CONFIGURATION_FILE"], str(LOCAL_LOG4J2))
        result, _, _, seen = self.submit("yarn", "Preprocess", "--help",
                                         LOG4J_CONFIGURATION_FILE="/etc/mine.properties")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(seen["LOG4J_CONFIGURATION_FILE"], "/etc/mine.properties")

    def test_k8s_uses_the_image_and_the_jar_and_logging_file_inside_it(self) -> None:
        result, argv, props, _ = self.submit("k8s", "Recommend", "--help",
                                             K8S_MASTER="k8s://https://k:443",
                                             SASREC_K8S_IMAGE="registry/sasrec:1")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("spark.kubernetes.container.image=registry/sasrec:1", argv)
        self.assertEqual(argv[argv.index("--class") + 2], "local:///opt/sasrec/sasrec-spark.jar")
        # A local file in --files would need spark.kubernetes.file.upload.path: none is passed.
        self.assertNotIn("--files", argv)
        # The pod template is read by spark-submit on this side: the repository's, by default.
        confs = self.confs(argv)
        template = str(SUBMIT / "k8s" / "pod-template.yaml")
        for role in ["driver", "executor"]:
            self.assertEqual(confs[f"spark.kubernetes.{role}.podTemplateFile"], template, role)
            self.assertEqual(confs[f"spark.kubernetes.{role}.podTemplateContainerName"], "sasrec")
        p = parse_properties(props)
        for key in ["spark.kubernetes.driverEnv.LOG4J_CONFIGURATION_FILE",
                    "spark.executorEnv.LOG4J_CONFIGURATION_FILE"]:
            self.assertEqual(p[key], IMAGE_JAR_LOG4J2, key)

    def test_k8s_with_another_jar_in_the_image_reads_the_logging_file_from_that_jar(self) -> None:
        result, argv, _, _ = self.submit("k8s", "Recommend", "--help",
                                         K8S_MASTER="k8s://https://k:443",
                                         SASREC_K8S_IMAGE="registry/sasrec:1",
                                         SASREC_JAR="local:///app/sasrec.jar")
        self.assertEqual(result.returncode, 0, result.stderr)
        confs = self.confs(argv)
        expected = "jar:file:/app/sasrec.jar!/conf/log4j2-cluster.properties"
        self.assertEqual(confs["spark.kubernetes.driverEnv.LOG4J_CONFIGURATION_FILE"], expected)
        self.assertEqual(confs["spark.executorEnv.LOG4J_CONFIGURATION_FILE"], expected)

    def test_the_spark_log_level_reaches_the_driver_and_the_executors(self) -> None:
        result, argv, _, seen = self.submit("yarn", "TrainSASRec", "--help",
                                            SASREC_SPARK_LOG_LEVEL="info")
        self.assertEqual(result.returncode, 0, result.stderr)
        confs = self.confs(argv)
        self.assertEqual(confs["spark.executorEnv.SASREC_SPARK_LOG_LEVEL"], "info")
        self.assertEqual(confs["spark.yarn.appMasterEnv.SASREC_SPARK_LOG_LEVEL"], "info")
        self.assertEqual(seen["SASREC_SPARK_LOG_LEVEL"], "info")
        result, argv, _, _ = self.submit("k8s", "TrainSASRec", "--help",
                                         SASREC_SPARK_LOG_LEVEL="debug",
                                         K8S_MASTER="k8s://https://k:443", SASREC_K8S_IMAGE="i:1")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(self.confs(argv)["spark.kubernetes.driverEnv.SASREC_SPARK_LOG_LEVEL"],
                         "debug")

    def test_a_bad_spark_log_level_is_refused(self) -> None:
        result, _, _, _ = self.submit("yarn", "TrainSASRec", SASREC_SPARK_LOG_LEVEL="loud")
        self.assertEqual(result.returncode, USAGE_EXIT)
        self.assertIn("Cannot submit: SASREC_SPARK_LOG_LEVEL must be", result.stderr)
        self.assertIn("(loud)", result.stderr)

    def test_every_missing_variable_of_k8s_is_named_in_one_line(self) -> None:
        for target in ["k8s", "gpu-k8s"]:
            result, _, _, _ = self.submit(target, "Recommend", spark_home=False)
            self.assertEqual(result.returncode, USAGE_EXIT, result.stderr)
            lines = result.stderr.splitlines()
            self.assertEqual(len(lines), 1, result.stderr)
            self.assertTrue(lines[0].startswith(f"Cannot submit to {target}: set SPARK_HOME ("),
                            lines[0])
            for name in ["K8S_MASTER (k8s://https://host:443)", "SASREC_K8S_IMAGE ("]:
                self.assertIn(name, lines[0])
            self.assertNotIn("line ", result.stderr)

    def test_only_the_missing_variables_are_named(self) -> None:
        result, _, _, _ = self.submit("k8s", "Recommend", K8S_MASTER="k8s://https://k:443")
        self.assertEqual(result.returncode, USAGE_EXIT)
        self.assertEqual(result.stderr.strip(),
                         "Cannot submit to k8s: set SASREC_K8S_IMAGE (the Spark 3.5 image with the jar)")

    def test_standalone_and_yarn_name_their_missing_variables(self) -> None:
        result, _, _, _ = self.submit("standalone", "Preprocess", spark_home=False)
        self.assertEqual(result.returncode, USAGE_EXIT)
        self.assertRegex(result.stderr.strip(),
                         r"^Cannot submit to standalone: set SPARK_HOME \([^)]*\), "
                         r"SPARK_MASTER_URL \(spark://host:7077\)$")
        result, _, _, _ = self.submit("gpu-yarn", "Preprocess", spark_home=False)
        self.assertEqual(result.returncode, USAGE_EXIT)
        self.assertRegex(result.stderr.strip(), r"^Cannot submit to gpu-yarn: set SPARK_HOME \(")

    def test_an_unknown_job_is_refused(self) -> None:
        result, _, _, _ = self.submit("yarn", "Train")
        self.assertEqual(result.returncode, USAGE_EXIT)
        self.assertIn("Cannot submit: unknown job 'Train'", result.stderr)


class KubernetesImageTest(unittest.TestCase):
    """submit/k8s: the image and the pod template agree with what submit-job k8s passes. Neither is
    built or applied here (no Docker daemon, no cluster): these are the checks that can run."""

    DOCKERFILE = SUBMIT / "k8s" / "Dockerfile"
    TEMPLATE = SUBMIT / "k8s" / "pod-template.yaml"

    def instructions(self) -> list[tuple[str, str]]:
        text = re.sub(r"\\\n", " ", self.DOCKERFILE.read_text(encoding="utf-8"))
        rows = []
        for line in text.splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                word, _, rest = line.partition(" ")
                rows.append((word.upper(), rest.strip()))
        return rows

    def test_the_image_is_spark_3_5_1_on_java_17_with_the_jar_where_submit_job_looks(self) -> None:
        rows = self.instructions()
        self.assertEqual(rows[0][0], "FROM")
        self.assertRegex(rows[0][1], r"^apache/spark:3\.5\.1-scala2\.12-java17-")
        copies = {rest.split()[-2]: rest.split()[-1] for word, rest in rows if word == "COPY"}
        # The jar at the path submit-job's k8s default names, the configuration beside it.
        self.assertEqual(copies["target/sasrec-spark.jar"], "/opt/sasrec/sasrec-spark.jar")
        self.assertEqual(copies["conf/"], "/opt/sasrec/conf/")
        self.assertTrue((ROOT / "conf").is_dir())
        self.assertEqual(IMAGE_JAR_LOG4J2.split("!")[0], "jar:file:/opt/sasrec/sasrec-spark.jar")
        # It ends as the image's unprivileged user, and sets the threads as the local launcher.
        self.assertEqual(rows[-1], ("USER", "spark"))
        env = " ".join(rest for word, rest in rows if word == "ENV")
        self.assertIn("OMP_NUM_THREADS=1", env)

    def test_the_pod_template_is_a_pod_whose_container_submit_job_names(self) -> None:
        import yaml  # Debian's python3-yaml; the template is YAML, not JSON

        pod = yaml.safe_load(self.TEMPLATE.read_text(encoding="utf-8"))
        self.assertEqual((pod["apiVersion"], pod["kind"]), ("v1", "Pod"))
        [container] = pod["spec"]["containers"]
        self.assertEqual(container["name"], "sasrec")
        env = {e["name"]: e["value"] for e in container["env"]}
        self.assertEqual(env["OMP_NUM_THREADS"], "1")
        self.assertTrue(pod["spec"]["securityContext"]["runAsNonRoot"])


class LoggingConfigurationTest(unittest.TestCase):
    """The log4j2 files: this project at INFO, the rest at WARN unless SASREC_SPARK_LOG_LEVEL."""

    def test_both_files_put_the_project_at_info_and_the_rest_at_warn(self) -> None:
        for path in [CLUSTER_LOG4J2, LOCAL_LOG4J2]:
            p = parse_properties(path.read_text(encoding="utf-8"))
            self.assertEqual(p["rootLogger.level"], "${env:SASREC_SPARK_LOG_LEVEL:-warn}", path)
            loggers = {p[k]: p[k[: -len(".name")] + ".level"] for k in p
                       if k.startswith("logger.") and k.endswith(".name")}
            self.assertEqual(loggers["dev.sasrec"], "info", path)
            # Nothing of Spark, Hadoop, DL4J/ND4J, Netty or Parquet is raised above WARN but the
            # submission clients, which say where the application runs.
            for name, level in loggers.items():
                if name != "dev.sasrec" and level.lower() in ("info", "debug", "trace", "all"):
                    self.assertRegex(name, r"^org\.apache\.spark\.deploy\.", f"{path}: {name}")

    def test_the_cluster_file_keeps_the_lines_airflow_reads(self) -> None:
        p = parse_properties(CLUSTER_LOG4J2.read_text(encoding="utf-8"))
        loggers = {p[k]: p[k[: -len(".name")] + ".level"] for k in p
                   if k.startswith("logger.") and k.endswith(".name")}
        for name in ["org.apache.spark.deploy.yarn.Client", "org.apache.spark.deploy.k8s.submit",
                     "org.apache.spark.deploy.ClientEndpoint"]:
            self.assertEqual(loggers.get(name), "info", name)

    def test_the_jar_carries_the_cluster_file_where_the_k8s_properties_look(self) -> None:
        if not JAR.is_file():
            self.skipTest(f"no jar to look into; mvn -DskipTests package ({JAR})")
        inside = IMAGE_JAR_LOG4J2.split("!/", 1)[1]
        with zipfile.ZipFile(JAR) as jar:
            # The same settings (comments may differ in a jar built before an edit).
            self.assertEqual(parse_properties(jar.read(inside).decode("utf-8")),
                             parse_properties(CLUSTER_LOG4J2.read_text(encoding="utf-8")))

    def test_every_oozie_action_ships_the_file_the_yarn_properties_name(self) -> None:
        spark = "{uri:oozie:spark-action:1.0}"
        name = spark_properties("yarn")["spark.executorEnv.LOG4J_CONFIGURATION_FILE"]
        workflow = ET.parse(SUBMIT / "oozie" / "workflow.xml").getroot()
        actions = list(workflow.iter(f"{spark}spark"))
        self.assertEqual(len(actions), 3)
        for action in actions:
            # <file>path#link</file>: the link is the name in the container's working directory.
            links = [f.text.strip().rsplit("#", 1)[-1] for f in action.iter(f"{spark}file")]
            self.assertIn(name, links, action.findtext(f"{spark}name"))


class LocalLauncherTest(unittest.TestCase):
    """submit/spark-submit without SPARK_HOME: the JVM it starts, seen through a fake java."""

    def java_command(self, *args: str, java_dir: str = "", job_args: tuple = (),
                     job_class: str = "Recommend", jar: Path = JAR, **env: str) -> str:
        """The fake java's arguments; java_dir holds it (a new directory unless given)."""
        if not JAR.is_file():
            self.skipTest(f"no jar: the launcher would build first ({JAR})")
        if not java_dir:
            with tempfile.TemporaryDirectory() as tmp:
                return self.java_command(*args, java_dir=tmp, job_args=job_args,
                                         job_class=job_class, jar=jar, **env)
        if not (Path(java_dir) / "java").exists():
            write_executable(Path(java_dir) / "java", '#!/bin/sh\necho "$@"\n')
        env.setdefault("SASREC_CDS", "off")
        result = subprocess.run(
            [str(SUBMIT / "spark-submit"), *args, "--class", job_class, str(jar), *job_args],
            env=dict(clean_env(**env), PATH=f"{java_dir}:{os.environ['PATH']}"),
            capture_output=True, text=True, check=False, timeout=60)
        self.assertEqual(result.returncode, 0, result.stderr)
        return result.stdout

    def cds_flags(self, tmp: str, job_args: tuple = (), **env: str) -> list[str]:
        """The class-data sharing flags of a launch whose archives go to tmp/cds."""
        env = {"SASREC_CDS": "on", "SASREC_CDS_DIR": f"{tmp}/cds", **env}
        command = self.java_command(java_dir=tmp, job_args=job_args, **env).split()
        return [a for a in command if a.startswith(("-XX:SharedArchiveFile=",
                                                    "-XX:ArchiveClassesAtExit=",
                                                    "-XX:ArchiveRelocationMode="))]

    def test_a_jobs_first_run_dumps_a_class_archive_which_later_runs_map(self) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            first = self.cds_flags(tmp)
            self.assertEqual(len(first), 1, first)
            self.assertRegex(first[0], r"^-XX:ArchiveClassesAtExit=.*/cds/Recommend-\d+\.jsa\.\d+$")
            dump = Path(first[0].split("=", 1)[1])
            # What the first JVM leaves at exit, under its pid (no longer running).
            dump.write_bytes(b"archive")
            archive = dump.with_suffix("")
            # Mapped where it was written, not relocated (Debian's JDK 17 relocates by default).
            mapped = [f"-XX:SharedArchiveFile={archive}", "-XX:ArchiveRelocationMode=0"]
            self.assertEqual(self.cds_flags(tmp), mapped)
            self.assertFalse(dump.exists())
            self.assertEqual(self.cds_flags(tmp), mapped)

    def test_no_second_dump_while_one_is_being_written(self) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            dump = Path(self.cds_flags(tmp)[0].split("=", 1)[1])
            running = dump.with_suffix(f".{os.getpid()}")
            running.write_bytes(b"")
            self.assertEqual(self.cds_flags(tmp), [])
            self.assertTrue(running.exists())

    def test_no_archive_when_turned_off_or_beside_jfr_and_agents(self) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            self.assertEqual(self.cds_flags(tmp, SASREC_CDS="off"), [])
            for opts in ["-XX:StartFlightRecording=filename=f.jfr", "-javaagent:a.jar"]:
                self.assertEqual(self.cds_flags(tmp, SASREC_JAVA_OPTS=opts), [], opts)
            for job_args in [("--help",), ("--input", "x", "--dry-run", "true")]:
                self.assertEqual(self.cds_flags(tmp, job_args=job_args), [], job_args)
            self.assertFalse(Path(tmp, "cds").exists() and any(Path(tmp, "cds").iterdir()))

    def application_jar(self, jar: Path = JAR, **env: str) -> str:
        """The jar the launch hands to spark-submit: the argument after the job class."""
        command = self.java_command(jar=jar, **env).split()
        return command[command.index("--class") + 2]

    def test_the_shaded_jar_gives_way_to_its_own_classes_from_the_same_build(self) -> None:
        if not THIN_JAR.is_file():
            self.skipTest(f"no unshaded jar beside the shaded one ({THIN_JAR})")
        self.assertEqual(self.application_jar(), str(THIN_JAR))
        built = THIN_JAR.stat().st_mtime
        with tempfile.TemporaryDirectory() as tmp:
            # SASREC_JAR names the shaded jar: one written with the thin jar, one much later.
            same_build = Path(tmp, "same.jar")
            same_build.write_bytes(b"jar")
            os.utime(same_build, (built + 30, built + 30))
            self.assertEqual(self.application_jar(same_build, SASREC_JAR=str(same_build)),
                             str(THIN_JAR))
            later = Path(tmp, "later.jar")
            later.write_bytes(b"jar")
            os.utime(later, (built + 3600, built + 3600))
            self.assertEqual(self.application_jar(later, SASREC_JAR=str(later)), str(later))
            # Any other jar is the caller's to choose.
            other = Path(tmp, "other.jar")
            other.write_bytes(b"jar")
            os.utime(other, (built, built))
            self.assertEqual(self.application_jar(other), str(other))

    QUICK = "-XX:TieredStopAtLevel=1"

    def jit_flags(self, job_class: str, job_input: str, **env: str) -> list[str]:
        """The launch's compilation-mode flags, before those of SASREC_JAVA_OPTS."""
        command = self.java_command(job_class=job_class, job_args=("--input", job_input),
                                    **env).split()
        launcher = command[:command.index("-cp")]
        if env.get("SASREC_JAVA_OPTS"):
            launcher = launcher[:launcher.index(env["SASREC_JAVA_OPTS"].split()[0])]
        return [a for a in launcher if a.startswith(("-XX:TieredStopAtLevel", "-XX:Compilation"))]

    def test_a_preprocess_of_a_small_local_log_runs_the_client_compiler_only(self) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            log = Path(tmp, "events.csv")
            log.write_text("user,item,timestamp\n1,2,3\n", encoding="utf-8")
            for given in [str(log), f"file://{log}", f"file:{log}", tmp]:
                self.assertEqual(self.jit_flags("Preprocess", given), [self.QUICK], given)
                self.assertEqual(
                    self.jit_flags("Preprocess", given, SASREC_JIT="tiered"), [], given)
            # Another job with the same input, or a flag of the caller's, which comes later.
            self.assertEqual(self.jit_flags("Recommend", str(log)), [])
            command = self.java_command(job_class="Preprocess", job_args=(f"--input={log}",),
                                        SASREC_JAVA_OPTS="-XX:TieredStopAtLevel=4").split()
            self.assertLess(command.index(self.QUICK), command.index("-XX:TieredStopAtLevel=4"))

    def test_a_large_remote_or_missing_log_keeps_tiered_compilation(self) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            large = Path(tmp, "large.csv")
            with large.open("wb") as f:
                f.truncate(64 * 1024 * 1024)
            for given in [str(large), tmp, "hdfs://nn:8020/logs/events.csv",
                          str(Path(tmp, "missing.csv")), f"{tmp}/*.csv"]:
                self.assertEqual(self.jit_flags("Preprocess", given), [], given)
            # Asked for: any job, any input.
            self.assertEqual(self.jit_flags("Recommend", str(large), SASREC_JIT="quick"),
                             [self.QUICK])

    ROW_CACHE = "spark.sql.cache.serializer=dev.sasrec.spark.RowCacheSerializer"

    def test_a_short_preprocess_caches_rows_and_starts_with_its_whole_heap(self) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            small = Path(tmp, "events.csv")
            small.write_text("user,item,timestamp\n1,2,3\n", encoding="utf-8")
            large = Path(tmp, "large.csv")
            with large.open("wb") as f:
                f.truncate(64 * 1024 * 1024)

            def conf(job_class: str, given: Path, *args: str) -> list[str]:
                command = self.java_command(*args, job_class=job_class,
                                            job_args=("--input", str(given))).split()
                return [command[i + 1] for i, a in enumerate(command)
                        if a == "--conf" and command[i + 1].startswith("spark.sql.cache.")]

            self.assertEqual(conf("Preprocess", small), [self.ROW_CACHE])
            # Its heap at full size from the start; no other run's.
            for job_class, given, initial in [("Preprocess", small, ["-Xms3g"]),
                                              ("Preprocess", large, []), ("Recommend", small, [])]:
                command = self.java_command("--driver-memory", "3g", job_class=job_class,
                                            job_args=("--input", str(given))).split()
                self.assertEqual([a for a in command if a.startswith("-Xms")], initial, job_class)
                self.assertIn("-Xmx3g", command)
            self.assertEqual(conf("Preprocess", large), [])
            self.assertEqual(conf("Recommend", small), [])
            props = Path(tmp, "mine.properties")
            props.write_text("spark.sql.shuffle.partitions=4\n", encoding="utf-8")
            self.assertEqual(conf("Preprocess", small, "--properties-file", str(props)), [])
            # The caller's own --conf comes later on the command line, and Spark takes the last.
            mine = "spark.sql.cache.serializer=org.example.Mine"
            self.assertEqual(conf("Preprocess", small, "--conf", mine), [self.ROW_CACHE, mine])

    def test_an_unknown_compilation_mode_is_named(self) -> None:
        if not JAR.is_file():
            self.skipTest(f"no jar: the launcher would build first ({JAR})")
        result = subprocess.run(
            [str(SUBMIT / "spark-submit"), "--class", "Preprocess", str(JAR), "--input", "x"],
            env=clean_env(SASREC_JIT="fast"), capture_output=True, text=True, check=False,
            timeout=60)
        self.assertEqual(result.returncode, 2)
        self.assertEqual(result.stderr.strip(),
                         "Cannot launch: SASREC_JIT must be auto, quick or tiered (SASREC_JIT=fast)")

    def test_javacpp_limits_follow_the_driver_memory(self) -> None:
        for memory, maxbytes, physical in [("3g", "3072M", "6144M"), ("1500m", "1500M", "3000M")]:
            command = self.java_command("--driver-memory", memory)
            self.assertIn(f"-Xmx{memory}", command)
            self.assertEqual(java_option(command, "org.bytedeco.javacpp.maxbytes"), maxbytes)
            self.assertEqual(java_option(command, "org.bytedeco.javacpp.maxphysicalbytes"), physical)

    @staticmethod
    def machine_limits() -> tuple:
        """Heap, ND4J and process limits (MiB) the launcher derives from this machine's memory."""
        with open("/proc/meminfo", encoding="utf-8") as meminfo:
            total = next(int(line.split()[1]) // 1024 for line in meminfo
                         if line.startswith("MemTotal:"))
        heap = min(max(total // 8, 2048), 6144)
        return heap, max(total * 60 // 100, heap), max(total * 85 // 100, 2 * heap)

    def test_without_driver_memory_the_limits_follow_the_machine(self) -> None:
        heap, native, process = self.machine_limits()
        command = self.java_command()
        self.assertIn(f"-Xmx{heap}m", command)
        self.assertEqual(java_option(command, "org.bytedeco.javacpp.maxbytes"), f"{native}M")
        self.assertEqual(java_option(command, "org.bytedeco.javacpp.maxphysicalbytes"),
                         f"{process}M")

    def test_spark_driver_memory_counts_as_given(self) -> None:
        command = self.java_command(SPARK_DRIVER_MEMORY="3g")
        self.assertIn("-Xmx3g", command)
        self.assertEqual(java_option(command, "org.bytedeco.javacpp.maxphysicalbytes"), "6144M")

    def test_limits_set_by_the_user_come_later_and_win(self) -> None:
        _, native, _ = self.machine_limits()
        command = self.java_command(SASREC_JAVA_OPTS="-Dorg.bytedeco.javacpp.maxbytes=9G")
        values = re.findall(r"-Dorg\.bytedeco\.javacpp\.maxbytes=(\S+)", command)
        self.assertEqual(values, [f"{native}M", "9G"])

    def test_hadoop_and_yarn_settings_go_on_the_class_path_as_sparks_launcher_puts_them(self) -> None:
        command = self.java_command(HADOOP_CONF_DIR="/etc/hadoop", YARN_CONF_DIR="/etc/yarn").split()
        classpath = command[command.index("-cp") + 1].split(":")
        self.assertEqual(classpath[-2:], ["/etc/hadoop", "/etc/yarn"])
        plain = self.java_command().split()
        self.assertEqual(plain[plain.index("-cp") + 1].split(":"), classpath[:-2])

    def test_the_logging_file_is_the_local_one_unless_the_caller_names_another(self) -> None:
        self.assertEqual(java_option(self.java_command(), "log4j2.configurationFile"),
                         str(LOCAL_LOG4J2))
        command = self.java_command(LOG4J_CONFIGURATION_FILE=str(CLUSTER_LOG4J2))
        self.assertEqual(java_option(command, "log4j2.configurationFile"), str(CLUSTER_LOG4J2))


class CrashReportTest(unittest.TestCase):
    """A JVM started with env.sh's crash flags, crashed for real: where its report goes."""

    CRASH = textwrap.dedent("""\
        import java.lang.reflect.Field;
        import sun.misc.Unsafe;

        public class Crash {
          public static void main(String[] args) throws Exception {
            Field f = Unsafe.class.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            ((Unsafe) f.get(null)).putAddress(0, 42);
          }
        }
        """)

    def test_a_native_crash_reports_in_the_crash_directory_and_says_how_to_resume(self) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp) / "work"
            work.mkdir()
            (work / "Crash.java").write_text(self.CRASH, encoding="utf-8")
            script = ('source "$1"; mkdir -p "$SASREC_CRASH_DIR"; '
                      'exec java -XX:-CreateCoredumpOnCrash "${SASREC_CRASH_FLAGS[@]}" Crash.java')
            result = subprocess.run(
                ["bash", "-c", script, "crash", str(SUBMIT / "env.sh")], cwd=work,
                env=dict(clean_env(), TMPDIR=str(Path(tmp) / "t")),
                capture_output=True, text=True, check=False, timeout=120)
            reports = list((Path(tmp) / "t" / "sasrec-crash-reports").glob("hs_err_pid*.log"))
            self.assertNotEqual(result.returncode, 0, result.stderr)
            self.assertEqual(len(reports), 1, result.stderr)
            self.assertEqual(list(work.glob("hs_err*")), [], "a report in the working directory")
            self.assertIn(f"The JVM died in native code (crash report: {reports[0]}).",
                          result.stderr)
            self.assertIn("--resume true", result.stderr)


class HelpTest(unittest.TestCase):
    """Every script a person runs answers --help and -h with its usage on stdout and exit 0."""

    def test_help_exits_0_with_the_usage_on_stdout(self) -> None:
        for script in COMMANDS:
            for flag in ["--help", "-h"]:
                result = subprocess.run([str(SUBMIT / script), flag], env=clean_env(),
                                        capture_output=True, text=True, check=False, timeout=120)
                self.assertEqual(result.returncode, 0, f"{script} {flag}: {result.stderr}")
                self.assertIn(f"submit/{script}", result.stdout, f"{script} {flag}")

    def test_spark_submit_help_also_lists_sparks_own_options(self) -> None:
        if not JAR.is_file():
            self.skipTest(f"no jar: spark-submit --help would say to build first ({JAR})")
        result = subprocess.run([str(SUBMIT / "spark-submit"), "--help"], env=clean_env(),
                                capture_output=True, text=True, check=False, timeout=120)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("Usage: spark-submit [options] <app jar", result.stdout)

    def test_wrong_argument_counts_print_the_usage_and_exit_2(self) -> None:
        for args in [["spark-properties"], ["spark-properties", "yarn", "k8s"],
                     ["standalone-cluster"], ["standalone-cluster", "start"],
                     ["run-example", "a", "b"], ["test-standalone-cluster", "a", "b"]]:
            result = subprocess.run([str(SUBMIT / args[0]), *args[1:]], env=clean_env(),
                                    capture_output=True, text=True, check=False, timeout=60)
            self.assertEqual(result.returncode, USAGE_EXIT, f"{args}: {result.stderr}")
            self.assertIn(f"submit/{args[0]}", result.stderr, args)
            self.assertNotRegex(result.stderr, r"line \d+:", args)

    def test_malformed_cluster_settings_are_named_in_one_line(self) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            result = subprocess.run(
                [str(SUBMIT / "standalone-cluster"), "start", tmp],
                env=clean_env(CLUSTER_WORKERS="two", CLUSTER_WORKER_MEMORY="lots"),
                capture_output=True, text=True, check=False, timeout=60)
        self.assertEqual(result.returncode, USAGE_EXIT)
        self.assertEqual(result.stderr.strip(),
                         "Cannot start the cluster: malformed CLUSTER_WORKERS=two (a count, e.g. 2), "
                         "CLUSTER_WORKER_MEMORY=lots (e.g. 2g)")


class CpuByThreadTest(unittest.TestCase):
    """cpu-by-thread against a real JVM whose threads' work is known."""

    # A thread named as Spark names its task threads spins for 1.5 s of its own CPU time, then
    # waits a second (so that a reading sees its final figure), while main sleeps.
    BURN = textwrap.dedent("""\
        import java.lang.management.ManagementFactory;

        public class Burn {
          public static void main(String[] args) throws Exception {
            Thread task = new Thread(() -> {
              var bean = ManagementFactory.getThreadMXBean();
              long x = 0;
              while (bean.getCurrentThreadCpuTime() < 1_500_000_000L) {
                x += System.nanoTime() % 7;
              }
              System.out.println("spun " + (x > 0));
              try { Thread.sleep(1000); } catch (InterruptedException e) { return; }
            }, "Executor task launch worker-0");
            task.start();
            task.join();
            System.exit(Integer.parseInt(args[0]));
          }
        }
        """)

    def run_tool(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(SUBMIT / "cpu-by-thread"), *args], env=clean_env(),
                              capture_output=True, text=True, check=False, timeout=120)

    def test_a_task_threads_cpu_is_counted_under_executor_tasks(self) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            source = Path(tmp) / "Burn.java"
            source.write_text(self.BURN, encoding="utf-8")
            result = self.run_tool("--", "java", str(source), "5")
        self.assertEqual(result.returncode, 5, result.stderr)
        self.assertIn("spun true", result.stdout)
        figures = dict(re.findall(r"^  (\S[\w ]*?) +(-?[\d.]+) s", result.stderr, re.MULTILINE))
        self.assertEqual(set(figures), {"JIT compiler C2", "JIT compiler C1", "garbage collector",
                                        "executor tasks", "driver and other threads",
                                        "not attributed"}, result.stderr)
        self.assertGreaterEqual(float(figures["executor tasks"]), 1.4, result.stderr)
        self.assertLess(float(figures["executor tasks"]), 2.5, result.stderr)
        # The source-file launcher compiles Burn.java on the main thread first.
        self.assertGreater(float(figures["driver and other threads"]), 0.1, result.stderr)
        total = float(re.search(r"CPU ([\d.]+) s in 1 JVM", result.stderr).group(1))
        # Each figure is printed rounded to 0.1 s: their sum may miss the total by half a tenth each.
        self.assertAlmostEqual(sum(float(v) for v in figures.values()), total,
                               delta=0.05 * (len(figures) + 1) + 1e-9)

    def test_a_command_without_a_jvm_keeps_its_exit_status(self) -> None:
        result = self.run_tool("--", "sh", "-c", "exit 3")
        self.assertEqual(result.returncode, 3)
        self.assertIn("no JVM among the command's processes", result.stderr)
        killed = self.run_tool("--", "sh", "-c", "kill -9 $$")
        self.assertEqual(killed.returncode, 128 + 9, killed.stderr)

    def test_a_missing_command_or_bad_interval_is_named(self) -> None:
        for args, code, message in [
                ((), USAGE_EXIT, "Cannot run: give the command after --"),
                (("--interval", "x", "--", "true"), USAGE_EXIT,
                 "Cannot sample: --interval must be a number of seconds in (0, 10] (x)"),
                (("--", "/nonexistent/command"), 127,
                 "Cannot run: No such file or directory (/nonexistent/command)")]:
            result = self.run_tool(*args)
            self.assertEqual(result.returncode, code, args)
            self.assertTrue(result.stderr.startswith(message), result.stderr)


class SyntaxTest(unittest.TestCase):

    def test_every_script_parses(self) -> None:
        for script in SCRIPTS:
            result = subprocess.run(["bash", "-n", str(SUBMIT / script)],
                                    capture_output=True, text=True, check=False)
            self.assertEqual(result.returncode, 0, f"{script}: {result.stderr}")


if __name__ == "__main__":
    unittest.main(verbosity=2)
