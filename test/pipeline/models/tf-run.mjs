// One process per step, since importing TensorFlow.js is slow. `save PATH`: trains, saves to the
// posix registry at PATH, round-trips through a volatile registry too, and prints the predictions.
// `load PATH`: a fresh process that loads the latest generation and prints its predictions.
import { PersistentModel, PosixProvider, Registry, VolatileProvider } from 'statekeep';
import { madeUpRows } from './forest-model.mjs';
import { cpu, TfModel } from './tf-model.mjs';

const [step, registryPath] = process.argv.slice(2);
await cpu();
const { rows } = madeUpRows(40, 99);
const create = () => new TfModel();
const registry = new Registry(new PosixProvider({ path: registryPath }));
const out = {};
if (step === 'save') {
  const train = madeUpRows(64, 5);
  const fresh = await PersistentModel.load(registry, 'tf', { create });
  await fresh.model.train(
    train.rows,
    train.rows.map((r) => r[0] + 2 * r[1] - r[2]),
  );
  out.saved = (await fresh.save({ metrics: { epochs: 20 } })).generation;
  out.predictions = fresh.model.predict(rows);
  const volatile = new Registry(new VolatileProvider());
  const kept = await PersistentModel.load(volatile, 'tf', { create });
  kept.model.setState(fresh.model.getState());
  await kept.save();
  out.volatile = (await PersistentModel.load(volatile, 'tf', { create })).model.predict(rows);
} else {
  const loaded = await PersistentModel.load(registry, 'tf', { create });
  out.generation = loaded.generation.generation;
  out.predictions = loaded.model.predict(rows);
  out.untrained = create().predict(rows);
}
// TensorFlow.js prints a greeting on stdout; the result is the last line.
process.stdout.write(`\n${JSON.stringify(out)}\n`);
await registry.close();
