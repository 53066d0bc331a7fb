package dev.sasrec.cluster;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The jobs on a real YARN cluster (issue 21): a MiniYARNCluster (one NodeManager) beside a
 * MiniDFSCluster in this JVM, and Preprocess, TrainSASRec and Recommend submitted to it by {@code
 * submit/submit-job yarn} in client mode, two single-core executors in NodeManager containers,
 * every input and output an {@code hdfs://} URI. Then a training run loses an executor container
 * (its JVM killed with SIGKILL during a fit task) and must still complete.
 *
 * <p>An integration test (failsafe, after {@code package}): it submits the shaded jar. The driver
 * is a {@code spark-submit} process of its own; the application master and executors are JVMs that
 * the NodeManager launches. Work files: {@code target/yarn-cluster-it/}.
 */
@Tag("spark")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class YarnClusterIT {

  private static final Path ROOT = Path.of("").toAbsolutePath();
  private static final Path WORK = ROOT.resolve("target/yarn-cluster-it");
  // Where MiniYARNCluster keeps the NodeManager's local and log directories (it chooses).
  private static final Path YARN_WORK = ROOT.resolve("target/test/data/yarn-cluster-it");
  private static final int EXECUTORS = 2;
  private static final int EPOCHS = 2;
  // The executor-loss run: an executor dies during the fit of KILL_EPOCH of LOSS_EPOCHS, so that
  // a whole epoch runs after the loss.
  private static final int LOSS_EPOCHS = 2;
  private static final int KILL_EPOCH = 1;
  private static final int RECOMMENDATIONS = 5;
  // A job that has not ended by then is hung (e.g. no container could be allocated).
  private static final Duration JOB_TIMEOUT = Duration.ofMinutes(4);
  private static final long POLL_MS = 100;
  // Each parameter-averaging round (TrainSASRec's default --averaging sparse).
  private static final String AVERAGING_STAGE = "treeAggregate at RowSparseTrainingMaster";
  private static final String EXECUTOR_CLASS =
      "org.apache.spark.executor.YarnCoarseGrainedExecutorBackend";
  private static final ObjectMapper JSON = new ObjectMapper();

  private static MiniDFSCluster dfs;
  private static MiniYARNCluster yarn;
  private static YarnClient yarnClient;
  private static FileSystem hdfs;
  private static String hdfsRoot;
  private static Path confDir;
  private static Path sparkHome;
  private static final Set<ApplicationId> seenApps = new HashSet<>();
  // Every spark-submit started, stopped at the end should a failed check leave one running.
  private static final List<Process> drivers = new ArrayList<>();

  @BeforeAll
  static void startClusters() throws Exception {
    deleteRecursively(WORK);
    deleteRecursively(YARN_WORK);
    Files.createDirectories(WORK);
    Path jar = ROOT.resolve("target/sasrec-spark.jar");
    Path classpath = ROOT.resolve("target/spark-classpath.txt");
    assertThat(jar).as("the shaded jar (mvn package)").isRegularFile();
    assertThat(classpath).as("the Spark classpath (mvn package)").isRegularFile();

    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, WORK.resolve("dfs").toString());
    dfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    dfs.waitActive();
    hdfs = dfs.getFileSystem();
    hdfsRoot = hdfs.getUri().toString();
    // Spark's event logs of the applications, read by the checks.
    hdfs.mkdirs(new org.apache.hadoop.fs.Path("/events"));

    YarnConfiguration yarnConf = new YarnConfiguration(dfs.getConfiguration(0));
    // As Spark's BaseYarnClusterSuite: hadoop-client-minicluster has no capacity-scheduler.xml,
    // and a full disk must not mark the NodeManager unhealthy.
    yarnConf.set("yarn.scheduler.capacity.root.queues", "default");
    yarnConf.setInt("yarn.scheduler.capacity.root.default.capacity", 100);
    yarnConf.setFloat("yarn.scheduler.capacity.root.default.user-limit-factor", 1);
    yarnConf.setInt("yarn.scheduler.capacity.root.default.maximum-capacity", 100);
    yarnConf.set("yarn.scheduler.capacity.root.default.state", "RUNNING");
    yarnConf.set("yarn.scheduler.capacity.root.default.acl_submit_applications", "*");
    yarnConf.set("yarn.scheduler.capacity.root.default.acl_administer_queue", "*");
    yarnConf.setInt("yarn.scheduler.capacity.node-locality-delay", -1);
    yarnConf.set(
        "yarn.nodemanager.disk-health-checker.max-disk-utilization-per-disk-percentage", "100.0");
    yarnConf.set(YarnConfiguration.RM_HOSTNAME, "127.0.0.1");
    // Room for the application master (512 MiB + overhead) and two executors of 1 GiB heap + 1 GiB
    // overhead, and a replacement executor; bookkeeping only, nothing is reserved.
    yarnConf.setInt(YarnConfiguration.YARN_MINICLUSTER_NM_PMEM_MB, 8192);
    yarnConf.setInt(YarnConfiguration.RM_SCHEDULER_MINIMUM_ALLOCATION_MB, 256);
    // A JVM's virtual size is far beyond its heap; YARN's physical-memory check stays on.
    yarnConf.setBoolean(YarnConfiguration.NM_VMEM_CHECK_ENABLED, false);
    yarn = new MiniYARNCluster("yarn-cluster-it/yarn", 1, 1, 1);
    yarn.init(yarnConf);
    yarn.start();
    // MiniYARNCluster may return before the ResourceManager has its port (BaseYarnClusterSuite).
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (yarn.getConfig().get(YarnConfiguration.RM_ADDRESS).endsWith(":0")) {
      if (System.nanoTime() > deadline) {
        fail("Cannot start YARN: the ResourceManager has no address after 30 s");
      }
      Thread.sleep(POLL_MS);
    }
    yarnClient = YarnClient.createYarnClient();
    yarnClient.init(yarn.getConfig());
    yarnClient.start();

    // HADOOP_CONF_DIR of the submissions: the clusters' addresses, as on a gateway machine.
    confDir = Files.createDirectories(WORK.resolve("hadoop-conf"));
    Configuration core = new Configuration(false);
    core.set("fs.defaultFS", hdfsRoot);
    writeXml(core, confDir.resolve("core-site.xml"));
    // Only the ResourceManager's addresses: the rest of the mini cluster's configuration names
    // test classes (e.g. a rack mapping) that a client's class path does not have.
    Configuration site = new Configuration(false);
    for (Map.Entry<String, String> e : yarn.getConfig()) {
      if (e.getKey().startsWith("yarn.resourcemanager.") && e.getKey().endsWith(".address")) {
        site.set(e.getKey(), e.getValue());
      }
    }
    writeXml(site, confDir.resolve("yarn-site.xml"));

    // submit-job yarn needs a Spark install; this one's spark-submit is the project's launcher
    // (Spark from the Maven classpath, spark-yarn included). docs/operations.md says why.
    sparkHome = Files.createDirectories(WORK.resolve("spark-home/bin"));
    Path sparkSubmit = sparkHome.resolve("spark-submit");
    Files.writeString(
        sparkSubmit,
        "#!/usr/bin/env bash\n"
            + "# spark-submit of the test's Spark install: submit/spark-submit without SPARK_HOME.\n"
            + "unset SPARK_HOME\n"
            + "exec "
            + ROOT.resolve("submit/spark-submit")
            + " \"$@\"\n");
    Files.setPosixFilePermissions(sparkSubmit, PosixFilePermissions.fromString("rwxr-xr-x"));
    sparkHome = sparkHome.getParent();
  }

  @AfterAll
  static void stopClusters() throws Exception {
    for (Process p : drivers) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      p.waitFor();
    }
    if (yarnClient != null) {
      yarnClient.stop();
    }
    if (yarn != null) {
      yarn.stop();
    }
    if (dfs != null) {
      dfs.shutdown();
    }
    // Stopping the NodeManager kills its containers: none of their JVMs may be left.
    List<Long> left = new ArrayList<>();
    for (ApplicationId app : seenApps) {
      for (ProcessHandle p : containerJvms(app.toString())) {
        left.add(p.pid());
        p.destroyForcibly();
      }
    }
    assertThat(left).as("container JVMs left after the cluster stopped").isEmpty();
  }

  @Test
  @Order(1)
  void runsThePipelineOnYarn() throws Exception {
    String events = hdfsRoot + "/logs/events.csv";
    // A small log and a tiny model: the test is about YARN, not quality.
    Job sample =
        Job.local(
                "generate",
                "GenerateSample",
                "--output",
                events,
                "--users",
                "300",
                "--items",
                "100",
                "--events",
                "9000",
                "--seed",
                "7")
            .run();
    assertThat(sample.exitCode).as(sample.describe()).isZero();

    Job preprocess =
        Job.yarn(
                "preprocess",
                "Preprocess",
                "--input",
                events,
                "--output",
                hdfsRoot + "/prep",
                "--session-gap",
                "none")
            .run();
    ApplicationReport prepApp = checkFinishedOnYarn(preprocess);
    assertThat(executorContainers(prepApp)).as(preprocess.describe()).hasSize(EXECUTORS);
    assertThat(hdfs.exists(new org.apache.hadoop.fs.Path("/prep/_SUCCESS"))).isTrue();
    assertThat(hdfs.exists(new org.apache.hadoop.fs.Path("/prep/manifest.json"))).isTrue();
    // Every row read is kept or dropped for a reason; one sequence per user (no sessions), each
    // with a test example.
    JsonNode prepStats = readJson("/prep/stats.json");
    assertThat(prepStats.path("rowsRead").asLong()).isEqualTo(9000);
    long dropped = 0;
    for (JsonNode n : prepStats.path("dropped")) {
      dropped += n.asLong();
    }
    assertThat(prepStats.path("eventsKept").asLong() + dropped).isEqualTo(9000);
    long users = prepStats.path("users").asLong();
    assertThat(users).isBetween(250L, 300L);
    assertThat(prepStats.path("sequences").asLong()).isEqualTo(users);
    assertThat(prepStats.path("splits").path("test").asLong()).isEqualTo(users);

    Job train =
        Job.yarn(
                "train",
                "TrainSASRec",
                "--input",
                hdfsRoot + "/prep",
                "--output",
                hdfsRoot + "/run",
                "--epochs",
                String.valueOf(EPOCHS),
                "--workers",
                String.valueOf(EXECUTORS),
                "--hidden",
                "16",
                "--blocks",
                "1",
                "--heads",
                "1",
                "--ffn",
                "32",
                "--batch-size",
                "16",
                "--averaging-frequency",
                "2")
            .run();
    ApplicationReport trainApp = checkFinishedOnYarn(train);
    List<Path> trainExecutors = executorContainers(trainApp);
    assertThat(trainExecutors).as(train.describe()).hasSize(EXECUTORS);
    checkTrainingOutputs("/run", EPOCHS);
    EventLog trainLog = EventLog.of(trainApp);
    assertThat(trainLog.failedTasks()).as("failed tasks of " + trainLog.path).isZero();
    Map<Integer, Set<String>> rounds = trainLog.executorsPerStage(AVERAGING_STAGE);
    assertThat(rounds).as("averaging rounds in " + trainLog.path).isNotEmpty();
    assertThat(rounds.values())
        .as("executors of each averaging round, " + trainLog.path)
        .allSatisfy(executors -> assertThat(executors).hasSize(EXECUTORS));

    Job recommend =
        Job.yarn(
                "recommend",
                "Recommend",
                "--model",
                hdfsRoot + "/run/model",
                "--input",
                hdfsRoot + "/prep",
                "--output",
                hdfsRoot + "/recs",
                "--k",
                String.valueOf(RECOMMENDATIONS))
            .run();
    ApplicationReport recApp = checkFinishedOnYarn(recommend);
    assertThat(executorContainers(recApp)).as(recommend.describe()).hasSize(EXECUTORS);
    assertThat(hdfs.exists(new org.apache.hadoop.fs.Path("/recs/_SUCCESS"))).isTrue();
    // A list of K items for every user Preprocess kept.
    JsonNode recStats = readJson("/recs/stats.json");
    assertThat(recStats.path("lists").asLong()).isEqualTo(users);
    assertThat(recStats.path("listsWithRecommendations").asLong()).isEqualTo(users);
    assertThat(recStats.path("recommendations").asLong()).isEqualTo(users * RECOMMENDATIONS);
    assertThat(
            Arrays.stream(hdfs.listStatus(new org.apache.hadoop.fs.Path("/recs/recommendations")))
                .filter(s -> s.getPath().getName().startsWith("part-"))
                .mapToLong(s -> s.getLen())
                .sum())
        .as("bytes of /recs/recommendations")
        .isPositive();
  }

  @Test
  @Order(2)
  void completesTrainingAfterLosingAnExecutorContainer() throws Exception {
    assertThat(hdfs.exists(new org.apache.hadoop.fs.Path("/prep/_SUCCESS")))
        .as("the Preprocess output of runsThePipelineOnYarn")
        .isTrue();
    int uiPort = freePort();
    Job train =
        Job.yarn(
            "train-killed",
            "TrainSASRec",
            List.of("--conf", "spark.ui.port=" + uiPort),
            "--input",
            hdfsRoot + "/prep",
            "--output",
            hdfsRoot + "/run-killed",
            "--epochs",
            String.valueOf(LOSS_EPOCHS),
            "--workers",
            String.valueOf(EXECUTORS),
            "--batch-size",
            "16",
            "--averaging-frequency",
            "8");
    train.start();
    Killed killed =
        killExecutorDuringFit(
            train,
            "http://127.0.0.1:" + uiPort,
            "TrainSASRec epoch " + KILL_EPOCH + "/" + LOSS_EPOCHS + ": fit");
    System.out.println("Killed " + killed);
    train.await();

    ApplicationReport app = checkFinishedOnYarn(train);
    assertThat(app.getApplicationId().toString()).isEqualTo(killed.app);
    assertThat(ProcessHandle.of(killed.pid).map(ProcessHandle::isAlive).orElse(false))
        .as("the killed executor JVM " + killed.pid)
        .isFalse();
    checkTrainingOutputs("/run-killed", LOSS_EPOCHS);
    EventLog log = EventLog.of(app);
    assertThat(log.lostTasks()).as("tasks lost with executor " + killed.executor).isPositive();
    // YARN saw the container die of the signal (exit status 137 = 128 + SIGKILL) and Spark asked
    // for a replacement: a third executor container beside the first two.
    assertThat(log.removedExecutors().get(killed.executor))
        .as("why executor " + killed.executor + " was removed")
        .contains("Exit status: 137");
    assertThat(executorContainers(app)).as(train.describe()).hasSizeGreaterThan(EXECUTORS);
  }

  /** The executor that was killed: its application, Spark executor id and process id. */
  private record Killed(String app, String executor, long pid, int stage, String task) {}

  /**
   * Waits for a running task of an averaging stage whose job description starts with {@code
   * description}, then kills the JVM of the executor that runs it with SIGKILL.
   */
  private static Killed killExecutorDuringFit(Job job, String ui, String description)
      throws Exception {
    long deadline = System.nanoTime() + JOB_TIMEOUT.toNanos();
    String app = null;
    while (job.process.isAlive() && System.nanoTime() < deadline) {
      try {
        if (app == null) {
          JsonNode apps = get(ui + "/api/v1/applications");
          app = apps.size() > 0 ? apps.get(0).path("id").asText() : null;
        }
        if (app != null) {
          for (JsonNode stage : get(ui + "/api/v1/applications/" + app + "/stages?status=active")) {
            if (!stage.path("name").asText().contains(AVERAGING_STAGE)
                || !stage.path("description").asText().startsWith(description)) {
              continue;
            }
            JsonNode detail =
                get(
                    ui
                        + "/api/v1/applications/"
                        + app
                        + "/stages/"
                        + stage.path("stageId").asInt()
                        + "/"
                        + stage.path("attemptId").asInt()
                        + "?details=true");
            for (JsonNode task : detail.path("tasks")) {
              String executor = task.path("executorId").asText();
              if (task.path("status").asText().equals("RUNNING") && !executor.equals("driver")) {
                Optional<ProcessHandle> jvm = executorJvm(app, executor);
                if (jvm.isPresent()) {
                  jvm.get().destroyForcibly();
                  return new Killed(
                      app,
                      executor,
                      jvm.get().pid(),
                      stage.path("stageId").asInt(),
                      task.path("taskId").asText());
                }
              }
            }
          }
        }
      } catch (IOException e) {
        // The driver's UI is not up yet, or it is between two pages.
      }
      Thread.sleep(POLL_MS);
    }
    throw new AssertionError(
        "Cannot kill an executor: no task of '"
            + AVERAGING_STAGE
            + "' ran for '"
            + description
            + "' ("
            + job.describe()
            + ")");
  }

  private static JsonNode get(String url) throws IOException {
    HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
    c.setConnectTimeout(5000);
    c.setReadTimeout(5000);
    try (InputStream in = c.getInputStream()) {
      return JSON.readTree(in);
    } finally {
      c.disconnect();
    }
  }

  /** The JVM of executor {@code executor} of application {@code app}, from its command line. */
  private static Optional<ProcessHandle> executorJvm(String app, String executor) {
    return containerJvms(app).stream()
        .filter(p -> commandLine(p).contains(EXECUTOR_CLASS))
        .filter(
            p -> {
              List<String> args = commandLine(p);
              int i = args.indexOf("--executor-id");
              return i >= 0 && i + 1 < args.size() && args.get(i + 1).equals(executor);
            })
        .findFirst();
  }

  /** The JVMs (application master, executors) that the NodeManager runs for {@code app}. */
  private static List<ProcessHandle> containerJvms(String app) {
    try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
      return all.filter(
              p -> {
                List<String> args = commandLine(p);
                return !args.isEmpty()
                    && args.get(0).endsWith("/java")
                    && args.stream().anyMatch(a -> a.contains(app));
              })
          .collect(Collectors.toList());
    }
  }

  /** A process's arguments from /proc (ProcessHandle.Info may truncate them). */
  private static List<String> commandLine(ProcessHandle p) {
    try {
      byte[] raw = Files.readAllBytes(Path.of("/proc", String.valueOf(p.pid()), "cmdline"));
      if (raw.length == 0) {
        return List.of();
      }
      return Arrays.asList(new String(raw, UTF_8).split("\0"));
    } catch (IOException | UncheckedIOException e) {
      return List.of();
    }
  }

  /**
   * The application a job started: the one application the ResourceManager lists that was not there
   * before, FINISHED with status SUCCEEDED, of type SPARK and named as submit-job names it.
   */
  private static ApplicationReport checkFinishedOnYarn(Job job) throws Exception {
    assertThat(job.exitCode).as(job.describe()).isZero();
    List<ApplicationReport> fresh =
        yarnClient.getApplications().stream()
            .filter(a -> !seenApps.contains(a.getApplicationId()))
            .collect(Collectors.toList());
    fresh.forEach(a -> seenApps.add(a.getApplicationId()));
    assertThat(fresh).as("applications of " + job.describe()).hasSize(1);
    ApplicationReport app = fresh.get(0);
    assertThat(app.getName()).isEqualTo("sasrec " + job.sparkJob);
    assertThat(app.getApplicationType()).isEqualTo("SPARK");
    assertThat(app.getYarnApplicationState()).isEqualTo(YarnApplicationState.FINISHED);
    assertThat(app.getFinalApplicationStatus()).isEqualTo(FinalApplicationStatus.SUCCEEDED);
    assertThat(Files.readString(job.log)).contains(app.getApplicationId().toString());
    System.out.printf(
        "%s ran on YARN as %s (%s, %s)%n",
        job.name,
        app.getApplicationId(),
        app.getYarnApplicationState(),
        app.getFinalApplicationStatus());
    return app;
  }

  /**
   * The container log directories of an application's executors in the NodeManager's log
   * directories: every container but the first (the application master), each with a stderr.
   */
  private static List<Path> executorContainers(ApplicationReport app) throws IOException {
    String appId = app.getApplicationId().toString();
    String amSuffix = "_000001";
    List<Path> executors = new ArrayList<>();
    for (String dir :
        yarn.getNodeManager(0).getConfig().getTrimmedStrings(YarnConfiguration.NM_LOG_DIRS)) {
      Path appDir = Path.of(dir.replaceFirst("^file:", ""), appId);
      if (!Files.isDirectory(appDir)) {
        continue;
      }
      try (Stream<Path> containers = Files.list(appDir)) {
        containers
            .filter(c -> c.getFileName().toString().startsWith("container_"))
            .filter(c -> !c.getFileName().toString().endsWith(amSuffix))
            .forEach(executors::add);
      }
    }
    assertThat(executors)
        .as("executor container logs of " + appId)
        .allSatisfy(c -> assertThat(c.resolve("stderr")).isRegularFile());
    return executors;
  }

  private static void checkTrainingOutputs(String run, int epochs) throws IOException {
    List<String> metrics = readLines(run + "/metrics.csv");
    assertThat(metrics).as(run + "/metrics.csv").hasSize(epochs + 1);
    List<String> header = Arrays.asList(metrics.get(0).split(","));
    int epoch = header.indexOf("epoch");
    int trainLoss = header.indexOf("train_loss");
    int valLoss = header.indexOf("val_loss");
    for (int e = 1; e <= epochs; e++) {
      String[] row = metrics.get(e).split(",");
      assertThat(Integer.parseInt(row[epoch])).isEqualTo(e);
      assertThat(Double.parseDouble(row[trainLoss])).isFinite().isPositive();
      assertThat(Double.parseDouble(row[valLoss])).isFinite().isPositive();
      for (String ext : List.of(".zip", ".json")) {
        String checkpoint = String.format("%s/checkpoints/epoch-%04d%s", run, e, ext);
        assertThat(hdfs.getFileStatus(new org.apache.hadoop.fs.Path(checkpoint)).getLen())
            .as(checkpoint)
            .isPositive();
      }
    }
    assertThat(hdfs.getFileStatus(new org.apache.hadoop.fs.Path(run + "/model/model.zip")).getLen())
        .isPositive();
    assertThat(readJson(run + "/results.json").path("test_ndcg10_full").isNumber()).isTrue();
  }

  private static JsonNode readJson(String path) throws IOException {
    try (InputStream in = hdfs.open(new org.apache.hadoop.fs.Path(path))) {
      return JSON.readTree(in);
    }
  }

  private static List<String> readLines(String path) throws IOException {
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(hdfs.open(new org.apache.hadoop.fs.Path(path)), UTF_8))) {
      return in.lines().filter(l -> !l.isBlank()).collect(Collectors.toList());
    }
  }

  /** One application's Spark event log, in the events directory on HDFS. */
  private record EventLog(String path, List<JsonNode> events) {

    static EventLog of(ApplicationReport app) throws IOException {
      String path = "/events/" + app.getApplicationId();
      List<JsonNode> events = new ArrayList<>();
      for (String line : readLines(path)) {
        events.add(JSON.readTree(line));
      }
      return new EventLog(path, events);
    }

    private Stream<JsonNode> taskEnds() {
      return events.stream().filter(e -> e.path("Event").asText().equals("SparkListenerTaskEnd"));
    }

    long failedTasks() {
      return taskEnds()
          .filter(e -> !e.path("Task End Reason").path("Reason").asText().equals("Success"))
          .count();
    }

    long lostTasks() {
      return taskEnds()
          .filter(
              e -> e.path("Task End Reason").path("Reason").asText().equals("ExecutorLostFailure"))
          .count();
    }

    /** Removed executor id → the reason Spark gives. */
    Map<String, String> removedExecutors() {
      return events.stream()
          .filter(e -> e.path("Event").asText().equals("SparkListenerExecutorRemoved"))
          .collect(
              Collectors.toMap(
                  e -> e.path("Executor ID").asText(),
                  e -> e.path("Removed Reason").asText(),
                  (a, b) -> a));
    }

    /** Stage id → the executors with a successful task in it, for the stages named {@code name}. */
    Map<Integer, Set<String>> executorsPerStage(String name) {
      Set<Integer> stages =
          events.stream()
              .filter(e -> e.path("Event").asText().equals("SparkListenerStageSubmitted"))
              .filter(e -> e.path("Stage Info").path("Stage Name").asText().contains(name))
              .map(e -> e.path("Stage Info").path("Stage ID").asInt())
              .collect(Collectors.toSet());
      Map<Integer, Set<String>> executors = new HashMap<>();
      stages.forEach(s -> executors.put(s, new HashSet<>()));
      taskEnds()
          .filter(e -> stages.contains(e.path("Stage ID").asInt()))
          .filter(e -> e.path("Task End Reason").path("Reason").asText().equals("Success"))
          .forEach(
              e ->
                  executors
                      .get(e.path("Stage ID").asInt())
                      .add(e.path("Task Info").path("Executor ID").asText()));
      return executors;
    }
  }

  /** One spark-submit process: a job on YARN through submit-job, or a local one. */
  private static final class Job {
    final String name;
    final String sparkJob;
    final List<String> command;
    final Map<String, String> env = new HashMap<>();
    final Path log;
    Process process;
    int exitCode = -1;

    private Job(String name, String sparkJob, List<String> command) {
      this.name = name;
      this.sparkJob = sparkJob;
      this.command = command;
      this.log = WORK.resolve(name + ".log");
      env.put("SPARK_LOCAL_IP", "127.0.0.1");
      env.put("HADOOP_CONF_DIR", confDir.toString());
      env.put("YARN_CONF_DIR", confDir.toString());
    }

    /** A job without Spark (GenerateSample) through the local launcher. */
    static Job local(String name, String sparkJob, String... args) {
      List<String> command = new ArrayList<>();
      command.add(ROOT.resolve("submit/spark-submit").toString());
      command.addAll(List.of("--class", sparkJob, ROOT.resolve("target/sasrec-spark.jar") + ""));
      command.addAll(List.of(args));
      return new Job(name, sparkJob, command);
    }

    static Job yarn(String name, String sparkJob, String... args) {
      return yarn(name, sparkJob, List.of(), args);
    }

    /**
     * {@code submit/submit-job yarn JOB ARGS} in client mode. The test's settings go through
     * SASREC_SPARK_OPTS as a user's would: the executors' and application master's size (the
     * cluster layer's is 4 cores, 6 GiB + 8 GiB), where the containers find Spark's jars and Java
     * 17, the event log, then {@code sparkOpts}.
     */
    static Job yarn(String name, String sparkJob, List<String> sparkOpts, String... args) {
      List<String> command = new ArrayList<>();
      command.add(ROOT.resolve("submit/submit-job").toString());
      command.addAll(List.of("yarn", sparkJob));
      command.addAll(List.of(args));
      Job job = new Job(name, sparkJob, command);
      String javaHome = System.getProperty("java.home");
      List<String> opts = new ArrayList<>();
      opts.addAll(List.of("--driver-memory", "2g"));
      for (String conf :
          List.of(
              "spark.yarn.jars=" + yarnJars(),
              "spark.executor.cores=1",
              "spark.executor.memory=1g",
              "spark.executor.memoryOverhead=1g",
              "spark.yarn.am.memory=512m",
              "spark.yarn.appMasterEnv.JAVA_HOME=" + javaHome,
              "spark.executorEnv.JAVA_HOME=" + javaHome,
              "spark.sql.shuffle.partitions=4",
              "spark.ui.showConsoleProgress=false",
              "spark.eventLog.enabled=true",
              "spark.eventLog.dir=" + hdfsRoot + "/events")) {
        opts.addAll(List.of("--conf", conf));
      }
      opts.addAll(sparkOpts);
      job.env.put("SPARK_HOME", sparkHome.toString());
      job.env.put("SASREC_DEPLOY_MODE", "client");
      job.env.put("SASREC_SPARK_OPTS", String.join(" ", opts));
      return job;
    }

    /**
     * Spark's jars for the containers: the project's Maven classpath (what submit/spark-submit
     * runs), as {@code local:} URIs, found on this machine where the NodeManager runs, so nothing
     * is uploaded.
     */
    private static String yarnJars() {
      try {
        return Arrays.stream(
                Files.readString(ROOT.resolve("target/spark-classpath.txt")).trim().split(":"))
            .map(jar -> "local:" + jar)
            .collect(Collectors.joining(","));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    Job start() throws IOException {
      ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile());
      builder.environment().putAll(env);
      builder.redirectErrorStream(true).redirectOutput(log.toFile());
      System.out.println("== " + name + ": " + String.join(" ", command));
      process = builder.start();
      drivers.add(process);
      return this;
    }

    Job await() throws InterruptedException {
      if (!process.waitFor(JOB_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor();
        fail("Cannot finish " + name + ": still running after " + JOB_TIMEOUT + " (" + log + ")");
      }
      exitCode = process.exitValue();
      return this;
    }

    Job run() throws IOException, InterruptedException {
      return start().await();
    }

    String describe() {
      String tail;
      try {
        List<String> lines = Files.readAllLines(log);
        tail = String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
      } catch (IOException e) {
        tail = "(no log: " + e.getMessage() + ")";
      }
      return name + " (exit " + exitCode + ", " + log + "):\n" + tail;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static void writeXml(Configuration conf, Path file) throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      conf.writeXml(out);
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted((a, b) -> b.compareTo(a)).collect(Collectors.toList())) {
        Files.delete(p);
      }
    }
  }
}
