package dev.sasrec.train;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** Line charts of the per-epoch metrics, as PNG on any Hadoop file system (headless). */
public final class Plots {

  static final int WIDTH = 800;
  static final int HEIGHT = 500;

  private Plots() {}

  /** Writes train_loss, val_loss, train_accuracy, val_accuracy and ranking under {@code image}. */
  public static void write(
      List<EpochMetrics> history,
      java.util.function.Function<String, Path> image,
      Configuration conf) {
    chart(
        "train_loss",
        "BCE loss",
        Map.of("train loss", EpochMetrics::trainLoss),
        history,
        image,
        conf);
    chart(
        "val_loss",
        "BCE loss",
        Map.of("validation loss", EpochMetrics::valLoss),
        history,
        image,
        conf);
    chart(
        "train_accuracy",
        "binary accuracy",
        Map.of("train accuracy", EpochMetrics::trainAccuracy),
        history,
        image,
        conf);
    chart(
        "val_accuracy",
        "binary accuracy",
        Map.of("validation accuracy", EpochMetrics::valAccuracy),
        history,
        image,
        conf);
    Map<String, ToDoubleFunction<EpochMetrics>> ranking = new LinkedHashMap<>();
    ranking.put("HR@10 sampled", EpochMetrics::valHr10Sampled);
    ranking.put("NDCG@10 sampled", EpochMetrics::valNdcg10Sampled);
    ranking.put("HR@10 full", EpochMetrics::valHr10Full);
    ranking.put("NDCG@10 full", EpochMetrics::valNdcg10Full);
    chart("ranking", "validation metric", ranking, history, image, conf);
  }

  private static void chart(
      String name,
      String yLabel,
      Map<String, ToDoubleFunction<EpochMetrics>> series,
      List<EpochMetrics> history,
      java.util.function.Function<String, Path> image,
      Configuration conf) {
    XYSeriesCollection data = new XYSeriesCollection();
    series.forEach(
        (label, value) -> {
          XYSeries s = new XYSeries(label);
          for (EpochMetrics m : history) {
            double v = value.applyAsDouble(m);
            if (!Double.isNaN(v)) {
              s.add(m.epoch(), v);
            }
          }
          data.addSeries(s);
        });
    JFreeChart chart =
        ChartFactory.createXYLineChart(
            name.replace('_', ' '),
            "epoch",
            yLabel,
            data,
            PlotOrientation.VERTICAL,
            true,
            false,
            false);
    BufferedImage png = chart.createBufferedImage(WIDTH, HEIGHT);
    Path path = image.apply(name);
    try {
      FileSystem fs = path.getFileSystem(conf);
      try (OutputStream out = fs.create(path, true)) {
        ImageIO.write(png, "png", out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write plot: " + e.getMessage() + " (" + path + ")", e);
    }
  }
}
