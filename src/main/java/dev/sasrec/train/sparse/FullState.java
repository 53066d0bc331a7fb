package dev.sasrec.train.sparse;

import java.io.Serializable;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The whole training state at one version: what a worker without a usable replica starts from. Only
 * broadcast when a worker asks for it (the first round of a fit, a new executor, a lost result).
 */
final class FullState implements Serializable {

  private static final long serialVersionUID = 1L;

  final long version;
  final String configuration;
  final INDArray params;
  final INDArray updaterState;

  private FullState(long version, String configuration, INDArray params, INDArray updaterState) {
    this.version = version;
    this.configuration = configuration;
    this.params = params;
    this.updaterState = updaterState;
  }

  static FullState of(MultiLayerNetwork net, long version) {
    return new FullState(
        version,
        net.getLayerWiseConfigurations().toJson(),
        net.params().dup(),
        net.getUpdater().getStateViewArray().dup());
  }

  /** Bytes of the arrays it carries. */
  long bytes() {
    return 4L * (params.length() + updaterState.length());
  }
}
