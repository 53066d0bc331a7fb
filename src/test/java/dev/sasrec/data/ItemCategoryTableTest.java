package dev.sasrec.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sasrec.SparkTestSession;
import dev.sasrec.TestFiles;
import dev.sasrec.eval.ModelSnapshot;
import dev.sasrec.io.PreprocessLayout;
import dev.sasrec.io.Split;
import dev.sasrec.io.Vocabularies;
import dev.sasrec.model.ItemCategories;
import dev.sasrec.model.ModelConfig;
import dev.sasrec.preprocess.PreprocessJob;
import dev.sasrec.preprocess.PreprocessStats;
import dev.sasrec.preprocess.PreprocessTestConfigs;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * CAFE's item categories through the whole Preprocess job: the fixture's items a..e (a and b occur
 * 3 times, c twice, d and e once) against a metadata file with every kind of row.
 */
@Tag("spark")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ItemCategoryTableTest {

  static final String[] META = {
    "item_id,title,genres",
    "a,Alpha,Action|Comedy", // several categories: the first counts
    "b,Beta,Comedy",
    "c,Gamma,Drama", // c has two rows that disagree: the smaller name (Action) wins
    "c,Gamma again,Action",
    "d,Delta,", // no category: rejected
    ",Nameless,Comedy", // no item: rejected
    "z,Zeta,Drama" // z is not a kept item
  };

  @TempDir static Path dir;

  private final SparkSession spark = SparkTestSession.get();
  private PreprocessStats stats;
  private PreprocessLayout layout;

  @BeforeAll
  void runOnce() {
    Path meta = TestFiles.write(dir, "items.csv", META);
    String output = dir.resolve("out").toString();
    stats =
        new PreprocessJob(spark)
            .run(
                PreprocessTestConfigs.fixture(
                    dir,
                    output,
                    "--item-meta",
                    meta.toString(),
                    "--item-meta-category-col",
                    "genres"));
    layout = PreprocessLayout.at(output);
  }

  @Test
  void categoriesAreIndexedByItemCountThenName() {
    // Items: <none> d, e; Action a, c; Comedy b. "<" sorts before "A".
    List<String> categories =
        spark
            .read()
            .parquet(layout.categories().toString())
            .orderBy("index")
            .collectAsList()
            .stream()
            .map(r -> r.getInt(0) + "=" + r.getString(1) + "x" + r.getLong(2))
            .toList();
    assertThat(categories).containsExactly("1=<none>x2", "2=Actionx2", "3=Comedyx1");
  }

  @Test
  void everyItemHasOneCategory() {
    // Items by frequency: a=1, b=2, c=3, d=4, e=5.
    List<String> pairs =
        spark
            .read()
            .parquet(layout.itemCategories().toString())
            .orderBy("item_index")
            .collectAsList()
            .stream()
            .map(r -> r.getInt(0) + "->" + r.getInt(1))
            .toList();
    assertThat(pairs).containsExactly("1->2", "2->3", "3->2", "4->1", "5->1");
  }

  @Test
  void everyMetadataRowIsUsedRejectedOrUnmatched() {
    ItemCategoryTable.Counts counts = stats.itemMeta();
    assertThat(counts.rowsRead()).isEqualTo(7);
    assertThat(counts.rejected())
        .containsEntry("missing-item", 1L)
        .containsEntry("missing-category", 1L);
    assertThat(counts.unmatchedRows()).isEqualTo(1);
    assertThat(counts.itemsWithCategory()).isEqualTo(3);
    assertThat(counts.itemsWithoutCategory()).isEqualTo(2);
    assertThat(counts.conflictingItems()).isEqualTo(1);
    assertThat(counts.categories()).isEqualTo(3);
    List<Row> rejected = spark.read().json(layout.itemMetaRejected().toString()).collectAsList();
    assertThat(rejected)
        .extracting(r -> r.<String>getAs("reason"))
        .containsExactlyInAnyOrder("missing-item", "missing-category");
    assertThat(rejected)
        .extracting(r -> r.<String>getAs("raw"))
        .anyMatch(raw -> raw.contains("\"title\":\"Delta\""));
  }

  @Test
  void sequencesCarryTheCategoriesOfTheirItems() {
    Row test =
        spark
            .read()
            .parquet(layout.sequences(Split.TEST).toString())
            .filter("user_id = 'u1'")
            .first();
    // u1's test input is b, c, d → Comedy, Action, <none>; its target e → <none>.
    assertThat(test.getList(test.fieldIndex("items"))).containsExactly(2, 3, 4);
    assertThat(test.getList(test.fieldIndex("categories"))).containsExactly(3, 2, 1);
    assertThat(test.<Integer>getAs("target_category")).isEqualTo(1);
    Row padded =
        spark
            .read()
            .parquet(layout.sequences(Split.TRAIN).toString())
            .filter("user_id = 'u3'")
            .first();
    assertThat(padded.getList(padded.fieldIndex("categories")).get(0)).isEqualTo(0);
  }

  @Test
  void trainingReadsTheTableBackAndRefusesAMismatch() {
    assertThat(Vocabularies.itemCategories(spark, layout, 5)).containsExactly(0, 2, 3, 2, 1, 1);
    assertThatThrownBy(() -> Vocabularies.itemCategories(spark, layout, 4))
        .hasMessageContaining("item_index 5 is outside 1..4");
    ModelConfig cafe =
        ModelConfig.builder()
            .items(5)
            .maxLen(3)
            .hidden(4)
            .blocks(1)
            .heads(1)
            .ffn(4)
            .dropout(0.0)
            .activation(ModelConfig.Activation.GELU)
            .categories(3)
            .build();
    assertThat(ModelSnapshot.itemCategories(spark, layout, cafe).ofItem())
        .containsExactly(0, 2, 3, 2, 1, 1);
    ModelConfig plain =
        ModelConfig.builder()
            .items(5)
            .maxLen(3)
            .hidden(4)
            .blocks(1)
            .heads(1)
            .ffn(4)
            .dropout(0.0)
            .activation(ModelConfig.Activation.GELU)
            .build();
    assertThat(ModelSnapshot.itemCategories(spark, layout, plain)).isSameAs(ItemCategories.NONE);
  }

  @Test
  void aMissingMetadataColumnIsNamed() {
    Path meta = TestFiles.write(dir, "bad-meta.csv", "item,genre", "a,Action");
    assertThatThrownBy(
            () ->
                new PreprocessJob(spark)
                    .run(
                        PreprocessTestConfigs.fixture(
                            dir,
                            dir.resolve("bad-out").toString(),
                            "--item-meta",
                            meta.toString())))
        .hasMessageContaining("column 'item_id' not found")
        .hasMessageContaining("bad-meta.csv");
  }
}
