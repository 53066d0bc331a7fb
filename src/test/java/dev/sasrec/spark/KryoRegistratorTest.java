package dev.sasrec.spark;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import dev.sasrec.eval.EvalSums;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

class KryoRegistratorTest {

  private static final ClassTag<Object> ANY = ClassTag$.MODULE$.apply(Object.class);

  private static SerializerInstance kryo() {
    SparkConf conf =
        new SparkConf()
            .set("spark.serializer", KryoSerializer.class.getName())
            .set("spark.kryo.registrator", KryoRegistrator.class.getName());
    return new KryoSerializer(conf).newInstance();
  }

  private static Object roundTrip(SerializerInstance kryo, Object value) {
    ByteBuffer bytes = kryo.serialize(value, ANY);
    return kryo.deserialize(bytes, ANY);
  }

  @Test
  void arraysOfTheBackendAndTheirViewsSurviveKryo() {
    SerializerInstance kryo = kryo();
    INDArray matrix = Nd4j.arange(12).castTo(DataType.FLOAT).reshape(3, 4);
    INDArray row = matrix.getRow(1);

    INDArray matrixBack = (INDArray) roundTrip(kryo, matrix);
    INDArray rowBack = (INDArray) roundTrip(kryo, row);

    assertArrayEquals(new long[] {3, 4}, matrixBack.shape());
    assertEquals(matrix, matrixBack);
    assertArrayEquals(new float[] {4, 5, 6, 7}, rowBack.toFloatVector());
  }

  @Test
  void recordsAndNd4jsCollectionsSurviveKryo() {
    SerializerInstance kryo = kryo();
    EvalSums sums = new EvalSums(3, 1.5, 0.75, 1, 0.5, 40, 12.25, 30, 40);
    List<Integer> unmodifiable = Collections.unmodifiableList(new ArrayList<>(List.of(1, 2, 3)));

    assertEquals(sums, roundTrip(kryo, sums));
    assertEquals(unmodifiable, roundTrip(kryo, unmodifiable));
  }

  @Test
  void registeringDoesNotLoadNd4jsBackend() {
    // Nd4j's class (and ND4J's own registrator, which calls Nd4j.getBackend()) load the native
    // backend: a Preprocess JVM would pay for it without using an array.
    noClasses()
        .should()
        .dependOnClassesThat()
        .haveFullyQualifiedName("org.nd4j.linalg.factory.Nd4j")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("org.nd4j.kryo.Nd4jRegistrator")
        .check(new ClassFileImporter().importClasses(KryoRegistrator.class));
  }
}
