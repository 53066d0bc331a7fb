package dev.sasrec.bench;

import dev.sasrec.io.IndexedIds;
import dev.sasrec.io.ModelDir;
import dev.sasrec.io.PreprocessLayout;
import dev.sasrec.model.ModelCard;
import dev.sasrec.model.ModelConfig;
import dev.sasrec.model.Objective;
import dev.sasrec.model.SASRec;
import dev.sasrec.model.dl4j.SASRecNetwork;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;

/**
 * Writes a model directory for Recommend's speed benchmark (submit/bench-recommend): the seed
 * architecture with random weights, as TrainSASRec would lay it out (network, card, vocabulary),
 * without training, which speed does not need. The vocabulary is the Preprocess output's own, or,
 * with {@code items}, the ids "1".."items" that GenerateSample writes (83,631 for the seed's
 * catalogue, more items than a sample's Preprocess output keeps).
 *
 * <p>Usage: RecommendBenchModel PREP MODEL_DIR [items]
 */
public final class RecommendBenchModel {

  private RecommendBenchModel() {}

  public static void main(String[] args) throws IOException {
    Configuration conf = new Configuration();
    PreprocessLayout prep = PreprocessLayout.at(args[0]);
    ModelDir dir = ModelDir.at(args[1]);
    String[] ids;
    if (args.length > 2) {
      ids = new String[Integer.parseInt(args[2]) + 1];
      for (int i = 1; i < ids.length; i++) {
        ids[i] = String.valueOf(i);
      }
    } else {
      ids = IndexedIds.read(prep.items(), null, conf).ids();
    }
    ModelConfig config = SeedModel.of(ids.length - 1);
    dir.save(
        SASRecNetwork.create(config, SASRec.Targets.ALL, 1e-3, 42),
        new ModelCard(
            config,
            SASRec.Targets.ALL,
            Objective.BCE,
            0,
            prep.root().toString(),
            prep.items().toString(),
            prep.users().toString()),
        conf);
    IndexedIds.write(dir.items(), ids, conf);
    System.out.printf("Wrote %s (%,d items, random weights)%n", dir.root(), ids.length - 1);
  }
}
