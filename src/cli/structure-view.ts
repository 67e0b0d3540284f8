import type { GenerationManifest, StructureNode, StructureValue } from '../registry/manifest.js';

/** A manifest's structure node with the state digest of the actor it names (null: the actor keeps no state). */
export interface StructureView {
  kind: string;
  name: string;
  actor?: string;
  digest?: string | null;
  attributes?: Record<string, StructureValue>;
  children?: StructureView[];
}

/** The generation's structure with each actor's state digest beside it; null for a manifest without one. */
export function structureOf(manifest: GenerationManifest): StructureView | null {
  if (manifest.structure === undefined) return null;
  const digests = new Map(manifest.states.map((s) => [s.actor as string, s.digest as string]));
  const view = (node: StructureNode): StructureView => ({
    ...node,
    ...(node.actor === undefined ? {} : { digest: digests.get(node.actor) ?? null }),
    ...(node.children === undefined ? {} : { children: node.children.map(view) }),
  });
  return view(manifest.structure);
}

/** The structure as indented lines: each branch with its columns, each actor with its state's digest. */
export function structureLines(manifest: GenerationManifest): string[] {
  const root = structureOf(manifest);
  if (root === null) return [];
  const lines: string[] = [];
  const shown = (value: StructureValue): string => (Array.isArray(value) ? value.join(', ') : String(value));
  const walk = (node: StructureView, depth: number): void => {
    const pad = '  '.repeat(depth);
    const attributes = Object.entries(node.attributes ?? {})
      .filter(([key]) => key !== 'stateful')
      .map(([key, value]) => `${key} ${shown(value)}`);
    if (node.actor !== undefined) {
      lines.push(`${pad}${node.actor}  ${node.digest ?? '(no state)'}`);
    } else {
      lines.push(
        `${pad}${node.kind === node.name ? node.kind : `${node.kind} ${node.name}`}${attributes.length > 0 ? ` (${attributes.join('; ')})` : ''}`,
      );
    }
    for (const child of node.children ?? []) walk(child, depth + 1);
  };
  for (const child of root.children ?? []) if ((child.children ?? []).length > 0) walk(child, 0);
  return lines;
}
