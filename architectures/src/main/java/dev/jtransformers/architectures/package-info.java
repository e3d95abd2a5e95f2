/**
 * BERT and DistilBERT described once, for every backend that builds these networks itself from {@code
 * model.safetensors} and {@code config.json}, and for code that reads part of a checkpoint (classification heads).
 * No engine inside.
 *
 * <ul>
 *   <li>{@link dev.jtransformers.architectures.NetworkSpec}: the network a configuration describes, an {@link
 *       dev.jtransformers.architectures.Architecture} with a {@link dev.jtransformers.architectures.TaskHead}: every
 *       {@link dev.jtransformers.architectures.Parameter} with its checkpoint name and shape, the inputs, and the
 *       outputs in order.
 *   <li>{@link dev.jtransformers.architectures.TaskHead#assignOutputNames}: the output names every backend gives a
 *       graph's outputs, whatever the graph calls them.
 *   <li>{@link dev.jtransformers.architectures.CheckpointValidator}: a checkpoint checked against the spec, with
 *       errors that name the file and the tensor.
 *   <li>{@link dev.jtransformers.architectures.Network}: the forward pass, written once against {@link
 *       dev.jtransformers.architectures.TensorOps}, which each engine implements; {@link
 *       dev.jtransformers.architectures.FloatArrayOps} is the engine-free reference implementation.
 * </ul>
 *
 * <p>A backend's use, in full:
 *
 * <pre>{@code
 * ModelConfig config = ModelConfig.load(directory);
 * NetworkSpec spec = NetworkSpec.of(config);                 // e.g. BertForTokenClassification
 * try (SafetensorsFile weights = SafetensorsFile.open(directory.resolve("model.safetensors"))) {
 *   Network<NDArray> network = Network.build(spec, ops, weights);  // the backend's TensorOps<NDArray>
 *   Map<String, NDArray> outputs = network.forward(inputs);  // spec.outputNames(): logits, last_hidden_state
 * }
 * }</pre>
 */
package dev.jtransformers.architectures;
