package dev.sasrec.preprocess;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sasrec.SparkTestSession;
import dev.sasrec.io.PreprocessLayout;
import dev.sasrec.io.Split;
import java.io.File;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same fixture run with input and output on a real (mini) HDFS. */
@Tag("spark")
class PreprocessHdfsTest {

  @TempDir static Path dir;

  private static MiniDFSCluster cluster;

  @BeforeAll
  static void startHdfs() throws Exception {
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, new File(dir.toFile(), "dfs").getAbsolutePath());
    cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    cluster.waitActive();
  }

  @AfterAll
  static void stopHdfs() {
    if (cluster != null) {
      cluster.shutdown();
    }
  }

  @Test
  void readsAndWritesHdfsUris() throws Exception {
    SparkSession spark = SparkTestSession.get();
    FileSystem hdfs = cluster.getFileSystem();
    String root = hdfs.getUri().toString();
    Path local = PreprocessFixture.write(dir);
    hdfs.copyFromLocalFile(
        new org.apache.hadoop.fs.Path(local.toString()),
        new org.apache.hadoop.fs.Path(root + "/logs/log.csv"));

    String output = root + "/prep";
    PreprocessStats stats =
        new PreprocessJob(spark).run(PreprocessFixture.config(root + "/logs/log.csv", output));

    PreprocessLayout layout = PreprocessLayout.at(output);
    assertThat(stats.rowsRead()).isEqualTo(13);
    assertThat(hdfs.exists(layout.success())).isTrue();
    assertThat(hdfs.exists(layout.manifest())).isTrue();
    assertThat(spark.read().parquet(layout.sequences(Split.TEST).toString()).count()).isEqualTo(2);
    assertThat(spark.read().json(layout.rejected().toString()).count()).isEqualTo(1);
  }
}
