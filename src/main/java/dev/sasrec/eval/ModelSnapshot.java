package dev.sasrec.eval;

import dev.sasrec.model.ModelConfig;
import dev.sasrec.model.Objective;
import dev.sasrec.model.ParamLayout;
import dev.sasrec.model.SASRec;
import java.io.Serializable;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The model's configuration and flat float32 parameters, broadcast to executors for scoring. */
public record ModelSnapshot(
    ModelConfig config, SASRec.Targets targets, Objective objective, float[] params)
    implements Serializable {

  public static ModelSnapshot of(
      ModelConfig config, SASRec.Targets targets, Objective objective, INDArray params) {
    return new ModelSnapshot(config, targets, objective, params.toFloatVector());
  }

  /** Parameter views over a fresh native copy (one per task). */
  public Map<String, INDArray> views() {
    return new ParamLayout(config).views(Nd4j.createFromArray(params).reshape(1, params.length));
  }

  public SASRec model() {
    return new SASRec(config, targets, objective);
  }
}
