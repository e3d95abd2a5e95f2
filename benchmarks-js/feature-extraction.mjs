// transformers.js on the same model and sentences as JTransformers' feature-extraction benchmark: tokenise with
// padding and truncation (256), run the ONNX model, mean-pool over the attention mask and L2-normalise, as its
// feature-extraction pipeline does. (Its pipeline looks for an output named last_hidden_state; this export calls
// it output_0, so the same steps are spelled out.) Offline, from a local model folder. Prints sentences per second.
// Usage: node feature-extraction.mjs MODEL_DIR SENTENCES_FILE [BATCH_SIZE] [ROUNDS]
import { AutoModel, AutoTokenizer, env, mean_pooling } from '@huggingface/transformers';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const [modelDir, sentencesFile, batchArg = '32', roundsArg = '3'] = process.argv.slice(2);
if (!modelDir || !sentencesFile) {
  console.error('usage: node feature-extraction.mjs MODEL_DIR SENTENCES_FILE [BATCH_SIZE] [ROUNDS]');
  process.exit(2);
}
env.allowRemoteModels = false;
const batchSize = Number(batchArg);
const rounds = Number(roundsArg);
const sentences = readFileSync(sentencesFile, 'utf8').split('\n').filter((s) => s.length > 0);

const dir = path.resolve(modelDir); // a path, not a hub id: read from disk
const tokenizer = await AutoTokenizer.from_pretrained(dir);
const model = await AutoModel.from_pretrained(dir, { dtype: 'fp32', device: 'cpu' });
const embed = async (batch) => {
  const inputs = tokenizer(batch, { padding: true, truncation: true, max_length: 256 });
  const outputs = await model(inputs);
  const states = outputs.last_hidden_state ?? outputs.output_0;
  return mean_pooling(states, inputs.attention_mask).normalize(2, -1);
};
const run = async () => {
  for (let i = 0; i < sentences.length; i += batchSize) {
    await embed(sentences.slice(i, i + batchSize));
  }
};
await run(); // warm-up
let best = Infinity;
for (let r = 0; r < rounds; r++) {
  const start = process.hrtime.bigint();
  await run();
  best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e9);
}
console.log(JSON.stringify({ engine: 'transformers.js', sentences: sentences.length, batchSize,
  seconds: best, sentencesPerSecond: sentences.length / best }));
