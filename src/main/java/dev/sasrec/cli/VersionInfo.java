package dev.sasrec.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Properties;
import picocli.CommandLine;

/**
 * {@code --version}: this jar's version and what it was built with (Maven fills in
 * dev/sasrec/cli/version.properties), and the Spark that runs it. Decision: the ND4J backend and
 * classifier are the build's (the jar ships exactly one native build) rather than probed by loading
 * ND4J, which takes seconds and prints its own lines; a classifier that cannot load fails the first
 * job with ND4J's own message anyway.
 */
final class VersionInfo implements CommandLine.IVersionProvider {

  private static final String BUILD = "/dev/sasrec/cli/version.properties";

  @Override
  public String[] getVersion() {
    Properties build = load(BUILD);
    String runningSpark = runningSpark();
    return List.of(
            "sasrec-spark " + build.getProperty("version"),
            "Spark "
                + runningSpark
                + " (built against "
                + build.getProperty("spark")
                + ", Scala 2.12)",
            "DL4J/ND4J "
                + build.getProperty("dl4j")
                + " (dl4j-spark "
                + build.getProperty("dl4jSpark")
                + ")",
            "ND4J backend "
                + build.getProperty("nd4jBackend")
                + ", native build "
                + build.getProperty("nd4jClassifier"),
            "Java "
                + System.getProperty("java.version")
                + " ("
                + System.getProperty("java.vendor")
                + ")")
        .toArray(String[]::new);
  }

  /** The version in spark-core's jar manifest: the Spark that spark-submit put on the classpath. */
  private static String runningSpark() {
    try {
      Package spark = Class.forName("org.apache.spark.SparkContext").getPackage();
      String version = spark == null ? null : spark.getImplementationVersion();
      return version == null ? "(version unknown)" : version;
    } catch (ClassNotFoundException e) {
      return "(not on the classpath)";
    }
  }

  private static Properties load(String resource) {
    Properties props = new Properties();
    try (InputStream in = VersionInfo.class.getResourceAsStream(resource)) {
      if (in != null) {
        props.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + resource, e);
    }
    return props;
  }
}
