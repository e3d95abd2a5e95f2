package dev.jtransformers.heads.training;

/**
 * How the saved head does on the validation examples.
 *
 * @param accuracy share of validation examples whose highest logit is their label
 * @param loss mean cross-entropy on the validation examples
 * @param bestEpoch the epoch (from 1) whose weights were kept
 * @param epochsRun epochs trained before early stopping (or the maximum)
 */
public record ValidationMetrics(double accuracy, double loss, int bestEpoch, int epochsRun) {}
