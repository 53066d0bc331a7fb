package dev.sasrec.gpu;

import dev.sasrec.config.Refusal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The GPUs the CUDA build can run on. nd4j-cuda-11.6 1.0.0-M2.1 ships kernels for compute
 * capability 3.7 to 8.6 and no PTX, so a newer GPU (Hopper, sm_90, and later) fails deep inside the
 * first CUDA call; checking at start turns that into a clear error.
 */
public final class GpuSupport {

  /** Oldest and newest compute capability with kernels in nd4j-cuda-11.6 1.0.0-M2.1. */
  public static final Capability MIN = new Capability(3, 7);

  public static final Capability MAX = new Capability(8, 6);

  /** A compute capability major.minor. */
  public record Capability(int major, int minor) implements Comparable<Capability> {
    @Override
    public int compareTo(Capability o) {
      return major != o.major ? Integer.compare(major, o.major) : Integer.compare(minor, o.minor);
    }

    @Override
    public String toString() {
      return major + "." + minor;
    }
  }

  /** One CUDA device as ND4J reports it. */
  public record Device(int index, String name, Capability capability) {}

  private GpuSupport() {}

  /** Fails naming the first device outside the supported range. */
  public static void requireSupported(List<Device> devices) {
    if (devices.isEmpty()) {
      throw new Refusal("Cannot train on GPU: the CUDA backend is loaded but reports no device");
    }
    for (Device d : devices) {
      if (d.capability().compareTo(MIN) < 0 || d.capability().compareTo(MAX) > 0) {
        throw new Refusal(
            String.format(
                Locale.ROOT,
                "Cannot train on GPU: device %d (%s) has compute capability %s, but"
                    + " nd4j-cuda-11.6 1.0.0-M2.1 has kernels for %s to %s only (no PTX; Hopper"
                    + " and newer cannot run it). Use a GPU in that range or the CPU build.",
                d.index(),
                d.name(),
                d.capability(),
                MIN,
                MAX));
      }
    }
  }

  /**
   * The devices in ND4J's environment information ({@code
   * Nd4j.getExecutioner().getEnvironmentInformation()}) on the CUDA backend.
   */
  @SuppressWarnings("unchecked")
  public static List<Device> devices(Map<?, ?> environment) {
    Object list = environment.get("cuda.devicesInformation");
    List<Device> devices = new ArrayList<>();
    if (list instanceof List<?> entries) {
      int index = 0;
      for (Object entry : entries) {
        Map<String, Object> d = (Map<String, Object>) entry;
        // Keys as ND4J's CUDA executioner reports them.
        devices.add(
            new Device(
                index++,
                String.valueOf(d.get("cuda.deviceName")),
                new Capability(
                    ((Number) d.get("cuda.deviceMajor")).intValue(),
                    ((Number) d.get("cuda.deviceMinor")).intValue())));
      }
    }
    return devices;
  }

  /** Checks the devices when ND4J runs on CUDA; does nothing on the CPU backend. */
  public static void checkBackend(String backend, Map<?, ?> environment) {
    if (backend != null && backend.toUpperCase(Locale.ROOT).contains("CUDA")) {
      requireSupported(devices(environment));
    }
  }
}
