package dev.sasrec.model;

import java.util.function.Supplier;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.abstracts.Nd4jWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.ResetPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runs the model's calls inside ND4J workspaces (one per thread and kind of call), so that the
 * intermediates of a batch are carved out of one reused block instead of being allocated and zeroed
 * afresh (measured: a fresh [3200, 512] float buffer costs ~20 ms, a workspace one ~0). Arrays a
 * call returns must be detached before the workspace closes.
 *
 * <p>Decision: the workspace learns its size from its first call and spills externally after; a
 * call that spilled (a larger batch) destroys it, so the next call learns the larger size. ND4J's
 * own REALLOCATE policy re-allocates and zeroes the whole block on every close in 1.0.0-M2.1 (~10 %
 * of a training step in the profile).
 */
final class Workspaces {

  /** Training steps and loss evaluation. */
  static final String STEP = "sasrecStep";

  /** Hidden states and scores. */
  static final String INFERENCE = "sasrecInference";

  private static final WorkspaceConfiguration CONFIG =
      WorkspaceConfiguration.builder()
          .initialSize(0)
          .overallocationLimit(0.05)
          .policyAllocation(AllocationPolicy.OVERALLOCATE)
          .policyLearning(LearningPolicy.FIRST_LOOP)
          .policyReset(ResetPolicy.BLOCK_LEFT)
          .policySpill(SpillPolicy.EXTERNAL)
          .build();

  private Workspaces() {}

  /** Destroys the current thread's workspace {@code id}, if it has one: its memory is freed. */
  static void destroy(String id) {
    if (Nd4j.getWorkspaceManager().checkIfWorkspaceExists(id)) {
      Nd4j.getWorkspaceManager()
          .destroyWorkspace(Nd4j.getWorkspaceManager().getWorkspaceForCurrentThread(id));
    }
  }

  /** {@code body} inside the current thread's workspace {@code id}. */
  static <T> T run(String id, Supplier<T> body) {
    MemoryWorkspace ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(CONFIG, id);
    boolean learned = ws.getCurrentSize() > 0;
    boolean spilled = false;
    try {
      T result = body.get();
      spilled = learned && ws instanceof Nd4jWorkspace w && w.getSpilledSize() > 0;
      return result;
    } finally {
      ws.close();
      if (spilled) {
        Nd4j.getWorkspaceManager().destroyWorkspace(ws);
      }
    }
  }
}
