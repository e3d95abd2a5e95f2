/**
 * Training classification heads on a frozen encoder's pooled sentence vectors ({@link
 * dev.jtransformers.heads.training.HeadTrainer}), saving them as a directory of {@code head_config.json} and
 * {@code head.safetensors} ({@link dev.jtransformers.heads.training.TrainedHead}), and loading them back as the
 * {@code trained} head ({@link dev.jtransformers.heads.training.TrainedHeadFactory}).
 *
 * <pre>{@code
 * TrainingOptions options = TrainingOptions.builder()
 *     .labels(List.of("NEGATIVE", "POSITIVE"))
 *     .pooling(Pooling.MEAN, true)          // how the vectors were pooled from the encoder
 *     .mlp(256, Activation.RELU, 0.1)
 *     .build();
 * // Validation holds out whole sentences together with every phrase of them (SST-2 holds both).
 * TrainedHead head = HeadTrainer.train(vectors, labels, PhraseGroups.of(texts), options);
 * head.config().validation().sentenceAccuracy();   // the head, on held-out sentences
 * head.config().baseline().sentenceAccuracy();     // a softmax head on the same split, to beat
 * head.save(Path.of("heads/sst2"));
 * }</pre>
 */
package dev.jtransformers.heads.training;
