package dev.sasrec;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import dev.sasrec.cli.JobRunner;
import dev.sasrec.io.ModelDir;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package rules of docs/design.md "Layout of the code", on the main classes (tests may reach
 * across):
 *
 * <pre>
 * entry classes (unnamed package) → cli → jobs {preprocess, train, recommend, sample}
 *                                          → foundation {data, eval, model, io, config, gpu, spark,
 *                                                        text}
 * </pre>
 *
 * Dependencies only point to the right; inside the foundation no package cycle, and the rules
 * below.
 */
class ArchitectureTest {

  static final String CLI = "dev.sasrec.cli..";
  static final String[] JOBS = {
    "dev.sasrec.preprocess..", "dev.sasrec.train..", "dev.sasrec.recommend..", "dev.sasrec.sample.."
  };
  static final String[] FOUNDATION = {
    "dev.sasrec.data..",
    "dev.sasrec.eval..",
    "dev.sasrec.model..",
    "dev.sasrec.io..",
    "dev.sasrec.config..",
    "dev.sasrec.gpu..",
    "dev.sasrec.spark..",
    "dev.sasrec.text.."
  };

  private static JavaClasses main;

  /** The compiled main classes, the unnamed package's launch classes included. */
  @BeforeAll
  static void importMainClasses() throws URISyntaxException {
    Path classes =
        Path.of(JobRunner.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    main = new ClassFileImporter().importPath(classes);
  }

  private static final DescribedPredicate<JavaClass> ENTRY_CLASSES =
      DescribedPredicate.describe("in the unnamed package", c -> c.getPackageName().isEmpty());

  @Test
  void layersPointOneWay() {
    check(
        layeredArchitecture()
            .consideringOnlyDependenciesInLayers()
            .layer("Entry classes")
            .definedBy(ENTRY_CLASSES)
            .layer("Cli")
            .definedBy(CLI)
            .layer("Jobs")
            .definedBy(JOBS)
            .layer("Foundation")
            .definedBy(FOUNDATION)
            .whereLayer("Entry classes")
            .mayNotBeAccessedByAnyLayer()
            .whereLayer("Cli")
            .mayOnlyBeAccessedByLayers("Entry classes")
            .whereLayer("Jobs")
            .mayOnlyBeAccessedByLayers("Cli")
            .whereLayer("Foundation")
            .mayOnlyBeAccessedByLayers("Cli", "Jobs"));
  }

  /** Benchmarks live in src/bench/java, on the test classpath: the production jar has none. */
  @Test
  void theMainClassesHoldNoBenchmark() {
    assertThat(main.stream().map(JavaClass::getPackageName))
        .isNotEmpty()
        .noneMatch(p -> p.startsWith("dev.sasrec.bench"));
  }

  @Test
  void nothingButTheEntryClassesImportsCli() {
    check(
        noClasses()
            .that(DescribedPredicate.not(ENTRY_CLASSES))
            .and()
            .resideOutsideOfPackage(CLI)
            .should()
            .dependOnClassesThat()
            .resideInAPackage(CLI));
  }

  @Test
  void noJobImportsAnotherJob() {
    check(slices().assignedFrom(JOB_SLICES).should().notDependOnEachOther());
  }

  @Test
  void dataImportsNeitherPreprocessNorTheModel() {
    check(
        noClasses()
            .that()
            .resideInAPackage("dev.sasrec.data..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("dev.sasrec.preprocess..", "dev.sasrec.model.."));
  }

  @Test
  void theModelImportsNoSparkNoJobAndNoDataStep() {
    check(
        noClasses()
            .that()
            .resideInAPackage("dev.sasrec.model..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                concat(
                    JOBS,
                    "org.apache.spark..",
                    "dev.sasrec.io..",
                    "dev.sasrec.data..",
                    "dev.sasrec.eval..")));
  }

  @Test
  void ioImportsNoJob() {
    check(
        noClasses()
            .that()
            .resideInAPackage("dev.sasrec.io..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(JOBS));
  }

  /** Of io, only the model directory, which saves and loads the model, knows the model. */
  @Test
  void ioReachesTheModelOnlyThroughTheModelDirectory() {
    check(
        noClasses()
            .that()
            .resideInAPackage("dev.sasrec.io..")
            .and()
            .doNotHaveFullyQualifiedName(ModelDir.class.getName())
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("dev.sasrec.model.."));
  }

  @Test
  void textImportsOnlyJava() {
    check(
        classes()
            .that()
            .resideInAPackage("dev.sasrec.text..")
            .should()
            .onlyDependOnClassesThat()
            .resideInAnyPackage("dev.sasrec.text..", "java.."));
  }

  @Test
  void configIsTheBottomLayer() {
    check(
        classes()
            .that()
            .resideInAPackage("dev.sasrec.config..")
            .should()
            .onlyDependOnClassesThat()
            .resideInAnyPackage("dev.sasrec.config..", "java..", "org.apache.hadoop.."));
  }

  @Test
  void theTrainerRunsWithoutSparkDl4jOrFiles() {
    check(
        noClasses()
            .that()
            .haveNameMatching("dev\\.sasrec\\.train\\.(Trainer|TrainingState)(\\$.*)?")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                "org.apache.spark..", "org.apache.hadoop..", "org.deeplearning4j..", "org.nd4j.."));
  }

  @Test
  void packagesAreFreeOfCycles() {
    check(slices().matching("dev.sasrec.(*)..").should().beFreeOfCycles());
  }

  private static void check(ArchRule rule) {
    rule.check(main);
  }

  private static String[] concat(String[] packages, String... more) {
    String[] all = Arrays.copyOf(packages, packages.length + more.length);
    System.arraycopy(more, 0, all, packages.length, more.length);
    return all;
  }

  /** Each job package is a slice of its own; every other class belongs to none. */
  private static final SliceAssignment JOB_SLICES =
      new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
          for (String job : JOBS) {
            String name = job.substring(0, job.length() - 2);
            if (javaClass.getPackageName().equals(name)
                || javaClass.getPackageName().startsWith(name + ".")) {
              return SliceIdentifier.of(name);
            }
          }
          return SliceIdentifier.ignore();
        }

        @Override
        public String getDescription() {
          return "the job packages";
        }
      };
}
