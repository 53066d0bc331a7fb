package dev.sasrec.train;

import dev.sasrec.io.AtomicFile;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The charts of a training run, rewritten after every epoch so that a running job can be watched:
 * {@code loss.png} and {@code accuracy.png} with train and validation on the same axes, and {@code
 * ranking.png} with validation HR@10 and NDCG@10, sampled ranking above full ranking. PNG through
 * Hadoop's FileSystem (HDFS or local), rendered headless.
 *
 * <p>Decision: ranking in two stacked panels sharing the epoch axis, not one chart: sampled values
 * (about 0.4-0.8) are several times the full-ranking ones (about 0.02-0.2), so on one axis the full
 * curves would lie flat near zero. Each panel has its own axis from 0, which keeps the two
 * protocols honest in scale, and the shared epoch axis lines an epoch up in both.
 */
public final class Plots {

  public static final String LOSS = "loss";
  public static final String ACCURACY = "accuracy";
  public static final String RANKING = "ranking";

  /** The image names (without .png) that {@link #write} replaces. */
  public static final List<String> NAMES = List.of(LOSS, ACCURACY, RANKING);

  static final int WIDTH = 800;
  static final int HEIGHT = 500;

  /** Two panels: each keeps about the plot height of the single charts. */
  static final int RANKING_HEIGHT = 760;

  // Okabe-Ito colours (distinct under the common colour-vision deficiencies).
  static final Color BLUE = new Color(0x0072B2);
  static final Color VERMILLION = new Color(0xD55E00);
  static final Color ORANGE = new Color(0xE69F00);
  static final Color BLUISH_GREEN = new Color(0x009E73);

  /**
   * The validation loss is always BCE of the held-out target against one sampled negative
   * (Evaluator), whatever the training objective.
   */
  static final String VALIDATION_LOSS = "BCE";

  /** The label of the best epoch's line, before its number. */
  static final String BEST_EPOCH_LABEL = "best epoch ";

  private static final Color GRID = new Color(0xDDDDDD);
  private static final Color INK = new Color(0x333333);
  private static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 16);
  private static final Font LABEL_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
  private static final Font TICK_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
  private static final float LINE_WIDTH = 2f;
  private static final double MARKER = 8;
  private static final double SMALL_MARKER = 5;
  private static final int DENSE_POINTS = 30;

  /** Space beside the first and last epoch, in epochs, so that their markers are not cut. */
  private static final double MIN_EPOCH_PAD = 0.5;

  private static final double EPOCH_PAD_FRACTION = 0.03;

  /** Space above and below the values, as a fraction of their spread. */
  private static final double VALUE_PAD_FRACTION = 0.1;

  /** The smallest value range shown, so that one point or a flat line gets sensible ticks. */
  private static final double MIN_VALUE_SPAN = 0.02;

  private static final int TARGET_TICKS = 6;

  private Plots() {}

  /** What a value axis shows, which decides its range. */
  enum Quantity {
    /** Non-negative, the axis fitted to the values. */
    LOSS(false, false),
    /** In [0, 1], the axis fitted to the values. */
    ACCURACY(false, true),
    /** In [0, 1], the axis from 0 so that sampled and full ranking compare in scale. */
    RANKING(true, true);

    final boolean fromZero;
    final boolean atMostOne;

    Quantity(boolean fromZero, boolean atMostOne) {
      this.fromZero = fromZero;
      this.atMostOne = atMostOne;
    }
  }

  /** One line of a chart: its legend label, its value per epoch, its colour and marker. */
  private record Series(
      String label, ToDoubleFunction<EpochMetrics> value, Color colour, Marker marker) {}

  /** Point markers, filled; smaller when many epochs would let them hide the line. */
  enum Marker {
    CIRCLE,
    SQUARE;

    Shape shape(int points) {
      double size = points > DENSE_POINTS ? SMALL_MARKER : MARKER;
      if (this == CIRCLE) {
        return new Ellipse2D.Double(-size / 2, -size / 2, size, size);
      }
      // A square looks larger than a circle of the same width.
      double side = size - 1;
      return new Rectangle2D.Double(-side / 2, -side / 2, side, side);
    }
  }

  /**
   * Replaces {@code loss}, {@code accuracy} and {@code ranking} (see {@link #NAMES}) under {@code
   * image}; each is written under a temporary name beside it and renamed, so a reader never sees a
   * partial PNG.
   *
   * @param history the epochs so far, in order (at least one)
   * @param objective the training objective's display name, e.g. "BCE" (SASRec, CAFE) or "gBCE"
   *     (gSASRec), for the loss axis
   * @param image the path of an image name
   */
  public static void write(
      List<EpochMetrics> history,
      String objective,
      Function<String, Path> image,
      Configuration conf) {
    png(lossChart(history, objective), WIDTH, HEIGHT, image.apply(LOSS), conf);
    png(accuracyChart(history), WIDTH, HEIGHT, image.apply(ACCURACY), conf);
    png(rankingChart(history), WIDTH, RANKING_HEIGHT, image.apply(RANKING), conf);
  }

  static JFreeChart lossChart(List<EpochMetrics> history, String objective) {
    if (objective == null || objective.isBlank()) {
      throw new IllegalArgumentException("Cannot plot the loss: no objective name");
    }
    String axis =
        objective.equals(VALIDATION_LOSS)
            ? objective + " loss"
            : objective + " loss (train), " + VALIDATION_LOSS + " loss (validation)";
    String trainLabel = "train (" + objective + ")";
    XYPlot plot =
        plot(
            history,
            axis,
            Quantity.LOSS,
            List.of(
                new Series(trainLabel, EpochMetrics::trainLoss, BLUE, Marker.CIRCLE),
                new Series(
                    "validation (" + VALIDATION_LOSS + " against 1 negative)",
                    EpochMetrics::valLoss,
                    VERMILLION,
                    Marker.SQUARE)));
    plot.setDomainAxis(epochAxis(history));
    markBestEpoch(plot, history, true);
    return chart("Loss", plot, plot);
  }

  static JFreeChart accuracyChart(List<EpochMetrics> history) {
    XYPlot plot =
        plot(
            history,
            "binary accuracy",
            Quantity.ACCURACY,
            List.of(
                new Series("train", EpochMetrics::trainAccuracy, BLUE, Marker.CIRCLE),
                new Series(
                    "validation (against 1 negative)",
                    EpochMetrics::valAccuracy,
                    VERMILLION,
                    Marker.SQUARE)));
    plot.setDomainAxis(epochAxis(history));
    markBestEpoch(plot, history, true);
    return chart("Accuracy", plot, plot);
  }

  /** Validation HR@10 and NDCG@10; epochs without ranking evaluation (NaN) are left out. */
  static JFreeChart rankingChart(List<EpochMetrics> history) {
    XYPlot sampled =
        plot(
            history,
            "sampled (100 negatives)",
            Quantity.RANKING,
            List.of(
                new Series("HR@10", EpochMetrics::valHr10Sampled, ORANGE, Marker.CIRCLE),
                new Series(
                    "NDCG@10", EpochMetrics::valNdcg10Sampled, BLUISH_GREEN, Marker.SQUARE)));
    XYPlot full =
        plot(
            history,
            "full ranking (all items)",
            Quantity.RANKING,
            List.of(
                new Series("HR@10", EpochMetrics::valHr10Full, ORANGE, Marker.CIRCLE),
                new Series("NDCG@10", EpochMetrics::valNdcg10Full, BLUISH_GREEN, Marker.SQUARE)));
    CombinedDomainXYPlot panels = new CombinedDomainXYPlot(epochAxis(history));
    panels.setGap(16);
    markBestEpoch(sampled, history, true);
    markBestEpoch(full, history, false);
    panels.add(sampled);
    panels.add(full);
    // The legend of one panel: both panels draw the same two series.
    return chart("Validation ranking", panels, sampled);
  }

  /**
   * A dashed vertical line at the best epoch so far (the best validation NDCG@10, full ranking: the
   * epoch whose parameters become the model), labelled on {@code labelled} panels; none before a
   * ranked epoch.
   */
  static void markBestEpoch(XYPlot plot, List<EpochMetrics> history, boolean labelled) {
    int best = TrainingState.bestEpoch(history);
    if (best == 0) {
      return;
    }
    ValueMarker marker =
        new ValueMarker(
            best,
            INK,
            new BasicStroke(
                1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[] {6f, 4f}, 0f));
    if (labelled) {
      marker.setLabel(BEST_EPOCH_LABEL + best);
      marker.setLabelFont(TICK_FONT);
      marker.setLabelPaint(INK);
      marker.setLabelBackgroundColor(Color.WHITE);
      marker.setLabelAnchor(RectangleAnchor.TOP_LEFT);
      marker.setLabelTextAnchor(TextAnchor.TOP_RIGHT);
    }
    plot.addDomainMarker(marker, Layer.BACKGROUND);
  }

  private static JFreeChart chart(String title, Plot plot, XYPlot legendSource) {
    JFreeChart chart = new JFreeChart(title, TITLE_FONT, plot, false);
    chart.setBackgroundPaint(Color.WHITE);
    chart.setAntiAlias(true);
    chart.setTextAntiAlias(true);
    chart.setPadding(new RectangleInsets(8, 8, 8, 16));
    TextTitle text = chart.getTitle();
    text.setPaint(INK);
    LegendTitle legend = new LegendTitle(legendSource);
    legend.setPosition(RectangleEdge.BOTTOM);
    legend.setFrame(BlockBorder.NONE);
    legend.setBackgroundPaint(Color.WHITE);
    legend.setItemFont(LABEL_FONT);
    legend.setItemPaint(INK);
    legend.setItemLabelPadding(new RectangleInsets(2, 4, 2, 16));
    chart.addSubtitle(legend);
    return chart;
  }

  private static XYPlot plot(
      List<EpochMetrics> history, String yLabel, Quantity quantity, List<Series> series) {
    XYSeriesCollection data = new XYSeriesCollection();
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < series.size(); i++) {
      Series s = series.get(i);
      XYSeries points = new XYSeries(s.label());
      for (EpochMetrics m : history) {
        double v = s.value().applyAsDouble(m);
        if (Double.isFinite(v)) {
          points.add(m.epoch(), v);
          min = Math.min(min, v);
          max = Math.max(max, v);
        }
      }
      data.addSeries(points);
      renderer.setSeriesPaint(i, s.colour());
      renderer.setSeriesShape(i, s.marker().shape(history.size()));
      renderer.setSeriesStroke(
          i, new BasicStroke(LINE_WIDTH, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
    }
    renderer.setDrawOutlines(false);
    renderer.setUseFillPaint(false);
    renderer.setDefaultLegendTextFont(LABEL_FONT);

    Scale scale = Scale.of(min, max, quantity);
    NumberAxis values = new NumberAxis(yLabel);
    values.setRange(scale.lower(), scale.upper());
    values.setTickUnit(scale.tickUnit());
    style(values);

    XYPlot plot = new XYPlot(data, null, values, renderer);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setOutlinePaint(GRID);
    plot.setDomainGridlinePaint(GRID);
    plot.setRangeGridlinePaint(GRID);
    plot.setDomainGridlineStroke(new BasicStroke(1f));
    plot.setRangeGridlineStroke(new BasicStroke(1f));
    plot.setAxisOffset(RectangleInsets.ZERO_INSETS);
    if (!(min <= max)) {
      // Only ranking metrics can be missing in every epoch so far: say why on a clean panel.
      plot.setDomainGridlinesVisible(false);
      plot.setRangeGridlinesVisible(false);
    }
    plot.setNoDataMessage("no epoch with ranking evaluation yet (see --eval-every)");
    plot.setNoDataMessageFont(LABEL_FONT);
    plot.setNoDataMessagePaint(INK);
    return plot;
  }

  /** Whole epochs only, from the first epoch to the last with room for their markers. */
  private static NumberAxis epochAxis(List<EpochMetrics> history) {
    if (history.isEmpty()) {
      throw new IllegalArgumentException("Cannot plot: no epoch in the history");
    }
    int first = history.get(0).epoch();
    int last = history.get(history.size() - 1).epoch();
    double pad = Math.max(MIN_EPOCH_PAD, (last - first) * EPOCH_PAD_FRACTION);
    NumberAxis axis = new NumberAxis("epoch");
    axis.setStandardTickUnits(NumberAxis.createIntegerTickUnits(Locale.ROOT));
    axis.setRange(first - pad, last + pad);
    style(axis);
    return axis;
  }

  /**
   * A value axis: the values with room around them (see {@link Quantity}), bounds and ticks on
   * multiples of a round step (1, 2, 2.5 or 5 times a power of ten) giving about {@link
   * #TARGET_TICKS} ticks. One value (or several equal ones) gets a span of {@link #MIN_VALUE_SPAN}
   * around it; no value at all, [0, 1].
   */
  record Scale(double lower, double upper, BigDecimal step) {

    static Scale of(double min, double max, Quantity quantity) {
      if (!(min <= max)) {
        return new Scale(0, 1, new BigDecimal("0.2"));
      }
      double base = quantity.fromZero ? 0 : min;
      double pad = Math.max((max - base) * VALUE_PAD_FRACTION, MIN_VALUE_SPAN / 2);
      // Losses, accuracies and ranking metrics are never negative: neither is the axis.
      double from = quantity.fromZero ? 0 : Math.max(0, min - pad);
      double to = quantity.atMostOne && max < 1 ? Math.min(1, max + pad) : max + pad;
      BigDecimal step = roundStep((to - from) / TARGET_TICKS);
      double s = step.doubleValue();
      return new Scale(Math.floor(from / s) * s, Math.ceil(to / s) * s, step);
    }

    private static BigDecimal roundStep(double raw) {
      int exponent = (int) Math.floor(Math.log10(raw));
      double mantissa = raw / Math.pow(10, exponent);
      String nice = mantissa <= 1 ? "1" : mantissa <= 2 ? "2" : mantissa <= 2.5 ? "2.5" : "5";
      if (mantissa > 5) {
        nice = "10";
      }
      return new BigDecimal(nice).scaleByPowerOfTen(exponent).stripTrailingZeros();
    }

    /** Tick labels with the step's decimals, the same on every tick (0.40, 0.45, 0.50). */
    NumberTickUnit tickUnit() {
      DecimalFormat format = new DecimalFormat("0", DecimalFormatSymbols.getInstance(Locale.ROOT));
      format.setMinimumFractionDigits(Math.max(0, step.scale()));
      format.setMaximumFractionDigits(Math.max(0, step.scale()));
      return new NumberTickUnit(step.doubleValue(), format);
    }
  }

  private static void style(NumberAxis axis) {
    axis.setLabelFont(LABEL_FONT);
    axis.setLabelPaint(INK);
    axis.setTickLabelFont(TICK_FONT);
    axis.setTickLabelPaint(INK);
    axis.setAxisLinePaint(GRID);
    axis.setTickMarkPaint(GRID);
  }

  private static void png(JFreeChart chart, int width, int height, Path path, Configuration conf) {
    BufferedImage image =
        chart.createBufferedImage(width, height, BufferedImage.TYPE_INT_RGB, null);
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      ImageIO.write(image, "png", bytes);
      AtomicFile.reused(path.getFileSystem(conf), path).write(bytes::writeTo);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write plot: " + e.getMessage() + " (" + path + ")", e);
    }
  }
}
