package dev.sasrec.train;

import dev.sasrec.config.OptionSet;
import dev.sasrec.config.Options;
import dev.sasrec.config.Param;
import dev.sasrec.eval.ValidationSample;
import dev.sasrec.io.JobOutput;
import dev.sasrec.model.ModelConfig;
import dev.sasrec.model.Objective;
import dev.sasrec.model.SASRec;
import dev.sasrec.model.dl4j.ItemUpdates;
import dev.sasrec.train.sparse.RowSparseTrainingMaster;
import java.util.Map;
import org.apache.hadoop.fs.Path;

/** The typed, validated configuration of TrainSASRec. Defaults: conf/train.properties. */
public record TrainConfig(
    String input,
    String output,
    int epochs,
    int workers,
    int batchSize,
    int averagingFrequency,
    ItemUpdates itemUpdates,
    Averaging averaging,
    Architecture architecture,
    LearningRate learningRate,
    double adamBeta2,
    long seed,
    SASRec.Targets targets,
    Objective objective,
    int evalEvery,
    ValidationSample validationSample,
    int patience,
    boolean resume,
    boolean overwrite,
    int keepCheckpoints,
    boolean dryRun,
    Map<String, String> resolvedOptions) {

  /**
   * The options of TrainSASRec, each declared once: the command line, its help and
   * conf/train.properties derive from these.
   */
  public static final class Key {
    private Key() {}

    public static final Param<String> INPUT =
        Param.uri("input")
            .requiredUnless("summary")
            .doc(
                "Preprocess output to train on (any Hadoop URI); its manifest.json is validated "
                    + "first.");

    public static final Param<String> OUTPUT =
        Param.uri("output")
            .requiredUnless("summary")
            .doc("Run directory (any Hadoop URI): metrics, plots, checkpoints, the model.");

    public static final Param<Integer> EPOCHS =
        Param.integer("epochs", 20).atLeast(1).doc("Passes over the training sequences.");

    public static final Param<Integer> WORKERS =
        Param.integer("workers", 2)
            .atLeast(1)
            .doc("Spark workers that train in parallel; parameters are averaged between them.");

    public static final Param<Integer> BATCH_SIZE =
        Param.integer("batch-size", 64)
            .atLeast(1)
            .doc(
                "Sequences per minibatch, per worker (64 × 2 workers = the global batch of 128 of "
                    + "pmixer/SASRec.pytorch).");

    public static final Param<Integer> AVERAGING_FREQUENCY =
        Param.integer("averaging-frequency", 5)
            .atLeast(1)
            .doc("Minibatches each worker fits between two parameter averagings.");

    public static final Param<ItemUpdates> ITEM_UPDATES =
        Param.choice("item-updates", ItemUpdates.SPARSE)
            .doc(
                "How Adam updates the item tables (and CAFE's category table): sparse (lazy Adam: "
                    + "only the rows a batch touches, with per-row moments and step counts, as "
                    + "torch.optim.SparseAdam) | dense (every row at every step, DL4J's Adam). Sparse "
                    + "makes a step cost the batch, not the catalogue.");

    public static final Param<Averaging> AVERAGING =
        Param.choice("averaging", Averaging.SPARSE)
            .doc(
                "What a parameter-averaging round moves: sparse (the dense parameters and only "
                    + "the item rows a worker changed, each row averaged over the workers that changed "
                    + "it) | dense (DL4J's ParameterAveragingTrainingMaster: the whole parameter vector "
                    + "and Adam state from every worker).");

    public static final Param<Double> LR =
        Param.decimal("lr", "0.003")
            .doc(
                "Adam learning rate (of the first epoch under a schedule). 0.003 won the A/B against"
                    + " 0.002 on ML-1M and Gowalla at 5 and 20 epochs (docs/measurements.md).");

    public static final Param<LearningRate.Schedule> LR_SCHEDULE =
        Param.choice("lr-schedule", LearningRate.Schedule.COSINE)
            .doc(
                "How the learning rate moves over --epochs: constant | cosine (half a cosine from "
                    + "--lr in epoch 1 towards 0 after the last epoch; set per epoch, so a resumed run "
                    + "continues the same curve).");

    public static final Param<Double> ADAM_BETA2 =
        Param.decimal("adam-beta2", "0.999")
            .check(b -> b > 0 && b < 1, "must be in (0, 1)")
            .doc("Adam's beta2, the decay of its second moment (pmixer/SASRec.pytorch: 0.98).");

    public static final Param<Long> SEED =
        Param.longInteger("seed", 42)
            .doc(
                "Seed of initialization, negatives and dropout: the same seed gives the same run.");

    public static final Param<Objective.Loss> LOSS =
        Param.choice("loss", Objective.Loss.BCE)
            .doc(
                "Loss: bce (the paper: one negative per position) | gbce (gSASRec: --negatives "
                    + "per row, calibrated by --gbce-t; its logits get the constant ln(beta/K), see "
                    + "docs/design.md \"gSASRec\").");

    public static final Param<Integer> NEGATIVES =
        Param.integer("negatives", 256)
            .atLeast(1)
            .doc("Negatives per row for gbce (shared by the row's positions; gSASRec uses 256).");

    public static final Param<Double> GBCE_T =
        Param.decimal("gbce-t", "0.75")
            .doc("gSASRec's calibration t in [0, 1] (0 = plain BCE over the negatives).");

    public static final Param<SASRec.Targets> TARGETS =
        Param.choice("targets", SASRec.Targets.ALL)
            .doc(
                "Positions trained on: all (every non-padding position, the paper) | last (the "
                    + "last position only).");

    public static final Param<Integer> EVAL_EVERY =
        Param.integer("eval-every", 1)
            .atLeast(1)
            .doc(
                "Compute ranking metrics (HR@10, NDCG@10) every this many epochs (and always at "
                    + "the last).");

    public static final Param<ValidationSample> VALIDATION_EXAMPLES =
        Param.text("validation-examples", "auto")
            .label("all|auto|N")
            .map(ValidationSample::parse)
            .doc(
                "Validation examples ranked each evaluated epoch: all | auto | a number. Full "
                    + "ranking scores every item for every example, about the cost of training that "
                    + "example: auto takes all of them while examples x items stays within 1.5 billion "
                    + "scores (ML-1M: all 6,040), else a fixed sample of 1.5 billion / items (at least "
                    + "1,000; 2,364 of 20,000 at 634,381 items). A sample depends on --seed only, so "
                    + "every epoch (and a resumed run) ranks the same examples; the test ranks all.");

    public static final Param<Integer> PATIENCE =
        Param.integer("patience", 5)
            .atLeast(0)
            .doc(
                "Stop after this many evaluated epochs without a better validation NDCG@10 (full "
                    + "ranking); 0 = never.");

    public static final Param<Boolean> RESUME =
        Param.bool("resume", false)
            .doc("Continue from the newest complete checkpoint in <output>/checkpoints/.");

    public static final Param<Boolean> OVERWRITE =
        Param.bool("overwrite", false)
            .doc("Replace an existing run directory (false: fail unless --resume).");

    public static final Param<Integer> KEEP_CHECKPOINTS =
        Param.integer("keep-checkpoints", 3)
            .atLeast(1)
            .doc("Checkpoints kept besides the best one.");

    public static final Param<Boolean> SUMMARY =
        Param.bool("summary", false)
            .doc(
                "Print the layer table and parameter count for --items items and exit (no data, "
                    + "no Spark; sequences of Preprocess's default --max-len).");

    public static final Param<Integer> ITEMS =
        Param.integer("items")
            .atLeast(1)
            .requiredWith("summary")
            .doc("Items in the vocabulary for --summary.");

    public static final Param<Integer> CATEGORIES =
        Param.integer("categories", 0).doc("Item categories for --summary with --model cafe.");

    public static final Param<Boolean> DRY_RUN =
        Param.bool("dry-run", false)
            .doc(
                "Validate the configuration, the Preprocess output and the run directory, print "
                    + "the plan and exit.");
  }

  /** What a parameter-averaging round moves ({@code --averaging}). */
  public enum Averaging {
    /** The dense parameters and the item rows workers changed ({@link RowSparseTrainingMaster}). */
    SPARSE,
    /** Everything, from every worker (DL4J's ParameterAveragingTrainingMaster). */
    DENSE
  }

  /** Every option of the job. */
  public static final OptionSet OPTIONS =
      OptionSet.of(
          "train",
          "Defaults of the TrainSASRec job: every key is a command-line option (--key value; a"
              + " true/false option also stands alone: --resume means --resume true).\n"
              + "Precedence: these defaults < a file given with --config < options on the command"
              + " line.\n"
              + "Spark settings (master, executors, memory) stay Spark's: spark-submit --conf /"
              + " --properties-file.",
          Key.class,
          Architecture.Key.class);

  public TrainConfig {
    if (architecture.cafe() && objective.loss() != Objective.Loss.BCE) {
      throw Options.bad(
          Key.LOSS,
          Options.cliName(objective.loss()),
          "CAFE trains with bce (item + category BCE)");
    }
    resolvedOptions = Map.copyOf(resolvedOptions);
  }

  public static TrainConfig from(Options o) {
    int epochs = Key.EPOCHS.get(o);
    return new TrainConfig(
        Key.INPUT.get(o),
        Key.OUTPUT.get(o),
        epochs,
        Key.WORKERS.get(o),
        Key.BATCH_SIZE.get(o),
        Key.AVERAGING_FREQUENCY.get(o),
        Key.ITEM_UPDATES.get(o),
        Key.AVERAGING.get(o),
        Architecture.from(o),
        new LearningRate(Key.LR.get(o), Key.LR_SCHEDULE.get(o), epochs),
        Key.ADAM_BETA2.get(o),
        Key.SEED.get(o),
        Key.TARGETS.get(o),
        objective(o),
        Key.EVAL_EVERY.get(o),
        Key.VALIDATION_EXAMPLES.get(o),
        Key.PATIENCE.get(o),
        Key.RESUME.get(o),
        Key.OVERWRITE.get(o),
        Key.KEEP_CHECKPOINTS.get(o),
        Key.DRY_RUN.get(o),
        o.asMap());
  }

  /**
   * The run directory: {@code --resume} continues it (over {@code --overwrite}), {@code
   * --overwrite} replaces it; it may not contain the Preprocess output.
   */
  public JobOutput.Target outputTarget() {
    JobOutput.IfExists ifExists =
        resume ? JobOutput.IfExists.CONTINUE : JobOutput.IfExists.replaceWhen(overwrite);
    return JobOutput.Target.run(
            "TrainSASRec", new Path(output), ifExists, Key.RESUME, Key.OVERWRITE)
        .readingFrom(new Path(input));
  }

  /** Whether the options ask for {@code --summary} (no data, no Spark) rather than a run. */
  public static boolean summaryRequested(Options o) {
    return Key.SUMMARY.get(o);
  }

  /**
   * {@code --summary}: the model of {@code --items} items (and {@code --categories} for CAFE) at
   * sequence length {@code maxLen}, built as training builds it.
   */
  public static ModelConfig summaryModel(Options o, int maxLen) {
    Architecture architecture = Architecture.from(o);
    return architecture.forData(
        Key.ITEMS.get(o), maxLen, architecture.cafe() ? summaryCategories(o) : 0);
  }

  private static int summaryCategories(Options o) {
    int categories = Key.CATEGORIES.get(o);
    if (categories < 1) {
      throw Options.bad(Key.CATEGORIES, o.string(Key.CATEGORIES), "must be at least 1");
    }
    return categories;
  }

  /** gBCE's t is checked by the objective's own rule even under BCE, which ignores it. */
  private static Objective objective(Options o) {
    Objective.Loss loss = Key.LOSS.get(o);
    double t = Key.GBCE_T.get(o);
    Architecture.refuseAs(Key.GBCE_T, o, () -> new Objective(Objective.Loss.GBCE, 1, t));
    return loss == Objective.Loss.BCE
        ? Objective.BCE
        : new Objective(loss, Key.NEGATIVES.get(o), t);
  }
}
