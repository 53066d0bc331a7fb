package dev.sasrec.io;

import org.junit.jupiter.api.Test;

/**
 * The cases of {@link JobOutputContract} as tests, run once per file system: local files ({@link
 * JobOutputTest}) and HDFS ({@link JobOutputHdfsTest}).
 */
abstract class JobOutputContractTest {

  /** The contract on the subclass's file system, in a directory of this test's own. */
  abstract JobOutputContract contract();

  @Test
  void aNewOutputAppearsOnlyWhenCommittedWithSuccessInside() {
    contract().aNewOutputAppearsOnlyWhenCommittedWithSuccessInside();
  }

  @Test
  void aFailedJobLeavesTheTargetAsItWasAndNothingBeside() {
    contract().aFailedJobLeavesTheTargetAsItWasAndNothingBeside();
  }

  @Test
  void replacingSwapsTheOldOutputOnlyWhenTheNewIsComplete() {
    contract().replacingSwapsTheOldOutputOnlyWhenTheNewIsComplete();
  }

  @Test
  void anOutputCreatedMeanwhileIsNotReplaced() {
    contract().anOutputCreatedMeanwhileIsNotReplaced();
  }

  @Test
  void aFileIsReplacedOnlyWhenTheNewOneIsComplete() {
    contract().aFileIsReplacedOnlyWhenTheNewOneIsComplete();
  }

  @Test
  void aFailedRunKeepsItsStagingForARetryThatContinues() {
    contract().aFailedRunKeepsItsStagingForARetryThatContinues();
  }

  @Test
  void aRetryThatDoesNotContinueDiscardsItsOwnStaging() {
    contract().aRetryThatDoesNotContinueDiscardsItsOwnStaging();
  }

  @Test
  void continuingACompleteRunCopiesItAndReplacesItOnlyAtCommit() {
    contract().continuingACompleteRunCopiesItAndReplacesItOnlyAtCommit();
  }

  @Test
  void aStagingDirectoryOfSomethingElseIsNeverTouched() {
    contract().aStagingDirectoryOfSomethingElseIsNeverTouched();
  }
}
