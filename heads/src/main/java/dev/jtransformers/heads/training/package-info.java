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
 * TrainedHead head = HeadTrainer.train(vectors, labels, options);
 * head.save(Path.of("heads/sst2"));
 * }</pre>
 */
package dev.jtransformers.heads.training;
