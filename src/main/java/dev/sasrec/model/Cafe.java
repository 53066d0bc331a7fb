package dev.sasrec.model;

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
 * Features: [B, 2L], the item ids then their category ids. Labels: [B, 4L], the next item, a
 * negative item, the next item's category and a negative category, per position. The category
 * encoder's parameters carry {@link ParamLayout#CATEGORY_PREFIX}.
 */
public final class Cafe implements SequenceModel {

  private final ModelConfig config;
  private final SASRec.Targets targets;
  private final Encoder itemEncoder;
  private final Encoder categoryEncoder;

  public Cafe(ModelConfig config, SASRec.Targets targets) {
    if (!config.cafe()) {
      throw new IllegalArgumentException(
          "Cannot build CAFE: the model configuration has no categories (" + config + ")");
    }
    this.config = config;
    this.targets = targets;
    this.itemEncoder = new Encoder(config);
    this.categoryEncoder = new Encoder(config.categoryEncoder());
  }

  @Override
  public ModelConfig config() {
    return config;
  }

  @Override
  public int labelColumns() {
    return 4 * config.maxLen();
  }

  @Override
  public SASRec.Step step(
      Map<String, INDArray> p,
      Map<String, INDArray> g,
      INDArray features,
      INDArray labels,
      boolean training,
      Random random,
      double gradScale) {
    Map<String, INDArray> pc = ParamLayout.categoryScope(p);
    Map<String, INDArray> gc = g == null ? null : ParamLayout.categoryScope(g);
    Batch items = batch(features, 0, p);
    Batch categories = batch(features, 1, p);
    Encoder.Pass itemPass = itemEncoder.forward(p, items, training, random);
    Encoder.Pass categoryPass = categoryEncoder.forward(pc, categories, training, random);
    INDArray fused = itemPass.hidden().add(categoryPass.hidden()); // [B·L, d]

    int[] positives = ids(labels, 0);
    boolean[] scored = SASRec.scored(positives, config.maxLen(), targets);
    TiedBceHead.Result itemHead =
        TiedBceHead.apply(
            p, g, fused, positives, ids(labels, 1), scored, config.outputTable(), gradScale);
    TiedBceHead.Result categoryHead =
        TiedBceHead.apply(
            pc,
            gc,
            categoryPass.hidden(),
            ids(labels, 2),
            ids(labels, 3),
            scored,
            ParamLayout.ITEM_EMBEDDING,
            gradScale);
    if (g != null) {
      // The category states feed both heads: through the fusion and directly.
      INDArray dCategory = itemHead.dHidden().add(categoryHead.dHidden());
      itemEncoder.backward(p, g, itemPass, itemHead.dHidden());
      categoryEncoder.backward(pc, gc, categoryPass, dCategory);
    }
    return new SASRec.Step(
        itemHead.loss() + categoryHead.loss(),
        itemHead.positions(),
        itemHead.correct() + categoryHead.correct(),
        itemHead.decisions() + categoryHead.decisions());
  }

  /** The fused state after the last position: [B, d]. */
  @Override
  public INDArray lastHidden(Map<String, INDArray> p, INDArray features) {
    return lastStates(p, features)[0];
  }

  @Override
  public INDArray lastScores(Map<String, INDArray> p, INDArray features, int[] itemCategories) {
    if (itemCategories == null || itemCategories.length != config.itemRows()) {
      throw new IllegalArgumentException(
          "Cannot score items with CAFE: need the category of each of the "
              + config.itemRows()
              + " item rows (got "
              + (itemCategories == null ? "none" : itemCategories.length)
              + ")");
    }
    INDArray[] last = lastStates(p, features);
    INDArray itemScores = Nd4j.gemm(last[0], p.get(config.outputTable()), false, true); // [B, N+1]
    INDArray categoryScores =
        Nd4j.gemm(
            p.get(ParamLayout.CATEGORY_PREFIX + ParamLayout.ITEM_EMBEDDING),
            last[1],
            false,
            true); // [C+1, B]
    // Each item column gets its category's logit: rows of [C+1, B] picked per item → [N+1, B].
    INDArray perItem = Nd4j.pullRows(categoryScores, 1, itemCategories);
    return itemScores.addi(perItem.transpose());
  }

  /** The fused and the category state after the last position, each [B, d]. */
  private INDArray[] lastStates(Map<String, INDArray> p, INDArray features) {
    Batch items = batch(features, 0, p);
    Batch categories = batch(features, 1, p);
    INDArray h = itemEncoder.forward(p, items, false, null).hidden();
    INDArray c =
        categoryEncoder.forward(ParamLayout.categoryScope(p), categories, false, null).hidden();
    INDArray category = SASRec.lastPositions(c, categories);
    return new INDArray[] {SASRec.lastPositions(h, items).addi(category), category};
  }

  /** Block {@code part} (0 = items, 1 = categories) of the feature columns, as a batch. */
  private Batch batch(INDArray features, int part, Map<String, INDArray> p) {
    return Batch.of(
        block(features, part), config.heads(), p.get(ParamLayout.ITEM_EMBEDDING).dataType());
  }

  /** Label block {@code part} of L columns, as ids in row-major order. */
  private int[] ids(INDArray labels, int part) {
    return SASRec.ids(block(labels, part));
  }

  /** Columns [part·L, (part+1)·L) of every row. */
  private INDArray block(INDArray rows, int part) {
    long length = config.maxLen();
    return rows.get(NDArrayIndex.all(), NDArrayIndex.interval(part * length, (part + 1) * length));
  }
}
