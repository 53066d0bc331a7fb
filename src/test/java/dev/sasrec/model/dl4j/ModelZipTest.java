package dev.sasrec.model.dl4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sasrec.TinyModels;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The stored model zip: DL4J's format both ways, uncompressed, arrays byte for byte. */
class ModelZipTest {

  private static MultiLayerNetwork network() {
    MultiLayerNetwork net = TinyModels.network(40, 5, 3);
    // A state that is not all zeros, as after training.
    Nd4j.getRandom().setSeed(5);
    net.getUpdater()
        .getStateViewArray()
        .assign(Nd4j.rand(DataType.FLOAT, net.getUpdater().getStateViewArray().shape()));
    return net;
  }

  private static byte[] write(MultiLayerNetwork net, ModelZip.Contents contents)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ModelZip.write(net, out, contents);
    return out.toByteArray();
  }

  @Test
  void aCheckpointRestoresWithItsUpdaterState() throws IOException {
    MultiLayerNetwork net = network();

    MultiLayerNetwork restored =
        ModelSerializer.restoreMultiLayerNetwork(
            new ByteArrayInputStream(write(net, ModelZip.Contents.PARAMETERS_AND_UPDATER)), true);

    assertThat(restored.params().equals(net.params())).isTrue();
    assertThat(restored.getUpdater().getStateViewArray())
        .isEqualTo(net.getUpdater().getStateViewArray());
    assertThat(restored.getLayerWiseConfigurations().toJson())
        .isEqualTo(net.getLayerWiseConfigurations().toJson());
  }

  @Test
  void aModelHoldsNoUpdaterStateAndNothingIsCompressed() throws IOException {
    MultiLayerNetwork net = network();

    Map<String, long[]> entries =
        entries(write(net, ModelZip.Contents.PARAMETERS)); // name -> {size, compressed}

    assertThat(entries).containsOnlyKeys(ModelZip.CONFIGURATION, ModelZip.COEFFICIENTS);
    long[] coefficients = entries.get(ModelZip.COEFFICIENTS);
    assertThat(coefficients[0]).isGreaterThan(net.params().length() * Float.BYTES);
    // Stored: deflate at level 0 adds a few bytes of block headers and saves none.
    assertThat(coefficients[1]).isGreaterThanOrEqualTo(coefficients[0]);
    MultiLayerNetwork restored =
        ModelSerializer.restoreMultiLayerNetwork(
            new ByteArrayInputStream(write(net, ModelZip.Contents.PARAMETERS)), false);
    assertThat(restored.params().equals(net.params())).isTrue();
  }

  @Test
  void readsWhatDl4jWritesAndDl4jReadsWhatItWrites() throws IOException {
    MultiLayerNetwork net = network();
    ByteArrayOutputStream dl4j = new ByteArrayOutputStream();
    ModelSerializer.writeModel(net, dl4j, true);

    MultiLayerNetwork fromDl4j =
        ModelZip.read(
            new ByteArrayInputStream(dl4j.toByteArray()), ModelZip.Contents.PARAMETERS_AND_UPDATER);
    MultiLayerNetwork fromOurs =
        ModelZip.read(
            new ByteArrayInputStream(write(net, ModelZip.Contents.PARAMETERS_AND_UPDATER)),
            ModelZip.Contents.PARAMETERS_AND_UPDATER);

    for (MultiLayerNetwork restored : List.of(fromDl4j, fromOurs)) {
      assertThat(restored.params().equals(net.params())).isTrue();
      assertThat(restored.getUpdater().getStateViewArray())
          .isEqualTo(net.getUpdater().getStateViewArray());
      assertThat(restored.output(Nd4j.createFromArray(new float[][] {{0, 1, 2, 3, 4}})))
          .isEqualTo(net.output(Nd4j.createFromArray(new float[][] {{0, 1, 2, 3, 4}})));
    }
  }

  @Test
  void aModelWithoutUpdaterStateDoesNotResume() throws IOException {
    byte[] model = write(network(), ModelZip.Contents.PARAMETERS);

    assertThatThrownBy(
            () ->
                ModelZip.read(
                    new ByteArrayInputStream(model), ModelZip.Contents.PARAMETERS_AND_UPDATER))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("updaterState.bin");
    assertThatThrownBy(
            () ->
                ModelZip.read(
                    new ByteArrayInputStream(new byte[] {1, 2, 3}), ModelZip.Contents.PARAMETERS))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("not a model zip");
  }

  @Test
  void aFloatArrayIsWrittenByteForByteAsNd4jWritesIt() throws IOException {
    Nd4j.getRandom().setSeed(9);
    for (INDArray array :
        List.of(
            Nd4j.rand(DataType.FLOAT, 1, 300_001),
            Nd4j.rand(DataType.FLOAT, 7, 5),
            Nd4j.rand(DataType.FLOAT, 6, 5).get(NDArrayIndex.interval(1, 4), NDArrayIndex.all()),
            Nd4j.rand(DataType.DOUBLE, 3, 3))) {
      ByteArrayOutputStream ours = new ByteArrayOutputStream();
      ByteArrayOutputStream theirs = new ByteArrayOutputStream();
      try (DataOutputStream o = new DataOutputStream(ours);
          DataOutputStream t = new DataOutputStream(theirs)) {
        ModelZip.writeArray(array, o);
        Nd4j.write(array, t);
      }
      assertThat(ours.toByteArray()).isEqualTo(theirs.toByteArray());
    }
  }

  private static Map<String, long[]> entries(byte[] zip) throws IOException {
    Map<String, long[]> entries = new HashMap<>();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        long size = in.readAllBytes().length;
        entries.put(e.getName(), new long[] {size, e.getCompressedSize()});
      }
    }
    return entries;
  }
}
