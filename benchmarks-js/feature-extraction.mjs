// transformers.js feature extraction (mean pooling + normalisation, as sentence-transformers) over a file of
// sentences, offline from a local model folder. Prints sentences per second.
// Usage: node feature-extraction.mjs MODEL_DIR SENTENCES_FILE [BATCH_SIZE] [ROUNDS]
import { env, pipeline } from '@huggingface/transformers';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const [modelDir, sentencesFile, batchArg = '32', roundsArg = '3'] = process.argv.slice(2);
if (!modelDir || !sentencesFile) {
  console.error('usage: node feature-extraction.mjs MODEL_DIR SENTENCES_FILE [BATCH_SIZE] [ROUNDS]');
  process.exit(2);
}
env.allowRemoteModels = false;
env.localModelPath = path.dirname(path.resolve(modelDir));
const batchSize = Number(batchArg);
const rounds = Number(roundsArg);
const sentences = readFileSync(sentencesFile, 'utf8').split('\n').filter((s) => s.length > 0);

const extractor = await pipeline('feature-extraction', path.basename(modelDir), { dtype: 'fp32', device: 'cpu' });
const run = async () => {
  for (let i = 0; i < sentences.length; i += batchSize) {
    await extractor(sentences.slice(i, i + batchSize), { pooling: 'mean', normalize: true });
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
