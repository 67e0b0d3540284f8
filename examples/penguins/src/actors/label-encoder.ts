import type { Label, LabelActor, Params, StatefulActor } from '../statekeep.js';

export interface LabelEncoderState {
  classes: Label[];
}

/** Species names to class indices and back; a class first seen later is appended, so indices keep their meaning. */
export class LabelEncoder
  implements StatefulActor<Label[], number[], LabelEncoderState, Label[]>, LabelActor<Label[], number[]>
{
  #classes: Label[] = [];

  train(labels: Label[]): void {
    for (const label of labels) if (!this.#classes.includes(label)) this.#classes.push(label);
  }

  apply(labels: Label[]): number[] {
    return labels.map((label) => {
      const index = this.#classes.indexOf(label);
      if (index < 0) throw new Error(`unknown species ${JSON.stringify(label)}`);
      return index;
    });
  }

  inverse(indices: number[]): Label[] {
    return indices.map((i) => this.#classes[i]!);
  }

  getState(): LabelEncoderState {
    return { classes: [...this.#classes] };
  }

  setState(state: LabelEncoderState): void {
    this.#classes = [...state.classes];
  }

  getParams(): Params {
    return {};
  }

  setParams(): void {}
}
