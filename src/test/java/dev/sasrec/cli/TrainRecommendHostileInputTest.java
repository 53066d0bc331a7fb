package dev.sasrec.cli;

import dev.sasrec.TestFiles;
import dev.sasrec.TinyPipeline;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * TrainSASRec and Recommend fed hostile inputs, as {@link PreprocessHostileInputTest} feeds
 * Preprocess: each case ends with its exit code, one {@code Cannot} line and no stack trace, no
 * {@code _SUCCESS}, the output path as it was and nothing left beside it.
 */
@Tag("spark")
class TrainRecommendHostileInputTest {

  @TempDir static Path dir;

  private static Path prep;
  private static Path model;
  private static Path otherItems;

  /**
   * One row of the table.
   *
   * @param name what is hostile
   * @param command the job
   * @param args its arguments, output last (as "--output", path)
   * @param exitCode the expected exit code
   * @param message a part of the expected one line
   */
  private record Case(
      String name, JobRunner.Command command, List<String> args, int exitCode, String message) {
    @Override
    public String toString() {
      return name;
    }

    Path output() {
      return Path.of(args.get(args.indexOf("--output") + 1));
    }
  }

  @BeforeAll
  static void prepare() {
    prep = TinyPipeline.preprocess(dir);
    model = TinyPipeline.model(dir.resolve("run/model"), prep, TinyPipeline.items(prep));
    otherItems = dir.resolve("other-prep");
    TinyPipeline.preprocess(
        TestFiles.write(
            dir,
            "other.csv",
            "user_id,item_id,timestamp",
            "u,x,1",
            "u,y,2",
            "u,z,3",
            "u,w,4",
            "v,x,1",
            "v,z,2",
            "v,y,3",
            "v,w,4"),
        otherItems);
    TestFiles.write(dir, "existing/keep.txt", "an earlier run's file");
    TestFiles.write(dir, "raw/log.csv", "user_id,item_id,timestamp", "u,a,1");
  }

  static Stream<Case> cases() {
    String existing = dir.resolve("existing").toString();
    return Stream.of(
        train(
            "training input that is no Preprocess output",
            List.of("--input", dir.resolve("raw").toString()),
            "out-train",
            JobRunner.FAILED,
            "Cannot use Preprocess output: no _SUCCESS"),
        train(
            "training output inside its input",
            List.of("--input", prep.toString(), "--overwrite", "true"),
            prep.resolve("run").toString(),
            JobRunner.FAILED,
            "it overlaps the input"),
        train(
            "training output exists",
            List.of("--input", prep.toString()),
            existing,
            JobRunner.FAILED,
            "it already exists; pass --resume true to continue it or --overwrite"),
        recommend(
            "a Preprocess output given as the model",
            List.of("--model", prep.toString(), "--input", prep.toString()),
            "out-recs",
            JobRunner.FAILED,
            "Cannot read model: model.zip is missing"),
        recommend(
            "histories with no item the model knows",
            List.of("--model", model.toString(), "--input", otherItems.toString()),
            "out-recs",
            JobRunner.FAILED,
            "Cannot recommend: none of the input's 4 items is among the model's"),
        recommend(
            "more recommendations than items",
            List.of("--model", model.toString(), "--input", prep.toString(), "--k", "2147483647"),
            "out-recs",
            JobRunner.USAGE,
            "--k"),
        recommend(
            "recommendations written into the model directory",
            List.of("--model", model.toString(), "--input", prep.toString(), "--overwrite", "true"),
            model.resolve("recs").toString(),
            JobRunner.FAILED,
            "it overlaps the input"),
        recommend(
            "recommendations output exists",
            List.of("--model", model.toString(), "--input", prep.toString()),
            existing,
            JobRunner.FAILED,
            "it already exists; pass --overwrite"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void refusedInOneLineLeavingTheOutputAsItWas(Case c) {
    Refusals.assertRefused(c.command(), c.args(), c.output(), c.exitCode(), c.message());
  }

  private static Case train(
      String name, List<String> args, String output, int exitCode, String message) {
    return new Case(name, TrainCommand.COMMAND, withOutput(args, output), exitCode, message);
  }

  /**
   * A Recommend case; --k 3 unless given, as the tiny model has 4 items (the default 10 is
   * refused).
   */
  private static Case recommend(
      String name, List<String> args, String output, int exitCode, String message) {
    List<String> withK =
        args.contains("--k") ? args : Stream.concat(args.stream(), Stream.of("--k", "3")).toList();
    return new Case(name, RecommendCommand.COMMAND, withOutput(withK, output), exitCode, message);
  }

  private static List<String> withOutput(List<String> args, String output) {
    Path path = Path.of(output).isAbsolute() ? Path.of(output) : dir.resolve(output);
    return Stream.concat(args.stream(), Stream.of("--output", path.toString())).toList();
  }
}
