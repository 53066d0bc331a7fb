package dev.sasrec.train;

import dev.sasrec.config.OptionKey;
import dev.sasrec.config.OptionSet;
import dev.sasrec.config.Options;
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

  /** The options of conf/train.properties. */
  public enum Key implements OptionKey {
    INPUT,
    OUTPUT,
    EPOCHS,
    WORKERS,
    BATCH_SIZE,
    AVERAGING_FREQUENCY,
    ITEM_UPDATES,
    AVERAGING,
    HIDDEN,
    BLOCKS,
    HEADS,
    FFN,
    DROPOUT,
    ATTENTION_DROPOUT,
    FFN_DROPOUT,
    ACTIVATION,
    FINAL_LAYER_NORM,
    LR,
    LR_SCHEDULE,
    ADAM_BETA2,
    SEED,
    MODEL,
    LOSS,
    NEGATIVES,
    GBCE_T,
    OUTPUT_TABLE,
    TARGETS,
    EVAL_EVERY,
    VALIDATION_EXAMPLES,
    PATIENCE,
    RESUME,
    OVERWRITE,
    KEEP_CHECKPOINTS,
    SUMMARY,
    ITEMS,
    CATEGORIES,
    DRY_RUN
  }

  /** What a parameter-averaging round moves ({@code --averaging}). */
  public enum Averaging {
    /** The dense parameters and the item rows workers changed ({@link RowSparseTrainingMaster}). */
    SPARSE,
    /** Everything, from every worker (DL4J's ParameterAveragingTrainingMaster). */
    DENSE
  }

  /** Every option of the job and its defaults file. */
  public static final OptionSet OPTIONS = OptionSet.of("train", Key.values());

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
    int epochs = o.integerAtLeast(Key.EPOCHS, 1);
    return new TrainConfig(
        o.required(Key.INPUT),
        o.required(Key.OUTPUT),
        epochs,
        o.integerAtLeast(Key.WORKERS, 1),
        o.integerAtLeast(Key.BATCH_SIZE, 1),
        o.integerAtLeast(Key.AVERAGING_FREQUENCY, 1),
        o.choice(Key.ITEM_UPDATES, ItemUpdates.class),
        o.choice(Key.AVERAGING, Averaging.class),
        Architecture.from(o),
        new LearningRate(
            o.decimal(Key.LR), o.choice(Key.LR_SCHEDULE, LearningRate.Schedule.class), epochs),
        adamBeta2(o),
        o.longAtLeast(Key.SEED, Long.MIN_VALUE),
        o.choice(Key.TARGETS, SASRec.Targets.class),
        objective(o),
        o.integerAtLeast(Key.EVAL_EVERY, 1),
        validationSample(o),
        o.integerAtLeast(Key.PATIENCE, 0),
        o.bool(Key.RESUME),
        o.bool(Key.OVERWRITE),
        o.integerAtLeast(Key.KEEP_CHECKPOINTS, 1),
        o.bool(Key.DRY_RUN),
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
    return o.bool(Key.SUMMARY);
  }

  /**
   * {@code --summary}: the model of {@code --items} items (and {@code --categories} for CAFE) at
   * sequence length {@code maxLen}, built as training builds it.
   */
  public static ModelConfig summaryModel(Options o, int maxLen) {
    Architecture architecture = Architecture.from(o);
    return architecture.forData(
        o.integerAtLeast(Key.ITEMS, 1),
        maxLen,
        architecture.cafe() ? o.integerAtLeast(Key.CATEGORIES, 1) : 0);
  }

  /** Adam's β₂: its second-moment decay, in (0, 1). */
  private static double adamBeta2(Options o) {
    double beta2 = o.decimal(Key.ADAM_BETA2);
    if (!(beta2 > 0 && beta2 < 1)) {
      throw Options.bad(Key.ADAM_BETA2, o.string(Key.ADAM_BETA2), "must be in (0, 1)");
    }
    return beta2;
  }

  private static ValidationSample validationSample(Options o) {
    String value = o.string(Key.VALIDATION_EXAMPLES);
    try {
      return ValidationSample.parse(value);
    } catch (IllegalArgumentException e) {
      throw Options.bad(Key.VALIDATION_EXAMPLES, value, e.getMessage());
    }
  }

  /** gBCE's t is checked by the objective's own rule even under BCE, which ignores it. */
  private static Objective objective(Options o) {
    Objective.Loss loss = o.choice(Key.LOSS, Objective.Loss.class);
    double t = o.decimal(Key.GBCE_T);
    Architecture.refuseAs(Key.GBCE_T, o, () -> new Objective(Objective.Loss.GBCE, 1, t));
    return loss == Objective.Loss.BCE
        ? Objective.BCE
        : new Objective(loss, o.integerAtLeast(Key.NEGATIVES, 1), t);
  }
}
