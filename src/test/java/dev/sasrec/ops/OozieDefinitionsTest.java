package dev.sasrec.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sasrec.SparkTestSession;
import dev.sasrec.TinyPipeline;
import dev.sasrec.cli.JobRunner;
import dev.sasrec.cli.PreprocessCommand;
import dev.sasrec.cli.RecommendCommand;
import dev.sasrec.cli.TrainCommand;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.Source;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/**
 * submit/oozie/ against the schemas of oozie-client 5.2.1, and each Spark action's class and
 * arguments against the job itself: every {@code <arg>} list, with its EL variables pointing at
 * real files made here, must pass that job's {@code --dry-run}.
 */
@Tag("spark")
class OozieDefinitionsTest {

  private static final Path OOZIE = Path.of("submit", "oozie");
  private static final String SPARK_ACTION = "uri:oozie:spark-action:1.0";
  private static final Pattern EL = Pattern.compile("\\$\\{([A-Za-z][A-Za-z0-9_.]*)}");
  private static final String DAY = "2026-11-26";

  /** The jobs' in-process entry points (their main methods exit the JVM on failure). */
  private static final Map<String, Job> JOBS =
      Map.of(
          "Preprocess", PreprocessCommand.COMMAND::execute,
          "TrainSASRec", TrainCommand.COMMAND::execute,
          "Recommend", RecommendCommand.COMMAND::execute);

  @FunctionalInterface
  interface Job {
    int execute(String[] args, PrintStream out, PrintStream err);
  }

  /** One Spark action: its name, its main class, its arguments (EL not yet substituted). */
  record SparkAction(String name, String mainClass, List<String> args) {}

  @TempDir static Path dir;

  private static Map<String, String> variables;

  @BeforeAll
  static void variables() throws IOException {
    Properties job = new Properties();
    try (InputStream in = Files.newInputStream(OOZIE.resolve("job.properties"))) {
      job.load(in);
    }
    variables = new HashMap<>();
    job.stringPropertyNames().forEach(k -> variables.put(k, job.getProperty(k)));
    // The paths point at this test's files; day is what the coordinator would pass.
    variables.put("day", DAY);
    variables.put("logRoot", dir.resolve("logs").toString());
    variables.put("dataRoot", dir.resolve("data").toString());
  }

  private static Schema schema(String... xsds) throws SAXException {
    SchemaFactory factory = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
    Source[] sources = new Source[xsds.length];
    for (int i = 0; i < xsds.length; i++) {
      URL url = OozieDefinitionsTest.class.getClassLoader().getResource(xsds[i]);
      assertThat(url).as("%s on the test classpath (oozie-client)", xsds[i]).isNotNull();
      // The system id lets the schema's include of oozie-common-1.0.xsd resolve inside the jar.
      sources[i] = new StreamSource(url.toString());
    }
    return factory.newSchema(sources);
  }

  private static Schema workflowSchema() throws SAXException {
    return schema("oozie-workflow-1.0.xsd", "spark-action-1.0.xsd");
  }

  private static void validate(Schema schema, String xml) throws SAXException, IOException {
    schema.newValidator().validate(new StreamSource(new StringReader(xml)));
  }

  private static String read(String file) throws IOException {
    return Files.readString(OOZIE.resolve(file), StandardCharsets.UTF_8);
  }

  @Test
  void workflowIsAValidSparkActionWorkflow() throws Exception {
    validate(workflowSchema(), read("workflow.xml"));
  }

  @Test
  void coordinatorIsValid() throws Exception {
    validate(schema("oozie-coordinator-0.5.xsd"), read("coordinator.xml"));
  }

  @Test
  void aWrongElementFailsValidation() throws Exception {
    String broken =
        read("workflow.xml")
            .replaceFirst("<class>", "<main-class>")
            .replaceFirst("</class>", "</main-class>");
    assertThatThrownBy(() -> validate(workflowSchema(), broken))
        .isInstanceOf(SAXException.class)
        .hasMessageContaining("main-class");
    String brokenCoordinator =
        read("coordinator.xml")
            .replace("<concurrency>", "<parallelism>")
            .replace("</concurrency>", "</parallelism>");
    assertThatThrownBy(() -> validate(schema("oozie-coordinator-0.5.xsd"), brokenCoordinator))
        .isInstanceOf(SAXException.class)
        .hasMessageContaining("parallelism");
  }

  @Test
  void actionsRunPreprocessThenTrainThenRecommend() throws Exception {
    Document doc = parse(read("workflow.xml"));
    Element start = (Element) doc.getElementsByTagName("start").item(0);
    Map<String, String> next = new LinkedHashMap<>();
    NodeList actions = doc.getElementsByTagName("action");
    for (int i = 0; i < actions.getLength(); i++) {
      Element action = (Element) actions.item(i);
      Element ok = (Element) action.getElementsByTagName("ok").item(0);
      next.put(action.getAttribute("name"), ok.getAttribute("to"));
      assertThat(Integer.parseInt(action.getAttribute("retry-max")))
          .as("retries of %s", action.getAttribute("name"))
          .isPositive();
    }
    List<String> order = new ArrayList<>();
    for (String at = start.getAttribute("to"); next.containsKey(at); at = next.get(at)) {
      order.add(at);
    }
    assertThat(order).containsExactly("preprocess", "train", "recommend");
    assertThat(sparkActions(doc))
        .extracting(SparkAction::mainClass)
        .containsExactly("Preprocess", "TrainSASRec", "Recommend");
  }

  @Test
  void everyClassIsAMainClass() throws Exception {
    for (SparkAction action : sparkActions(parse(read("workflow.xml")))) {
      Method main = Class.forName(action.mainClass()).getMethod("main", String[].class);
      assertThat(Modifier.isStatic(main.getModifiers()) && Modifier.isPublic(main.getModifiers()))
          .as("public static main in %s", action.mainClass())
          .isTrue();
      assertThat(JOBS).containsKey(action.mainClass());
    }
  }

  @Test
  void everyActionsArgumentsPassItsJobsDryRun() throws Exception {
    Map<String, SparkAction> actions = new LinkedHashMap<>();
    for (SparkAction action : sparkActions(parse(read("workflow.xml")))) {
      actions.put(action.name(), action);
    }
    Path log = TinyPipeline.log(dir.resolve("logs").resolve(DAY));
    assertThat(log).exists();

    List<String> preprocess = substitute(actions.get("preprocess").args());
    dryRun(actions.get("preprocess"), preprocess, "Preprocess dry run");
    // A real output for the next action to validate; the tiny log needs every item kept.
    SparkTestSession.get();
    run(
        actions.get("preprocess"),
        Stream.concat(
                preprocess.stream(),
                Stream.of(
                    "--min-item-count",
                    TinyPipeline.KEEP_ALL,
                    "--min-user-count",
                    TinyPipeline.KEEP_ALL))
            .toList());

    dryRun(actions.get("train"), substitute(actions.get("train").args()), "TrainSASRec dry run");
    Path prep = dir.resolve("data/prep").resolve(DAY);
    TinyPipeline.model(
        dir.resolve("data/runs").resolve(DAY).resolve("model"), prep, TinyPipeline.items(prep));

    // The tiny model ranks 4 items, fewer than the default --k (refused as a bad option).
    dryRun(
        actions.get("recommend"),
        Stream.concat(substitute(actions.get("recommend").args()).stream(), Stream.of("--k", "3"))
            .toList(),
        "Recommend dry run");
  }

  @Test
  void aMisspelledArgumentFailsItsDryRun() throws Exception {
    SparkAction preprocess = sparkActions(parse(read("workflow.xml"))).get(0);
    List<String> args =
        substitute(preprocess.args()).stream()
            .map(a -> a.equals("--overwrite") ? "--overwrit" : a)
            .toList();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        JOBS.get(preprocess.mainClass())
            .execute(
                Stream.concat(args.stream(), Stream.of("--dry-run", "true")).toArray(String[]::new),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(code).isEqualTo(JobRunner.USAGE);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown option --overwrit");
  }

  private static void dryRun(SparkAction action, List<String> args, String expected) {
    String out = run(action, Stream.concat(args.stream(), Stream.of("--dry-run", "true")).toList());
    assertThat(out).as(action.name()).contains(expected);
  }

  private static String run(SparkAction action, List<String> args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        JOBS.get(action.mainClass())
            .execute(
                args.toArray(String[]::new),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(code)
        .as("%s %s: %s", action.name(), args, err.toString(StandardCharsets.UTF_8))
        .isEqualTo(JobRunner.OK);
    return out.toString(StandardCharsets.UTF_8);
  }

  /** Replaces ${name} as Oozie's EL would for plain variables; any other EL fails the test. */
  private static List<String> substitute(List<String> args) {
    List<String> resolved = new ArrayList<>();
    for (String arg : args) {
      String value = arg;
      for (int depth = 0; value.contains("${"); depth++) {
        assertThat(depth).as("nesting of variables in %s", arg).isLessThan(variables.size());
        Matcher m = EL.matcher(value);
        StringBuilder next = new StringBuilder();
        while (m.find()) {
          String name = m.group(1);
          assertThat(variables).as("a value for ${%s} in %s", name, arg).containsKey(name);
          m.appendReplacement(next, Matcher.quoteReplacement(variables.get(name)));
        }
        m.appendTail(next);
        assertThat(next.toString()).as("EL functions in %s", arg).isNotEqualTo(value);
        value = next.toString();
      }
      resolved.add(value);
    }
    return resolved;
  }

  private static Document parse(String xml) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    return factory.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
  }

  private static List<SparkAction> sparkActions(Document doc) {
    List<SparkAction> actions = new ArrayList<>();
    NodeList sparks = doc.getElementsByTagNameNS(SPARK_ACTION, "spark");
    for (int i = 0; i < sparks.getLength(); i++) {
      Element spark = (Element) sparks.item(i);
      String name = ((Element) spark.getParentNode()).getAttribute("name");
      String mainClass = text(spark, "class").get(0);
      actions.add(new SparkAction(name, mainClass, text(spark, "arg")));
    }
    return actions;
  }

  private static List<String> text(Element parent, String tag) {
    List<String> values = new ArrayList<>();
    NodeList nodes = parent.getElementsByTagNameNS(SPARK_ACTION, tag);
    for (int i = 0; i < nodes.getLength(); i++) {
      values.add(nodes.item(i).getTextContent().trim());
    }
    return values;
  }
}
