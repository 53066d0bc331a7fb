# shellcheck shell=bash
# Shared settings of the submit/ scripts; sourced, not run.
# SASREC_ROOT: the project checkout; SASREC_JAR: the application jar.
SASREC_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SASREC_JAR="${SASREC_JAR:-$SASREC_ROOT/target/sasrec-spark.jar}"
# Spark's own Java 17 module flags (launcher/JavaModuleOptions); spark-submit adds them itself.
SASREC_JAVA17_OPENS="-XX:+IgnoreUnrecognizedVMOptions --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED -Djdk.reflect.useDirectMethodHandle=false -Dio.netty.tryReflectionSetAccessible=true"
# DL4J's Spark training stats ask an NTP server unless told to use the system clock.
SASREC_DL4J_FLAGS="-Dorg.deeplearning4j.spark.time.TimeSource=org.deeplearning4j.spark.time.SystemClockTimeSource"
# The throughput collector: a training JVM keeps ~1 GB live on the heap and allocates the rounds'
# row arrays (tens of MB each, humongous to G1), which kept G1 in back-to-back concurrent cycles;
# at 634,381 items the second epoch fit at 421-430 seq/s under G1 and 570 under ParallelGC
# (docs/measurements.md, "garbage collector").
# MetaspaceSize: Spark generates and loads classes all run long; from the JVM's default of about
# 20 MB, each time the loaded classes outgrew the mark they forced a young and a full collection
# (ML-1M's Preprocess: about 0.3 s of pauses; docs/measurements.md, "sixth session").
SASREC_GC_FLAGS="-XX:+UseParallelGC -XX:MetaspaceSize=256m"
# glibc's malloc asks for transparent huge pages for its large blocks (glibc 2.35+; an older glibc
# ignores the tunable): ND4J's arrays are malloc'd, a replica's 1.3 GB took 1-2 s of page faults
# to build at 634,381 items, and a step reads rows all over the item table. The second epoch fit
# at 581-598 seq/s without it and 645 with it (docs/measurements.md, "huge pages").
SASREC_GLIBC_TUNABLES="glibc.malloc.hugetlb=1"
# Where a JVM that dies in native code writes its crash report (hs_err_pid<pid>.log): a temporary
# directory, not the directory the command was started from.
SASREC_CRASH_DIR="${TMPDIR:-/tmp}/sasrec-crash-reports"
# The JVM's flags for it: the report's place, and one line on stderr, written while the JVM dies
# (OnError's command, which may hold no semicolon: the JVM splits commands there), that says
# where it is and how a training run continues.
SASREC_CRASH_FLAGS=(
  "-XX:ErrorFile=$SASREC_CRASH_DIR/hs_err_pid%p.log"
  "-XX:OnError=echo 'The JVM died in native code (crash report: $SASREC_CRASH_DIR/hs_err_pid%p.log). A TrainSASRec run that wrote a checkpoint continues with the same command and --resume true.' >&2"
)

# Prints the comment block at the top of a script (after its #! line) without the leading '# ',
# up to line LAST when given: the scripts' --help and usage messages.
#   sasrec_usage FILE [LAST]
sasrec_usage() {
  awk -v last="${2:-0}" '
    NR > 1 && (last == 0 || NR <= last) && /^#/ { sub(/^# ?/, ""); print; next }
    NR > 1 { exit }' "$1"
}

# Joins the arguments after the first with the first: sasrec_join ', ' a b  prints  a, b
sasrec_join() {
  local separator="$1" out="$2" part
  shift 2
  for part in "$@"; do
    out+="$separator$part"
  done
  echo "$out"
}

# Builds the jar (and the local Spark classpath) when either is missing.
sasrec_ensure_built() {
  if [[ ! -s "$SASREC_JAR" || ! -s "$SASREC_ROOT/target/spark-classpath.txt" ]]; then
    echo "Building $SASREC_JAR (mvn -DskipTests package)..." >&2
    (cd "$SASREC_ROOT" && mvn -B -q -DskipTests package) >&2
  fi
}

# The benchmarks (src/bench/java) are compiled with the tests, outside the jar.
sasrec_ensure_benchmarks() {
  sasrec_ensure_built
  if [[ ! -d "$SASREC_ROOT/target/test-classes/dev/sasrec/bench" ]]; then
    echo "Compiling the benchmarks (mvn -DskipTests package)..." >&2
    (cd "$SASREC_ROOT" && mvn -B -q -DskipTests package) >&2
  fi
}

# The Spark properties layers of a submit target, in order: a later file's key replaces an earlier
# one's (java.util.Properties keeps the last). Decision: layers, because spark-submit reads a
# single --properties-file and the cluster sizing should live in one file, not one copy per master.
sasrec_spark_layers() {
  local conf="$SASREC_ROOT/conf"
  case "$1" in
    local) echo "$conf/spark-local.properties" ;;
    standalone) echo "$conf/spark-cluster.properties" ;;
    yarn | k8s) echo "$conf/spark-cluster.properties $conf/spark-$1.properties" ;;
    gpu-standalone) echo "$conf/spark-cluster.properties $conf/spark-gpu.properties" ;;
    gpu-yarn | gpu-k8s)
      echo "$conf/spark-cluster.properties $conf/spark-${1#gpu-}.properties $conf/spark-gpu.properties"
      ;;
    *)
      echo "Cannot choose Spark settings: unknown target '$1' (local, standalone, yarn, k8s, gpu-standalone, gpu-yarn, gpu-k8s)" >&2
      return 2
      ;;
  esac
}

# The application jar inside a Kubernetes image (conf/spark-k8s.properties says so too).
SASREC_IMAGE_JAR="/opt/sasrec/sasrec-spark.jar"

# Where the cluster's JVMs of a target find conf/log4j2-cluster.properties (this project at INFO,
# the rest at WARN), as Spark properties setting LOG4J_CONFIGURATION_FILE, which log4j2 reads like
# -Dlog4j2.configurationFile before Spark starts (extraJavaOptions would be replaced whole by any
# --conf of them, as Oozie adds one):
#   YARN: each container's working directory, where --files puts the file before the JVM starts
#     (submit-job ships it; Airflow files=, Oozie <file>)
#   Kubernetes: the copy inside the image's jar (--files reach a pod only after its JVM started)
#   standalone executors: this checkout's path (they too start before --files arrive), found where
#     the workers see the checkout at the same path (same host, shared file system)
# The driver in client mode: submit-job exports LOG4J_CONFIGURATION_FILE itself.
sasrec_log_properties() {
  local value
  case "$1" in
    yarn | gpu-yarn)
      value="log4j2-cluster.properties"
      echo "spark.yarn.appMasterEnv.LOG4J_CONFIGURATION_FILE=$value"
      ;;
    k8s | gpu-k8s)
      value="jar:file:$SASREC_IMAGE_JAR!/conf/log4j2-cluster.properties"
      echo "spark.kubernetes.driverEnv.LOG4J_CONFIGURATION_FILE=$value"
      ;;
    standalone | gpu-standalone) value="$SASREC_ROOT/conf/log4j2-cluster.properties" ;;
    *) return 0 ;;
  esac
  echo "spark.executorEnv.LOG4J_CONFIGURATION_FILE=$value"
}

# Prints the layers of a target as one properties file, each layer under a comment naming it, then
# the logging settings of the target.
sasrec_spark_properties() {
  local layers file logging
  layers="$(sasrec_spark_layers "$1")" || return
  echo "# Spark settings for target $1, generated by submit/spark-properties from:"
  for file in $layers; do
    echo
    echo "# ---- ${file#"$SASREC_ROOT"/}"
    cat "$file"
  done
  logging="$(sasrec_log_properties "$1")"
  if [[ -n "$logging" ]]; then
    echo
    echo "# ---- logging: conf/log4j2-cluster.properties (sasrec_log_properties in submit/env.sh)"
    echo "$logging"
  fi
}

# The benchmarks' data (bench-train, bench-recommend), each made once: ML-1M's Preprocess output
# (from ../shared, the Preprocess defaults) and a synthetic log at the seed's catalogue (83,631
# items; Preprocess keeps every item seen). Logs go beside the output.
#   sasrec_bench_ml1m_prep DIR      sasrec_bench_seed_prep DIR
sasrec_bench_ml1m_prep() {
  local prep="$1"
  if [[ ! -f "$prep/_SUCCESS" ]]; then
    "$SASREC_ROOT/submit/spark-submit" --class Preprocess "$SASREC_JAR" \
      --input "$SASREC_ROOT/../shared/data/ml-1m/derived/ml-1m-events.csv" --output "$prep" \
      --overwrite true > "$prep.log" 2>&1
  fi
}

sasrec_bench_seed_prep() {
  local seed="$1"
  if [[ ! -f "$seed/prep/_SUCCESS" ]]; then
    mkdir -p "$seed"
    "$SASREC_ROOT/submit/spark-submit" --class GenerateSample "$SASREC_JAR" \
      --output "$seed/events.csv" --users 6000 --items 83631 --events 1500000 --seed 7 \
      > "$seed/generate.log" 2>&1
    "$SASREC_ROOT/submit/spark-submit" --class Preprocess "$SASREC_JAR" --input "$seed/events.csv" \
      --output "$seed/prep" --min-item-count 1 --min-user-count 2 --overwrite \
      > "$seed/prep.log" 2>&1
  fi
}

# A synthetic log of CATALOGUE items, 20,000 users and 1,500,000 events (GenerateSample; Preprocess
# keeps every item seen and users with 2 events): 1,000,000 gives the 634,381-item catalogue of the
# large-catalogue benchmark.
#   sasrec_bench_catalogue_prep DIR CATALOGUE
sasrec_bench_catalogue_prep() {
  local dir="$1" items="$2"
  if [[ ! -f "$dir/prep/_SUCCESS" ]]; then
    mkdir -p "$dir"
    "$SASREC_ROOT/submit/spark-submit" --class GenerateSample "$SASREC_JAR" \
      --output "$dir/events.csv" --users 20000 --items "$items" --events 1500000 \
      > "$dir/generate.log" 2>&1
    "$SASREC_ROOT/submit/spark-submit" --master 'local[2]' --class Preprocess "$SASREC_JAR" \
      --input "$dir/events.csv" --output "$dir/prep" --min-item-count 1 --min-user-count 2 \
      --overwrite > "$dir/prep.log" 2>&1
  fi
}
