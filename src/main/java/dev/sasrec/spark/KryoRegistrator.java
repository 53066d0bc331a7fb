package dev.sasrec.spark;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import de.javakaffee.kryoserializers.SynchronizedCollectionsSerializer;
import de.javakaffee.kryoserializers.UnmodifiableCollectionsSerializer;
import dev.sasrec.eval.EvalSums;
import dev.sasrec.eval.ModelSnapshot;
import dev.sasrec.io.ExampleRow;
import dev.sasrec.model.ModelConfig;
import dev.sasrec.model.Objective;
import java.util.List;
import org.nd4j.common.primitives.AtomicDouble;
import org.nd4j.kryo.Nd4jSerializer;
import org.nd4j.kryo.primitives.AtomicDoubleSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Kryo setup for Spark: ND4J's arrays, and Java serialization for this project's records, which
 * Kryo 4's field serializer cannot handle. Set {@code
 * spark.kryo.registrator=dev.sasrec.spark.KryoRegistrator} (conf/spark-*.properties do).
 *
 * <p>It registers what ND4J's own {@code Nd4jRegistrator} does, except the array class: that one
 * asks {@code Nd4j.getBackend()} for the backend's array class, which loads ND4J's native backend
 * (a second and ~100 MB) in every JVM that makes a Kryo instance, Preprocess's included. A default
 * serializer for the {@link INDArray} interface covers every backend's array class (CPU and CUDA)
 * without loading either; the class then travels by name, a few bytes beside the array's data.
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
    kryo.addDefaultSerializer(INDArray.class, new Nd4jSerializer());
    kryo.register(AtomicDouble.class, new AtomicDoubleSerializer());
    UnmodifiableCollectionsSerializer.registerSerializers(kryo);
    SynchronizedCollectionsSerializer.registerSerializers(kryo);
    kryo.register(RowCacheSerializer.RowBatch.class, new RowCacheSerializer.RowBatchKryo());
    for (Class<?> record : RECORDS) {
      kryo.register(record, new JavaSerializer());
    }
  }
}
