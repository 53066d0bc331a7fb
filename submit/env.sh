# Shared settings of the submit/ scripts; sourced, not run.
# SASREC_ROOT: the project checkout; SASREC_JAR: the application jar.
SASREC_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SASREC_JAR="${SASREC_JAR:-$SASREC_ROOT/target/sasrec-spark.jar}"
# Spark's own Java 17 module flags (launcher/JavaModuleOptions); spark-submit adds them itself.
SASREC_JAVA17_OPENS="-XX:+IgnoreUnrecognizedVMOptions --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED -Djdk.reflect.useDirectMethodHandle=false -Dio.netty.tryReflectionSetAccessible=true"
# DL4J's Spark training stats ask an NTP server unless told to use the system clock.
SASREC_DL4J_FLAGS="-Dorg.deeplearning4j.spark.time.TimeSource=org.deeplearning4j.spark.time.SystemClockTimeSource"

# Builds the jar (and the local Spark classpath) when either is missing.
sasrec_ensure_built() {
  if [[ ! -s "$SASREC_JAR" || ! -s "$SASREC_ROOT/target/spark-classpath.txt" ]]; then
    echo "Building $SASREC_JAR (mvn -DskipTests package)..." >&2
    (cd "$SASREC_ROOT" && mvn -B -q -DskipTests package) >&2
  fi
}
