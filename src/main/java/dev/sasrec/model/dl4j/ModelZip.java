package dev.sasrec.model.dl4j;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DL4J's model zip (the entries {@link ModelSerializer} writes and restores), written without
 * compression and read as a stream, so either side can be DL4J's.
 *
 * <ul>
 *   <li>Written stored: floats barely compress, and deflating them is slow. 250 M random floats
 *       (953 MB stored, about a checkpoint of the 634,381-item catalogue with its Adam state) took
 *       40.7 s of one core to deflate for an 11 % smaller file (docs/measurements.md,
 *       "Checkpoints"); on a 2-core executor that ran beside the next fit. Float arrays are copied
 *       in bulk in {@link Nd4j#write}'s byte format (DL4J writes them one float at a time).
 *   <li>Read entry by entry from the stream: ModelSerializer first copies each entry into a growing
 *       heap array, and at that size ran out of a 2.9 GiB heap while restoring the best epoch.
 * </ul>
 */
public final class ModelZip {

  /** What the zip holds besides the configuration. */
  public enum Contents {
    /** The parameters only: a model to score with. */
    PARAMETERS,
    /** The parameters and the updater's state: a checkpoint training can resume from. */
    PARAMETERS_AND_UPDATER
  }

  /** ModelSerializer's entry names. */
  static final String CONFIGURATION = "configuration.json";

  static final String COEFFICIENTS = "coefficients.bin";
  static final String UPDATER_STATE = "updaterState.bin";

  private static final int BUFFER_BYTES = 1 << 20;

  private ModelZip() {}

  /** Writes {@code net} to {@code out} (which stays open). */
  public static void write(MultiLayerNetwork net, OutputStream out, Contents contents)
      throws IOException {
    ZipOutputStream zip = new ZipOutputStream(new BufferedOutputStream(out, BUFFER_BYTES));
    zip.setLevel(Deflater.NO_COMPRESSION);
    zip.putNextEntry(new ZipEntry(CONFIGURATION));
    zip.write(net.getLayerWiseConfigurations().toJson().getBytes(StandardCharsets.UTF_8));
    zip.closeEntry();
    writeArray(zip, COEFFICIENTS, net.params());
    if (contents == Contents.PARAMETERS_AND_UPDATER && net.getUpdater() != null) {
      INDArray state = net.getUpdater().getStateViewArray();
      if (state != null && state.length() > 0) {
        writeArray(zip, UPDATER_STATE, state);
      }
    }
    // Finishes the zip and flushes the buffer without closing the caller's stream.
    zip.finish();
    zip.flush();
  }

  /**
   * Reads a network written by {@link #write} or by ModelSerializer; with {@link
   * Contents#PARAMETERS_AND_UPDATER} its updater state too (which must be there).
   */
  public static MultiLayerNetwork read(InputStream in, Contents contents) throws IOException {
    String configuration = null;
    INDArray params = null;
    INDArray state = null;
    ZipInputStream zip = new ZipInputStream(new BufferedInputStream(in, BUFFER_BYTES));
    for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
      switch (e.getName()) {
        case CONFIGURATION ->
            configuration = new String(zip.readAllBytes(), StandardCharsets.UTF_8);
        case COEFFICIENTS -> params = readArray(zip);
        case UPDATER_STATE -> {
          if (contents == Contents.PARAMETERS_AND_UPDATER) {
            state = readArray(zip);
          }
        }
        default -> {
          // Other entries (a normalizer, markers) are not this project's.
        }
      }
    }
    if (configuration == null || params == null) {
      throw new IOException(
          "not a model zip: no " + (configuration == null ? CONFIGURATION : COEFFICIENTS));
    }
    if (contents == Contents.PARAMETERS_AND_UPDATER && state == null) {
      throw new IOException("no " + UPDATER_STATE + " to resume training from");
    }
    MultiLayerConfiguration conf = MultiLayerConfiguration.fromJson(configuration);
    conf.setDataType(params.dataType());
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init(params, false);
    if (state != null) {
      net.getUpdater().setStateViewArray(net, state, false);
    }
    return net;
  }

  private static void writeArray(ZipOutputStream zip, String entry, INDArray array)
      throws IOException {
    zip.putNextEntry(new ZipEntry(entry));
    DataOutputStream data = new DataOutputStream(new BufferedOutputStream(zip, BUFFER_BYTES));
    writeArray(array, data);
    data.flush();
    zip.closeEntry();
  }

  /**
   * {@link Nd4j#write}'s bytes: the shape buffer, then the data buffer's header (allocation mode,
   * length, type) and its elements big-endian. A dense float array's elements are copied in bulk.
   */
  static void writeArray(INDArray array, DataOutputStream out) throws IOException {
    DataBuffer data = array.data();
    if (array.isView()
        || array.dataType() != DataType.FLOAT
        || data.length() != array.length()
        || data.length() > Integer.MAX_VALUE / Float.BYTES) {
      Nd4j.write(array, out);
      return;
    }
    array.shapeInfoDataBuffer().write(out);
    out.writeUTF(data.allocationMode().name());
    out.writeLong(data.length());
    out.writeUTF(data.dataType().name());
    FloatBuffer source =
        data.asNio().order(ByteOrder.nativeOrder()).asFloatBuffer().limit((int) data.length());
    ByteBuffer chunk = ByteBuffer.allocate(BUFFER_BYTES).order(ByteOrder.BIG_ENDIAN);
    FloatBuffer floats = chunk.asFloatBuffer();
    while (source.hasRemaining()) {
      int n = Math.min(floats.capacity(), source.remaining());
      floats.clear();
      floats.put(source.slice().limit(n));
      source.position(source.position() + n);
      out.write(chunk.array(), 0, n * Float.BYTES);
    }
    Reference.reachabilityFence(data); // the NIO view does not hold the buffer
  }

  private static INDArray readArray(ZipInputStream zip) throws IOException {
    // Nd4j.read must not close the zip: the next entry follows.
    DataInputStream in = new DataInputStream(new BufferedInputStream(unclosable(zip)));
    return Nd4j.read(in);
  }

  private static InputStream unclosable(InputStream in) {
    return new FilterInputStream(in) {
      @Override
      public void close() {
        // The zip's next entry is read after this one.
      }
    };
  }
}
