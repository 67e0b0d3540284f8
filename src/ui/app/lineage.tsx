import type { LineageEdge, LineageNode, LineageView } from '../api-types.js';
import { routes, seg, useApi } from './api.js';
import { Crumbs, ErrorBox, Page } from './common.js';
import { time } from './format.js';

// The lineage as an SVG laid out here: one row per release (oldest on top), generations along
// it by number, so time runs left to right. A warm start is an arrow to the right; a rollback
// is an arc back to the generation it reinstates; an alias that moved between releases joins
// their rows.
const DX = 110;
const DY = 190;
const LEFT = 150;
// Room above each row for rollback arcs, below it for warm starts from further back.
const TOP = 110;
const R = 17;
const MAX_LIFT = 75;

interface Placed extends LineageNode {
  x: number;
  y: number;
}

export function LineagePage({ project }: { project: string }) {
  const loaded = useApi<LineageView>(`/projects/${seg(project)}/lineage`);
  return (
    <Page loaded={loaded}>
      {(view) => (
        <section>
          <Crumbs
            items={[
              ['projects', routes.projects()],
              [project, routes.project(project)],
              ['lineage', null],
            ]}
          />
          <h1>{project}: lineage</h1>
          <p class="legend">
            <span class="key key-parent">→ warm start (parent)</span>
            <span class="key key-rollback">↶ rollback to</span>
            <span class="key key-alias">⇢ alias moved</span>
            <span class="mode mode-train">train</span> <span class="mode mode-tune">tune</span>{' '}
            <span class="mode mode-rollback">rollback</span> <span class="badge damaged">damaged</span>{' '}
            <span class="badge pruned">pruned</span>
          </p>
          {view.aliasesError ? <ErrorBox error={view.aliasesError} title="The aliases cannot be read" /> : null}
          <Graph project={project} view={view} />
        </section>
      )}
    </Page>
  );
}

function Graph({ project, view }: { project: string; view: LineageView }) {
  const rows = new Map(view.releases.map((r, i) => [r.version, i]));
  const placed = new Map<string, Placed>();
  for (const n of view.nodes)
    placed.set(n.id, { ...n, x: LEFT + (n.generation - 1) * DX, y: TOP + (rows.get(n.release) ?? 0) * DY });
  const maxGeneration = Math.max(1, ...view.nodes.map((n) => n.generation));
  const width = LEFT + (maxGeneration - 1) * DX + 80;
  const height = TOP + Math.max(0, view.releases.length - 1) * DY + 90;
  return (
    <div class="graph-box">
      <svg
        data-testid="lineage"
        width={width}
        height={height}
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-label={`lineage of ${project}`}
      >
        <defs>
          {(['parent', 'rollback', 'alias'] as const).map((kind) => (
            <marker
              key={kind}
              id={`arrow-${kind}`}
              viewBox="0 0 10 10"
              refX="9"
              refY="5"
              markerWidth="7"
              markerHeight="7"
              orient="auto-start-reverse"
            >
              <path d="M0,0 L10,5 L0,10 z" class={`arrowhead arrowhead-${kind}`} />
            </marker>
          ))}
        </defs>
        {view.releases.map((r, i) => (
          <g key={r.version} class="release-row">
            <line x1={20} x2={width - 20} y1={TOP + i * DY} y2={TOP + i * DY} class="row-line" />
            <a href={routes.release(project, r.version)}>
              <text x={16} y={TOP + i * DY + 5} class={`row-label ${r.status}`}>
                {r.version}
                {r.status !== 'ok' ? ` (${r.status})` : ''}
              </text>
            </a>
          </g>
        ))}
        {view.edges.map((e) => {
          const from = placed.get(e.from);
          const to = placed.get(e.to);
          return from && to ? (
            <Edge key={`${e.kind}:${e.from}:${e.to}:${e.label}`} edge={e} from={from} to={to} />
          ) : null;
        })}
        {[...placed.values()].map((n) => (
          <a key={n.id} href={routes.generation(project, n.release, n.generation)}>
            <g class={`node node-${n.mode ?? 'unknown'} ${n.status}`} data-node={n.id} data-status={n.status}>
              <title>
                {`${n.release} #${n.generation}: ${n.mode ?? n.status}, ${time(n.created)}${n.error ? `\n${n.error.code}: ${n.error.message}` : ''}`}
              </title>
              <circle cx={n.x} cy={n.y} r={R} />
              <text x={n.x} y={n.y + 5} class="node-label">
                {n.generation}
              </text>
              {n.aliases.map((a, i) => (
                <text key={a} x={n.x} y={n.y + R + 16 + i * 15} class="node-alias">
                  @{a}
                </text>
              ))}
              {n.status !== 'ok' ? (
                <text x={n.x} y={n.y + R + 16 + n.aliases.length * 15} class="node-status">
                  {n.status}
                </text>
              ) : null}
            </g>
          </a>
        ))}
      </svg>
    </div>
  );
}

function Edge({ edge, from, to }: { edge: LineageEdge; from: Placed; to: Placed }) {
  const start = { x: from.x, y: from.y };
  const end = { x: to.x, y: to.y };
  let d: string;
  let label = edge.label;
  let labelAt = { x: (start.x + end.x) / 2, y: (start.y + end.y) / 2 - 8 };
  if (edge.kind === 'rollback') {
    // An arc over the row, back to the reinstated generation.
    const lift = Math.min(MAX_LIFT, 35 + Math.abs(start.x - end.x) * 0.12);
    d = `M${start.x},${start.y - R} C${start.x},${start.y - R - lift} ${end.x},${end.y - R - lift} ${end.x},${end.y - R - 2}`;
    label = `rollback to #${to.generation}`;
    labelAt = { x: (start.x + end.x) / 2, y: start.y - R - lift * 0.75 - 4 };
  } else if (edge.kind === 'parent' && from.y === to.y && to.x - from.x === DX) {
    d = `M${start.x + R},${start.y} L${end.x - R - 2},${end.y}`;
  } else if (edge.kind === 'parent' && from.y === to.y) {
    // A warm start from further back: under the row.
    const drop = Math.min(MAX_LIFT, 30 + Math.abs(end.x - start.x) * 0.1);
    d = `M${start.x},${start.y + R} C${start.x},${start.y + R + drop} ${end.x},${end.y + R + drop} ${end.x},${end.y + R + 2}`;
  } else {
    const mid = (start.y + end.y) / 2;
    const sy = start.y + (end.y > start.y ? R : -R);
    const ey = end.y + (end.y > start.y ? -R - 2 : R + 2);
    d = `M${start.x},${sy} C${start.x},${mid} ${end.x},${mid} ${end.x},${ey}`;
    labelAt = { x: (start.x + end.x) / 2 + 6, y: mid };
    if (label !== null) label = `@${label}`;
  }
  return (
    <g class={`edge edge-${edge.kind}`} data-edge={`${edge.kind}:${edge.from}->${edge.to}`}>
      <path d={d} marker-end={`url(#arrow-${edge.kind})`} />
      {label ? (
        <text x={labelAt.x} y={labelAt.y} class="edge-label">
          {label}
        </text>
      ) : null}
    </g>
  );
}
