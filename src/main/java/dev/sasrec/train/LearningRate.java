package dev.sasrec.train;

import dev.sasrec.config.Options;
import dev.sasrec.model.dl4j.LazyAdam;
import dev.sasrec.train.TrainConfig.Key;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.deeplearning4j.nn.updater.UpdaterBlock;

/**
 * Adam's learning rate in each epoch: {@code --lr} and {@code --lr-schedule} over {@code --epochs}.
 * A schedule of epochs, not of steps: the driver sets each epoch's rate on the network before the
 * parameter-averaging fit broadcasts it, so every worker and a resumed run use the same rate for
 * the same epoch.
 *
 * @param peak the rate of epoch 1 ({@code --lr})
 * @param schedule how the rate moves over the epochs
 * @param epochs the run's last epoch ({@code --epochs})
 */
public record LearningRate(double peak, Schedule schedule, int epochs) {

  /** How the rate moves over the epochs. */
  public enum Schedule {
    /** The peak in every epoch. */
    CONSTANT,
    /**
     * Half a cosine from the peak in epoch 1 towards 0 after the last epoch: large steps while the
     * model is far from a minimum, small ones to settle in at the end of a fixed budget.
     */
    COSINE
  }

  public LearningRate {
    if (!(peak > 0) || Double.isInfinite(peak)) {
      throw Options.bad(Key.LR, String.valueOf(peak), "must be a positive number");
    }
    if (epochs < 1) {
      throw new IllegalArgumentException(
          "Cannot schedule the learning rate: epochs must be at least 1 (" + epochs + ")");
    }
  }

  /** The rate of epoch {@code epoch} (from 1). */
  public double at(int epoch) {
    if (epoch < 1 || epoch > epochs) {
      throw new IllegalArgumentException(
          "Cannot give the learning rate: epoch " + epoch + " is outside 1.." + epochs);
    }
    return switch (schedule) {
      case CONSTANT -> peak;
      case COSINE -> peak * 0.5 * (1 + Math.cos(Math.PI * (epoch - 1) / epochs));
    };
  }

  /**
   * Sets epoch {@code epoch}'s rate on {@code net}'s layers (their configuration is what the fit
   * broadcasts); Adam's state is kept. In place on each layer's updater configuration, which the
   * network's updater also reads: {@code MultiLayerNetwork.setLearningRate} rebuilds and copies the
   * whole updater state, 15-90 ms of every ML-1M epoch outside the fit. Returns the rate.
   */
  public double apply(MultiLayerNetwork net, int epoch) {
    double rate = at(epoch);
    for (Layer layer : net.getLayers()) {
      if (layer.conf().getLayer() instanceof BaseLayer base && base.getIUpdater() != null) {
        base.getIUpdater().setLrAndSchedule(rate, null);
      }
    }
    // Lazy Adam's blocks hold configurations of their own (derived from the layer's Adam).
    if (net.getUpdater(false) instanceof BaseMultiLayerUpdater<?> updater) {
      for (UpdaterBlock block : updater.getUpdaterBlocks()) {
        if (block.getGradientUpdater().getConfig() instanceof LazyAdam lazy) {
          lazy.setLrAndSchedule(rate, null);
        }
      }
    }
    return rate;
  }

  /** "0.002, cosine over 20 epochs" for plans and logs. */
  @Override
  public String toString() {
    return schedule == Schedule.CONSTANT
        ? peak + " (constant)"
        : peak + ", " + Options.cliName(schedule) + " over " + epochs + " epochs";
  }
}
