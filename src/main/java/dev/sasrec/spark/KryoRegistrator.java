package dev.sasrec.spark;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import dev.sasrec.eval.EvalSums;
import dev.sasrec.eval.ModelSnapshot;
import dev.sasrec.io.ExampleRow;
import dev.sasrec.model.ModelConfig;
import dev.sasrec.model.Objective;
import java.util.List;
import org.nd4j.kryo.Nd4jRegistrator;

/**
 * Kryo setup for Spark: ND4J's arrays (Nd4jRegistrator), and Java serialization for this project's
 * records, which Kryo 4's field serializer cannot handle. Set {@code
 * spark.kryo.registrator=dev.sasrec.spark.KryoRegistrator} (conf/spark-*.properties do).
 */
public final class KryoRegistrator implements org.apache.spark.serializer.KryoRegistrator {

  /** Records that travel between driver and executors. */
  static final List<Class<?>> RECORDS =
      List.of(
          ModelSnapshot.class,
          ModelConfig.class,
          Objective.class,
          ExampleRow.class,
          EvalSums.class);

  @Override
  public void registerClasses(Kryo kryo) {
    new Nd4jRegistrator().registerClasses(kryo);
    for (Class<?> record : RECORDS) {
      kryo.register(record, new JavaSerializer());
    }
  }
}
