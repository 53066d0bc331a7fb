package dev.sasrec.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * CAFE, coarse-to-fine (Li et al., SIGIR 2022): a second SASRec encoder reads the sequence of the
 * items' categories (the coarse intent) beside the item encoder.
 *
 * <ol>
 *   <li>category states C = Encoder_cat(categories) [B·L, d]; item states H = Encoder_item(items)
 *       [B·L, d]
 *   <li>fused F = H + C, per position
 *   <li>item logits ⟨F, e_item⟩ and category logits ⟨C, e_category⟩, each with BCE against one
 *       sampled negative per position; loss = item BCE + category BCE
 *   <li>ranking: score(item j) = ⟨F, e_j⟩ + ⟨C, e_category(j)⟩
 * </ol>
 *
 * Features: [B, 2L], the item ids then their category ids. Labels: {@link LabelLayout.Kind#CAFE}.
 * The category encoder's parameters carry {@link ParamLayout#CATEGORY_PREFIX}.
 */
public final class Cafe implements SequenceModel {

  private final ModelConfig config;
  private final SASRec.Targets targets;
  private final Encoder itemEncoder;
  private final OutputTable output;
  private final Encoder categoryEncoder;
  private final LabelLayout labels;

  public Cafe(ModelConfig config, SASRec.Targets targets) {
    if (!config.cafe()) {
      throw new IllegalArgumentException(
          "Cannot build CAFE: the model configuration has no categories (" + config + ")");
    }
    this.config = config;
    this.targets = targets;
    this.itemEncoder = new Encoder(Scope.ITEMS, config);
    this.output = new OutputTable(config, itemEncoder.tableKey());
    this.categoryEncoder = new Encoder(Scope.CATEGORIES, config.categoryEncoder());
    this.labels = LabelLayout.of(Objective.BCE, config.maxLen(), true);
  }

  @Override
  public ModelConfig config() {
    return config;
  }

  @Override
  public List<ParamLayout.Part> parts() {
    List<ParamLayout.Part> parts = new ArrayList<>(itemEncoder.parts());
    parts.addAll(output.parts());
    parts.addAll(categoryEncoder.parts());
    return parts;
  }

  @Override
  public LabelLayout labels() {
    return labels;
  }

  @Override
  public SASRec.Step stepInWorkspace(
      Map<String, INDArray> p,
      Map<String, INDArray> g,
      INDArray features,
      INDArray labelRows,
      boolean training,
      Random random,
      double gradScale) {
    Batch items = batch(features, 0, p);
    Batch categories = batch(features, 1, p);
    Encoder.Pass itemPass = itemEncoder.forward(p, items, training, random);
    Encoder.Pass categoryPass = categoryEncoder.forward(p, categories, training, random);
    INDArray fused = itemPass.hidden().add(categoryPass.hidden()); // [B·L, d]

    int[] positives = SASRec.ids(labels.positives(labelRows));
    boolean[] scored = SASRec.scored(positives, config.maxLen(), targets);
    TiedBceHead.Result itemHead =
        TiedBceHead.apply(
            p,
            g,
            fused,
            positives,
            SASRec.ids(labels.negatives(labelRows)),
            scored,
            output.key(),
            gradScale);
    TiedBceHead.Result categoryHead =
        TiedBceHead.apply(
            p,
            g,
            categoryPass.hidden(),
            SASRec.ids(labels.positiveCategories(labelRows)),
            SASRec.ids(labels.negativeCategories(labelRows)),
            scored,
            categoryEncoder.tableKey(),
            gradScale);
    if (g != null) {
      // The category states feed both heads: through the fusion and directly.
      INDArray dCategory = itemHead.dHidden().add(categoryHead.dHidden());
      itemEncoder.backward(p, g, itemPass, itemHead.dHidden());
      categoryEncoder.backward(p, g, categoryPass, dCategory);
    }
    return new SASRec.Step(
        itemHead.loss() + categoryHead.loss(),
        itemHead.positions(),
        itemHead.correct() + categoryHead.correct(),
        itemHead.decisions() + categoryHead.decisions());
  }

  @Override
  public Map<String, int[]> rowsTouched(INDArray features, INDArray labelRows) {
    long length = config.maxLen();
    INDArray items = features.get(NDArrayIndex.all(), NDArrayIndex.interval(0, length));
    INDArray itemCategories =
        features.get(NDArrayIndex.all(), NDArrayIndex.interval(length, 2 * length));
    return new TouchedRows()
        .add(itemEncoder.tableKey(), SASRec.ids(items))
        .add(output.key(), SASRec.ids(labels.positives(labelRows)))
        .add(output.key(), SASRec.ids(labels.negatives(labelRows)))
        .add(categoryEncoder.tableKey(), SASRec.ids(itemCategories))
        .add(categoryEncoder.tableKey(), SASRec.ids(labels.positiveCategories(labelRows)))
        .add(categoryEncoder.tableKey(), SASRec.ids(labels.negativeCategories(labelRows)))
        .sortedDistinct();
  }

  /** The fused state after the last position: [B, d]. */
  @Override
  public INDArray lastHidden(Map<String, INDArray> p, INDArray features) {
    return Workspaces.run(Workspaces.INFERENCE, () -> lastStates(p, features)[0].detach());
  }

  @Override
  public INDArray scoresInWorkspace(
      Map<String, INDArray> p, INDArray features, int[] itemCategories) {
    if (itemCategories == null || itemCategories.length != config.itemRows()) {
      throw new IllegalArgumentException(
          "Cannot score items with CAFE: need the category of each of the "
              + config.itemRows()
              + " item rows (got "
              + (itemCategories == null ? "none" : itemCategories.length)
              + ")");
    }
    INDArray[] last = lastStates(p, features);
    INDArray itemScores = output.scores(p, last[0]); // [B, N+1]
    INDArray categoryScores =
        Nd4j.gemm(p.get(categoryEncoder.tableKey()), last[1], false, true); // [C+1, B]
    // Each item column gets its category's logit: rows of [C+1, B] picked per item → [N+1, B].
    INDArray perItem = InputEmbedding.gather(categoryScores, itemCategories);
    return itemScores.addi(perItem.transpose());
  }

  /** The fused and the category state after the last position, each [B, d]. */
  private INDArray[] lastStates(Map<String, INDArray> p, INDArray features) {
    INDArray category = categoryEncoder.lastStates(p, batch(features, 1, p));
    INDArray fused = itemEncoder.lastStates(p, batch(features, 0, p)).addi(category);
    return new INDArray[] {fused, category};
  }

  /** Block {@code part} (0 = items, 1 = categories) of the feature columns, as a batch. */
  private Batch batch(INDArray features, int part, Map<String, INDArray> p) {
    long length = config.maxLen();
    INDArray block =
        features.get(NDArrayIndex.all(), NDArrayIndex.interval(part * length, (part + 1) * length));
    return Batch.of(block, config.heads(), p.get(itemEncoder.tableKey()).dataType());
  }
}
