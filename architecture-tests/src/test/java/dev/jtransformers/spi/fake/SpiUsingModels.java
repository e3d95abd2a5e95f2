package dev.jtransformers.spi.fake;

import dev.jtransformers.models.ModelConfig;

/** Breaks the rules on purpose: an SPI type that depends on another module. */
public interface SpiUsingModels {
  ModelConfig config();
}
