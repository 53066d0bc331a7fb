package dev.sasrec.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.hadoop.conf.Configuration;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.AxisState;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTick;
import org.jfree.chart.axis.TickType;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.ui.RectangleEdge;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The charts as a person sees them: PNG files of the expected size on a white background, a marker
 * of each series inside the plot area (not only in the legend), whole epochs on the epoch axis, the
 * objective named on the loss axis, and unranked epochs left out of the ranking chart.
 */
class PlotsTest {

  @TempDir Path dir;

  private static final Configuration CONF = new Configuration();

  /** A metrics row; ranking metrics NaN unless {@code ranked}, as TrainJob writes them. */
  private static EpochMetrics epoch(int epoch, double trainLoss, double valLoss, boolean ranked) {
    double progress = 1 - Math.exp(-epoch / 4.0);
    double none = Double.NaN;
    return new EpochMetrics(
        epoch,
        trainLoss,
        0.6 + 0.3 * progress,
        valLoss,
        0.55 + 0.3 * progress,
        ranked ? 0.3 + 0.45 * progress : none,
        ranked ? 0.15 + 0.35 * progress : none,
        ranked ? 0.02 + 0.12 * progress : none,
        ranked ? 0.01 + 0.06 * progress : none,
        1000,
        10,
        8,
        0.001);
  }

  /** Twelve epochs, ranking every third (--eval-every 3): epochs 3, 6, 9, 12. */
  private static List<EpochMetrics> twelveEpochs() {
    List<EpochMetrics> history = new ArrayList<>();
    for (int e = 1; e <= 12; e++) {
      history.add(
          epoch(e, 0.9 * Math.exp(-e / 5.0) + 0.3, 0.8 * Math.exp(-e / 6.0) + 0.35, e % 3 == 0));
    }
    return history;
  }

  private void write(List<EpochMetrics> history, String objective) {
    Plots.write(
        history,
        objective,
        name -> new org.apache.hadoop.fs.Path(dir.resolve(name + ".png").toUri()),
        CONF);
  }

  private BufferedImage png(String name) throws IOException {
    File file = dir.resolve(name + ".png").toFile();
    assertThat(file).as(name).isFile();
    BufferedImage image = ImageIO.read(file);
    assertThat(image).as("%s decodes as an image", name).isNotNull();
    return image;
  }

  /** The chart drawn at its file's size, and where its plot area (the data area) lies. */
  private record Drawn(BufferedImage image, Rectangle2D dataArea) {

    static Drawn of(JFreeChart chart, int width, int height) {
      ChartRenderingInfo info = new ChartRenderingInfo();
      BufferedImage image = chart.createBufferedImage(width, height, info);
      return new Drawn(image, info.getPlotInfo().getDataArea());
    }

    /** Pixels of exactly {@code colour} inside the data area (legend and titles excluded). */
    long pixelsOf(Color colour, Rectangle2D area) {
      return IntStream.range((int) area.getMinY(), (int) area.getMaxY())
          .mapToLong(
              y ->
                  IntStream.range((int) area.getMinX(), (int) area.getMaxX())
                      .filter(x -> (image.getRGB(x, y) & 0xFFFFFF) == (colour.getRGB() & 0xFFFFFF))
                      .count())
          .sum();
    }

    long pixelsOf(Color colour) {
      return pixelsOf(colour, dataArea);
    }
  }

  /** The ticks the axis draws along the bottom of the data area. */
  private static List<Double> ticks(NumberAxis axis, Rectangle2D dataArea) {
    Graphics2D g2 = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
    try {
      return axis.refreshTicks(g2, new AxisState(), dataArea, RectangleEdge.BOTTOM).stream()
          .filter(t -> ((NumberTick) t).getTickType() == TickType.MAJOR)
          .map(t -> ((NumberTick) t).getValue())
          .toList();
    } finally {
      g2.dispose();
    }
  }

  private static List<String> tickLabels(NumberAxis axis, Rectangle2D dataArea, RectangleEdge e) {
    Graphics2D g2 = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
    try {
      return axis.refreshTicks(g2, new AxisState(), dataArea, e).stream()
          .filter(t -> ((NumberTick) t).getTickType() == TickType.MAJOR)
          .map(t -> ((NumberTick) t).getText())
          .toList();
    } finally {
      g2.dispose();
    }
  }

  private static List<String> legend(JFreeChart chart) {
    List<String> labels = new ArrayList<>();
    LegendItemCollection items = chart.getXYPlot().getLegendItems();
    for (int i = 0; i < items.getItemCount(); i++) {
      labels.add(items.get(i).getLabel());
    }
    return labels;
  }

  @Test
  void oneEpochWritesThreeWhitePngsWithAPointOfEachSeries() throws IOException {
    List<EpochMetrics> history = List.of(epoch(1, 0.69, 0.65, true));
    write(history, "BCE");

    assertThat(Files.list(dir).map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".png")))
        .containsExactlyInAnyOrder("loss.png", "accuracy.png", "ranking.png");
    for (String name : Plots.NAMES) {
      BufferedImage image = png(name);
      assertThat(image.getWidth()).as(name).isEqualTo(Plots.WIDTH);
      assertThat(image.getHeight())
          .as(name)
          .isEqualTo(name.equals(Plots.RANKING) ? Plots.RANKING_HEIGHT : Plots.HEIGHT);
      assertThat(new Color(image.getRGB(2, 2))).as("%s background", name).isEqualTo(Color.WHITE);
    }

    Drawn loss = Drawn.of(Plots.lossChart(history, "BCE"), Plots.WIDTH, Plots.HEIGHT);
    // A single epoch still shows its point (a line chart without markers would be empty).
    assertThat(loss.pixelsOf(Plots.BLUE)).as("train marker").isGreaterThan(20);
    assertThat(loss.pixelsOf(Plots.VERMILLION)).as("validation marker").isGreaterThan(20);
    long white = loss.pixelsOf(Color.WHITE);
    double area = loss.dataArea().getWidth() * loss.dataArea().getHeight();
    assertThat(white / area).as("white share of the plot area").isGreaterThan(0.8);

    NumberAxis epochs = (NumberAxis) Plots.lossChart(history, "BCE").getXYPlot().getDomainAxis();
    assertThat(ticks(epochs, loss.dataArea())).containsExactly(1.0);
    // The values' axis spans a sensible range around the two values (no 1E0 ticks).
    NumberAxis values = (NumberAxis) Plots.lossChart(history, "BCE").getXYPlot().getRangeAxis();
    assertThat(values.getLowerBound()).isLessThan(0.65).isGreaterThanOrEqualTo(0);
    assertThat(values.getUpperBound()).isGreaterThan(0.69).isLessThan(1);
    assertThat(tickLabels(values, loss.dataArea(), RectangleEdge.LEFT))
        .hasSizeBetween(3, 12)
        .allMatch(label -> label.matches("\\d\\.\\d+"), "plain decimals");

    Drawn ranking = Drawn.of(Plots.rankingChart(history), Plots.WIDTH, Plots.RANKING_HEIGHT);
    assertThat(ranking.pixelsOf(Plots.ORANGE)).as("HR@10 markers").isGreaterThan(40);
    assertThat(ranking.pixelsOf(Plots.BLUISH_GREEN)).as("NDCG@10 markers").isGreaterThan(40);
  }

  @Test
  void severalEpochsHaveWholeEpochTicksAndLeaveUnrankedEpochsOut() {
    List<EpochMetrics> history = twelveEpochs();
    JFreeChart accuracy = Plots.accuracyChart(history);
    Drawn drawn = Drawn.of(accuracy, Plots.WIDTH, Plots.HEIGHT);
    List<Double> ticks = ticks((NumberAxis) accuracy.getXYPlot().getDomainAxis(), drawn.dataArea());
    assertThat(ticks).contains(1.0, 12.0).allMatch(t -> t == Math.rint(t), "whole epochs");
    assertThat(accuracy.getXYPlot().getDataset().getItemCount(0)).isEqualTo(12);
    assertThat(legend(accuracy)).containsExactly("train", "validation (against 1 negative)");

    JFreeChart ranking = Plots.rankingChart(history);
    CombinedDomainXYPlot panels = (CombinedDomainXYPlot) ranking.getPlot();
    List<XYPlot> subplots = panels.getSubplots();
    assertThat(subplots).hasSize(2);
    for (XYPlot panel : subplots) {
      for (int s = 0; s < 2; s++) {
        assertThat(panel.getDataset().getItemCount(s)).isEqualTo(4);
        assertThat(panel.getDataset().getXValue(s, 0)).isEqualTo(3.0);
      }
      assertThat(panel.getRangeAxis().getLowerBound()).isZero();
    }
    assertThat(subplots.get(0).getRangeAxis().getLabel()).contains("sampled");
    assertThat(subplots.get(1).getRangeAxis().getLabel()).contains("full");
    // Each panel fits its own values: full ranking is not squashed under the sampled scale.
    assertThat(subplots.get(1).getRangeAxis().getUpperBound())
        .isLessThan(subplots.get(0).getRangeAxis().getUpperBound() / 2);
    assertThat(ranking.getLegend().getSources()[0].getLegendItems().getItemCount()).isEqualTo(2);
  }

  @Test
  void theLossAxisNamesTheObjective() {
    List<EpochMetrics> history = twelveEpochs();
    JFreeChart bce = Plots.lossChart(history, "BCE");
    assertThat(bce.getXYPlot().getRangeAxis().getLabel()).isEqualTo("BCE loss");
    assertThat(legend(bce)).containsExactly("train (BCE)", "validation (BCE against 1 negative)");

    JFreeChart gbce = Plots.lossChart(history, "gBCE");
    // The validation loss stays BCE against one negative: the axis says which is which.
    assertThat(gbce.getXYPlot().getRangeAxis().getLabel())
        .isEqualTo("gBCE loss (train), BCE loss (validation)");
    assertThat(legend(gbce)).containsExactly("train (gBCE)", "validation (BCE against 1 negative)");
  }

  @Test
  void noRankedEpochYetSaysSoInsteadOfAnEmptyChart() throws IOException {
    List<EpochMetrics> history = List.of(epoch(1, 0.7, 0.66, false), epoch(2, 0.6, 0.6, false));
    write(history, "BCE");
    assertThat(png(Plots.RANKING).getHeight()).isEqualTo(Plots.RANKING_HEIGHT);
    CombinedDomainXYPlot panels = (CombinedDomainXYPlot) Plots.rankingChart(history).getPlot();
    for (XYPlot panel : panels.getSubplots()) {
      assertThat(panel.getDataset().getItemCount(0)).isZero();
      assertThat(panel.getNoDataMessage()).contains("--eval-every");
      assertThat(panel.getRangeAxis().getRange().getUpperBound()).isEqualTo(1.0);
    }
  }

  @Test
  void rewritingAfterAnotherEpochReplacesTheFilesAndLeavesNoTemporaryOnes() throws IOException {
    write(List.of(epoch(1, 0.69, 0.65, true)), "gBCE");
    byte[] first = Files.readAllBytes(dir.resolve("loss.png"));
    write(List.of(epoch(1, 0.69, 0.65, true), epoch(2, 0.6, 0.62, true)), "gBCE");
    assertThat(Files.readAllBytes(dir.resolve("loss.png"))).isNotEqualTo(first);
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .noneMatch(name -> name.contains("_tmp-"));
    }
  }

  @Test
  void valueScalesAreRoundAndStayInsideTheMetricsRange() {
    Plots.Scale one = Plots.Scale.of(0.69, 0.69, Plots.Quantity.LOSS);
    assertThat(one.lower()).isLessThan(0.69).isGreaterThanOrEqualTo(0);
    assertThat(one.upper()).isGreaterThan(0.69);
    assertThat(one.upper() - one.lower()).isGreaterThanOrEqualTo(0.02);

    Plots.Scale accuracy = Plots.Scale.of(0.62, 0.97, Plots.Quantity.ACCURACY);
    assertThat(accuracy.upper()).isEqualTo(1.0, within(1e-12));

    Plots.Scale ranking = Plots.Scale.of(0.02, 0.14, Plots.Quantity.RANKING);
    assertThat(ranking.lower()).isZero();
    assertThat(ranking.step()).isEqualByComparingTo("0.05");
    assertThat(ranking.upper()).isEqualTo(0.2, within(1e-12));
    assertThat(ranking.tickUnit().valueToString(0.1)).isEqualTo("0.10");

    Plots.Scale none =
        Plots.Scale.of(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Plots.Quantity.RANKING);
    assertThat(none.lower()).isZero();
    assertThat(none.upper()).isEqualTo(1.0);
  }

  /** Every chart draws the best epoch (the best validation NDCG@10, full) as a labelled line. */
  @Test
  void everyChartMarksTheBestEpoch() {
    List<EpochMetrics> history = twelveEpochs();
    // Epoch 9 ranks best: epoch 12's full NDCG@10 falls below it.
    EpochMetrics last = history.get(11);
    history.set(
        11,
        new EpochMetrics(
            12,
            last.trainLoss(),
            last.trainAccuracy(),
            last.valLoss(),
            last.valAccuracy(),
            last.valHr10Sampled(),
            last.valNdcg10Sampled(),
            last.valHr10Full(),
            0.01,
            1000,
            10,
            8,
            0.001));
    assertThat(TrainingState.bestEpoch(history)).isEqualTo(9);
    for (org.jfree.chart.JFreeChart chart :
        List.of(Plots.lossChart(history, "BCE"), Plots.accuracyChart(history))) {
      assertThat(bestMarkers((org.jfree.chart.plot.XYPlot) chart.getPlot()))
          .containsExactly("best epoch 9 @ 9.0");
    }
    org.jfree.chart.plot.CombinedDomainXYPlot panels =
        (org.jfree.chart.plot.CombinedDomainXYPlot) Plots.rankingChart(history).getPlot();
    List<org.jfree.chart.plot.XYPlot> subplots = panels.getSubplots();
    assertThat(bestMarkers(subplots.get(0))).containsExactly("best epoch 9 @ 9.0");
    assertThat(bestMarkers(subplots.get(1))).containsExactly("null @ 9.0");
    // Before any ranked epoch there is no best epoch to mark.
    assertThat(
            bestMarkers(
                (org.jfree.chart.plot.XYPlot)
                    Plots.lossChart(history.subList(0, 2), "BCE").getPlot()))
        .isEmpty();
  }

  private static List<String> bestMarkers(org.jfree.chart.plot.XYPlot plot) {
    java.util.Collection<?> markers = plot.getDomainMarkers(org.jfree.chart.ui.Layer.BACKGROUND);
    List<String> found = new ArrayList<>();
    if (markers != null) {
      for (Object m : markers) {
        org.jfree.chart.plot.ValueMarker v = (org.jfree.chart.plot.ValueMarker) m;
        found.add(v.getLabel() + " @ " + v.getValue());
      }
    }
    return found;
  }
}
