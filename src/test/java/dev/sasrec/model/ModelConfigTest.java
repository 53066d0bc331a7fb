package dev.sasrec.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ModelConfigTest {

  private static ModelConfig.Builder seed() {
    return ModelConfig.builder()
        .items(83631)
        .maxLen(50)
        .hidden(128)
        .blocks(3)
        .heads(2)
        .ffn(512)
        .dropout(0.2)
        .activation(ModelConfig.Activation.GELU);
  }

  @Test
  void theBuilderNamesEveryFieldAndLeavesTheVariantsOff() {
    ModelConfig c = seed().build();
    assertThat(c)
        .isEqualTo(
            new ModelConfig(
                83631,
                50,
                128,
                3,
                2,
                512,
                0.2,
                0.0,
                0.0,
                ModelConfig.Activation.GELU,
                false,
                false,
                0));
    assertThat(c.toBuilder().build()).isEqualTo(c);
    assertThat(seed().finalLayerNorm(true).separateOutput(true).categories(18).build())
        .extracting(
            ModelConfig::finalLayerNorm, ModelConfig::separateOutput, ModelConfig::numCategories)
        .containsExactly(true, true, 18);
  }

  @Test
  void everyDropoutRateIsCheckedAndNamed() {
    assertThat(seed().attentionDropout(0.1).ffnDropout(0.3).build())
        .extracting(ModelConfig::attentionDropout, ModelConfig::ffnDropout)
        .containsExactly(0.1, 0.3);
    assertThatThrownBy(() -> seed().attentionDropout(1).build())
        .hasMessage("Cannot build model: attention dropout must be in [0, 1) (1.0)");
    assertThatThrownBy(() -> seed().ffnDropout(-0.1).build())
        .hasMessage("Cannot build model: feed-forward dropout must be in [0, 1) (-0.1)");
  }

  @Test
  void aMissingSizeIsNamed() {
    assertThatThrownBy(
            () ->
                ModelConfig.builder()
                    .items(5)
                    .hidden(4)
                    .blocks(1)
                    .heads(1)
                    .ffn(8)
                    .dropout(0)
                    .activation(ModelConfig.Activation.RELU)
                    .build())
        .hasMessage("Cannot build model: maxLen is not set");
    assertThatThrownBy(() -> seed().heads(3).build())
        .hasMessageContaining("not divisible by heads");
  }

  @Test
  void theCategoryEncoderIsTheItemEncodersShapeOverTheCategories() {
    ModelConfig cafe = seed().separateOutput(true).categories(18).build();
    assertThat(cafe.categoryEncoder())
        .isEqualTo(seed().items(18).build())
        .extracting(ModelConfig::cafe)
        .isEqualTo(false);
  }
}
