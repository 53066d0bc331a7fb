package dev.sasrec.gpu;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The start-up GPU check, with injected device lists (no GPU on the build machines). */
class GpuSupportTest {

  private static Map<String, Object> environment(String name, int major, int minor) {
    return Map.of(
        "backend",
        "CUDA",
        "cuda.devicesInformation",
        List.of(
            Map.of("cuda.deviceName", name, "cuda.deviceMajor", major, "cuda.deviceMinor", minor)));
  }

  @Test
  void hopperIsRefusedWithTheDeviceAndTheRange() {
    assertThatThrownBy(
            () -> GpuSupport.checkBackend("CUDA", environment("NVIDIA H100 80GB HBM3", 9, 0)))
        .hasMessage(
            "Cannot train on GPU: device 0 (NVIDIA H100 80GB HBM3) has compute capability 9.0, but"
                + " nd4j-cuda-11.6 1.0.0-M2.1 has kernels for 3.7 to 8.6 only (no PTX; Hopper and"
                + " newer cannot run it). Use a GPU in that range or the CPU build.");
  }

  @Test
  void ampereAndOlderSupportedGpusPass() {
    assertThatCode(() -> GpuSupport.checkBackend("CUDA", environment("NVIDIA A100", 8, 0)))
        .doesNotThrowAnyException();
    assertThatCode(() -> GpuSupport.checkBackend("CUDA", environment("NVIDIA RTX A6000", 8, 6)))
        .doesNotThrowAnyException();
    assertThatCode(() -> GpuSupport.checkBackend("CUDA", environment("Tesla K80", 3, 7)))
        .doesNotThrowAnyException();
  }

  @Test
  void tooOldAndAdaAreRefused() {
    assertThatThrownBy(() -> GpuSupport.checkBackend("CUDA", environment("Tesla K40", 3, 5)))
        .hasMessageContaining("compute capability 3.5");
    assertThatThrownBy(() -> GpuSupport.checkBackend("CUDA", environment("NVIDIA L4", 8, 9)))
        .hasMessageContaining("(NVIDIA L4) has compute capability 8.9");
  }

  @Test
  void theCpuBackendIsNotChecked() {
    assertThatCode(() -> GpuSupport.checkBackend("CPU", Map.of())).doesNotThrowAnyException();
  }

  @Test
  void noDeviceOnCudaIsAnError() {
    assertThatThrownBy(() -> GpuSupport.checkBackend("CUDA", Map.of()))
        .hasMessageStartingWith(
            "Cannot train on GPU: the CUDA backend is loaded but reports no device");
  }
}
