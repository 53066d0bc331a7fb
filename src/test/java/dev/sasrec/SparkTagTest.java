package dev.sasrec;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The fast lane ({@code mvn test -DexcludedGroups=spark}) stays free of Spark: every test class
 * that uses a Spark session, a MiniDFSCluster, the tiny pipeline or a Spark job carries
 * {@code @Tag("spark")}.
 */
class SparkTagTest {

  /** The tag of the test classes that start Spark. */
  static final String SPARK = "spark";

  private static final DescribedPredicate<JavaClass> STARTS_SPARK =
      DescribedPredicate.describe(
          "a Spark session, a MiniDFSCluster, the tiny pipeline or a Spark job",
          c ->
              c.getName().equals("dev.sasrec.SparkTestSession")
                  || c.getName().equals("dev.sasrec.TinyPipeline")
                  || c.getName().equals("org.apache.hadoop.hdfs.MiniDFSCluster")
                  || c.getName().equals("org.apache.spark.sql.SparkSession")
                  || (c.getPackageName().startsWith("dev.sasrec.")
                      && c.getSimpleName().endsWith("Job")));

  private static final ArchCondition<JavaClass> TAGGED_SPARK =
      new ArchCondition<>("be tagged " + SPARK) {
        @Override
        public void check(JavaClass c, ConditionEvents events) {
          boolean tagged =
              c.tryGetAnnotationOfType(Tag.class).map(t -> t.value().equals(SPARK)).orElse(false);
          if (!tagged) {
            events.add(
                SimpleConditionEvent.violated(c, c.getName() + " starts Spark but is not tagged"));
          }
        }
      };

  @Test
  void everyTestClassThatStartsSparkIsTagged() throws URISyntaxException {
    Path tests =
        Path.of(SparkTagTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    JavaClasses testClasses = new ClassFileImporter().importPath(tests);
    classes()
        .that()
        .areTopLevelClasses()
        .and()
        .haveSimpleNameEndingWith("Test")
        .and(
            DescribedPredicate.describe(
                "use " + STARTS_SPARK.getDescription(),
                (JavaClass c) ->
                    c.getDirectDependenciesFromSelf().stream()
                        .anyMatch(d -> STARTS_SPARK.test(d.getTargetClass()))))
        .should(TAGGED_SPARK)
        .check(testClasses);
  }
}
