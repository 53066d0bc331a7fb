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

  /**
   * The network's own arrays, not copies: a broadcast serializes its value when it is made, the
   * driver changes the network only after the round's tasks are done, and in local mode the tasks
   * read this very object and copy from it (a copy here would be a second full state at once).
   */
  static FullState of(MultiLayerNetwork net, long version) {
    return new FullState(
        version,
        net.getLayerWiseConfigurations().toJson(),
        net.params(),
        net.getUpdater().getStateViewArray());
  }

  /** Bytes of the arrays it carries. */
  long bytes() {
    return 4L * (params.length() + updaterState.length());
  }
}
