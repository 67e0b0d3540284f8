// A fresh process: loads the latest forest from a posix registry and prints its predictions.
import { PersistentModel, PosixProvider, Registry } from 'statekeep';
import { ForestModel, madeUpRows } from './forest-model.mjs';

const [registryPath] = process.argv.slice(2);
const registry = new Registry(new PosixProvider({ path: registryPath }));
const loaded = await PersistentModel.load(registry, 'forest', { create: () => new ForestModel() });
const { rows } = madeUpRows(40, 99);
process.stdout.write(
  `${JSON.stringify({ generation: loaded.generation.generation, predictions: loaded.model.predict(rows) })}\n`,
);
await registry.close();
