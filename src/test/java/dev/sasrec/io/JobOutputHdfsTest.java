package dev.sasrec.io;

import java.io.File;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link JobOutput}'s atomic outputs on a real (mini) HDFS: the contract of {@link JobOutputTest}.
 */
@Tag("spark")
class JobOutputHdfsTest extends JobOutputContractTest {

  @TempDir static Path dir;

  private static MiniDFSCluster cluster;
  private static FileSystem hdfs;
  private JobOutputContract contract;

  @Override
  JobOutputContract contract() {
    return contract;
  }

  @BeforeAll
  static void startHdfs() throws Exception {
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, new File(dir.toFile(), "dfs").getAbsolutePath());
    cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
    cluster.waitActive();
    hdfs = cluster.getFileSystem();
  }

  @AfterAll
  static void stopHdfs() {
    if (cluster != null) {
      cluster.shutdown();
    }
  }

  /** Each test in a directory of its own. */
  @BeforeEach
  void newContract(TestInfo test) throws Exception {
    org.apache.hadoop.fs.Path base =
        new org.apache.hadoop.fs.Path(
            hdfs.getUri() + "/" + test.getTestMethod().orElseThrow().getName());
    hdfs.mkdirs(base);
    contract = new JobOutputContract(hdfs, base, hdfs.getConf());
  }
}
