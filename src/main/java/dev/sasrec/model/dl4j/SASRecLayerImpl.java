package dev.sasrec.model.dl4j;

import dev.sasrec.model.RandomStreams;
import dev.sasrec.model.RowMajor;
import dev.sasrec.model.SASRec;
import dev.sasrec.model.SequenceModel;
import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The DL4J layer around {@link SASRec}: forward and backward in ND4J ops, gradients written into
 * DL4J's gradient views. Its activations are the hidden state after the last position, [B, d].
 */
public class SASRecLayerImpl extends BaseLayer<SASRecLayer> implements IOutputLayer {

  private INDArray labels;
  private transient SequenceModel model;
  private transient Random dropoutRandom;
  private transient int worker;
  private transient SASRec.Step lastStep;
  private transient INDArray lastInput;
  private transient INDArray lastLabels;

  public SASRecLayerImpl(NeuralNetConfiguration conf, DataType dataType) {
    super(conf, dataType);
  }

  private SequenceModel model() {
    if (model == null) {
      model =
          SequenceModel.of(
              layerConf().modelConfig(), layerConf().targetPolicy(), layerConf().objective());
    }
    return model;
  }

  /**
   * Dropout masks depend only on the seed, the epoch, the worker and the iteration ({@link
   * RandomStreams.Purpose#DROPOUT}): a resumed run repeats them, and two workers of one averaging
   * round draw different masks.
   */
  private Random dropoutRandom() {
    if (dropoutRandom == null) {
      dropoutRandom = Nd4j.getRandomFactory().getNewRandomInstance(layerConf().getSeed());
    }
    long key = ((long) worker << 32) | (getIterationCount() & 0xFFFF_FFFFL);
    dropoutRandom.setSeed(
        RandomStreams.seed(
            layerConf().getSeed(), RandomStreams.Purpose.DROPOUT, getEpochCount(), key));
    return dropoutRandom;
  }

  /**
   * Which parallel worker this copy of the layer trains on (0 outside parameter averaging): part of
   * its dropout stream.
   */
  public void setWorker(int worker) {
    this.worker = worker;
  }

  /** The latest training step's loss and accuracy (for listeners). */
  public SASRec.Step lastStep() {
    return lastStep;
  }

  private SASRec.Step step(boolean training, Map<String, INDArray> grads) {
    // DL4J divides gradients by the minibatch size: scale by it to get the mean loss's gradient.
    return step(training, grads, input == null ? 1 : input.size(0));
  }

  private SASRec.Step step(boolean training, Map<String, INDArray> grads, double gradScale) {
    if (input == null || labels == null) {
      throw new IllegalStateException("Cannot compute the SASRec loss: input or labels not set");
    }
    return model()
        .step(params, grads, input, labels, training, training ? dropoutRandom() : null, gradScale);
  }

  /**
   * A training step whose vocabulary-table gradients are row-sparse: the gradient of every other
   * parameter in full, and of each table in {@code rowSparse} only in the rows the batch touches
   * (zeroed first; no other row is read or written, so they may hold anything). The gradient is of
   * the mean loss (no DL4J minibatch division follows). Returns the step and each table's rows.
   */
  public SparseStep sparseStep(INDArray features, INDArray labelRows, Set<String> rowSparse) {
    this.input = features;
    this.labels = labelRows;
    Map<String, int[]> touched = new LinkedHashMap<>(model().rowsTouched(features, labelRows));
    touched.keySet().retainAll(rowSparse);
    for (Map.Entry<String, INDArray> view : gradientViews.entrySet()) {
      int[] rows = touched.get(view.getKey());
      if (rows == null) {
        view.getValue().assign(0);
      } else {
        zeroRows(view.getValue(), rows);
      }
    }
    lastStep = step(true, gradientViews, 1);
    lastInput = input;
    lastLabels = labels;
    score = lastStep.loss();
    return new SparseStep(lastStep, touched);
  }

  /** A row-sparse step: its loss and counts, and the rows of each row-sparse table it touched. */
  public record SparseStep(SASRec.Step step, Map<String, int[]> rows) {}

  private static void zeroRows(INDArray table, int[] rows) {
    if (table.dataType() != DataType.FLOAT || table.rank() != 2 || !RowMajor.withoutGaps(table)) {
      for (int r : rows) {
        table.getRow(r).assign(0);
      }
      return;
    }
    int width = (int) table.size(1);
    FloatBuffer buffer = table.data().asNioFloat();
    long at = table.offset();
    float[] zeros = new float[width];
    for (int r : rows) {
      buffer.put(Math.toIntExact(at + (long) r * width), zeros);
    }
  }

  @Override
  public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
    assertInputSet(true);
    gradientsFlattened.assign(0);
    lastStep = step(true, gradientViews);
    lastInput = input;
    lastLabels = labels;
    Gradient g = new DefaultGradient(gradientsFlattened);
    for (String key : layerConf().initializer().paramKeys(layerConf())) {
      g.setGradientFor(key, gradientViews.get(key));
    }
    gradient = g;
    score = lastStep.loss();
    // The input is item ids: there is no gradient to pass further down.
    return new Pair<>(g, null);
  }

  @Override
  public void computeGradientAndScore(LayerWorkspaceMgr mgr) {
    backpropGradient(null, mgr);
  }

  @Override
  public double computeScore(double fullNetRegTerm, boolean training, LayerWorkspaceMgr mgr) {
    double loss =
        training && lastStep != null && input == lastInput && labels == lastLabels
            ? lastStep.loss()
            : step(training, null).loss();
    score = loss + fullNetRegTerm / input.size(0);
    return score;
  }

  @Override
  public INDArray computeScoreForExamples(double fullNetRegTerm, LayerWorkspaceMgr mgr) {
    INDArray all = input;
    INDArray allLabels = labels;
    long n = all.size(0);
    INDArray scores = Nd4j.create(all.dataType(), n, 1);
    try {
      for (long i = 0; i < n; i++) {
        input = all.get(NDArrayIndex.interval(i, i + 1), NDArrayIndex.all());
        labels = allLabels.get(NDArrayIndex.interval(i, i + 1), NDArrayIndex.all());
        scores.putScalar(i, 0, step(false, null).loss() + fullNetRegTerm);
      }
    } finally {
      input = all;
      labels = allLabels;
    }
    return mgr.leverageTo(ArrayType.ACTIVATIONS, scores);
  }

  @Override
  public INDArray activate(boolean training, LayerWorkspaceMgr mgr) {
    assertInputSet(false);
    return mgr.leverageTo(ArrayType.ACTIVATIONS, model().lastHidden(params, input));
  }

  @Override
  public boolean needsLabels() {
    return true;
  }

  @Override
  public void setLabels(INDArray labels) {
    this.labels = labels;
  }

  @Override
  public INDArray getLabels() {
    return labels;
  }

  @Override
  public boolean isPretrainLayer() {
    return false;
  }

  @Override
  public Type type() {
    return Type.FEED_FORWARD;
  }

  @Override
  public void clear() {
    super.clear();
    labels = null;
    lastInput = null;
    lastLabels = null;
  }

  private static UnsupportedOperationException notAClassifier() {
    return new UnsupportedOperationException(
        "Cannot classify: SASRec is a ranking model (use the ranking evaluation)");
  }

  @Override
  public double f1Score(DataSet data) {
    throw notAClassifier();
  }

  @Override
  public double f1Score(INDArray examples, INDArray labels) {
    throw notAClassifier();
  }

  @Override
  public int numLabels() {
    return layerConf().modelConfig().itemRows();
  }

  @Override
  public void fit(DataSetIterator iter) {
    throw notAClassifier();
  }

  @Override
  public int[] predict(INDArray examples) {
    throw notAClassifier();
  }

  @Override
  public List<String> predict(DataSet dataSet) {
    throw notAClassifier();
  }

  @Override
  public void fit(INDArray examples, INDArray labels) {
    throw notAClassifier();
  }

  @Override
  public void fit(DataSet data) {
    throw notAClassifier();
  }

  @Override
  public void fit(INDArray examples, int[] labels) {
    throw notAClassifier();
  }
}
