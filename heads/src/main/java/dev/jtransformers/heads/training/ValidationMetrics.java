package dev.jtransformers.heads.training;

/**
 * How a trained head does on the validation examples.
 *
 * @param accuracy share of validation examples whose highest logit is their label
 * @param loss mean cross-entropy on the validation examples
 * @param sentenceAccuracy the accuracy on the validation sentences alone (the examples that are part of no longer
 *     example; see {@link PhraseGroups}), on which early stopping decides
 * @param bestEpoch the epoch (from 1) whose weights were kept
 * @param epochsRun epochs trained before early stopping (or the maximum)
 */
public record ValidationMetrics(double accuracy, double loss, double sentenceAccuracy, int bestEpoch, int epochsRun) {}
