import type { GenerationRow, ReleaseView } from '../api-types.js';
import { routes, seg, useApi } from './api.js';
import { MetricChart } from './chart.js';
import { Crumbs, ErrorBox, ModeTag, Page, ParentLink, StatusBadge } from './common.js';
import { bytes, digest, metric, time } from './format.js';

export function ReleasePage({ project, release }: { project: string; release: string }) {
  const loaded = useApi<ReleaseView>(`/projects/${seg(project)}/releases/${seg(release)}`);
  return (
    <Page loaded={loaded}>
      {(view) => (
        <section>
          <Crumbs
            items={[
              ['projects', routes.projects()],
              [project, routes.project(project)],
              [release, null],
            ]}
          />
          <h1>
            {project} {release}
          </h1>
          <p class="sub">
            created {time(view.release.created)}
            {view.release.package ? (
              <>
                {' · package '}
                <code title={view.release.package.digest}>{digest(view.release.package.digest)}</code> (
                {bytes(view.release.package.size)})
              </>
            ) : null}
            {view.release.commit ? (
              <>
                {' · commit '}
                <code>{view.release.commit.slice(0, 10)}</code>
              </>
            ) : null}{' '}
            · <a href={routes.lineage(project)}>lineage</a>
          </p>
          {view.release.error ? <ErrorBox error={view.release.error} title="The release record is damaged" /> : null}
          <h2>Generations</h2>
          {view.generations.length === 0 ? (
            <p>No generations yet: train this release first.</p>
          ) : (
            <GenerationTable project={project} release={release} view={view} />
          )}
          {view.metrics.length > 0 ? (
            <>
              <h2>Metrics</h2>
              <div class="charts">
                {view.metrics.map((name) => (
                  <MetricChart key={name} name={name} generations={view.generations} />
                ))}
              </div>
            </>
          ) : null}
        </section>
      )}
    </Page>
  );
}

function GenerationTable({ project, release, view }: { project: string; release: string; view: ReleaseView }) {
  return (
    <table data-testid="generations">
      <thead>
        <tr>
          <th class="num">#</th>
          <th>mode</th>
          <th>created</th>
          <th>parent</th>
          <th class="num">rows</th>
          {view.metrics.map((m) => (
            <th key={m} class="num">
              {m}
            </th>
          ))}
          <th class="num">states</th>
          <th class="num">bytes</th>
          <th>status</th>
        </tr>
      </thead>
      <tbody>
        {view.generations.map((g) => (
          <Row key={g.generation} project={project} release={release} g={g} metrics={view.metrics} />
        ))}
      </tbody>
    </table>
  );
}

function Row({
  project,
  release,
  g,
  metrics,
}: {
  project: string;
  release: string;
  g: GenerationRow;
  metrics: string[];
}) {
  const readable = g.status !== 'pruned' && g.mode !== null && g.created !== null && g.states > 0;
  return (
    <tr data-generation={g.generation} data-status={g.status} class={g.status}>
      <td class="num">
        <a href={routes.generation(project, release, g.generation)}>{g.generation}</a>
      </td>
      <td data-field="mode">
        <ModeTag mode={g.mode} />
      </td>
      <td data-field="created">{time(g.created)}</td>
      <td data-field="parent">
        {g.rollbackOf !== null ? (
          <span>
            rollback of <a href={routes.generation(project, release, g.rollbackOf)}>#{g.rollbackOf}</a>
          </span>
        ) : g.parent !== null ? (
          <ParentLink project={project} release={release} parent={g.parent} />
        ) : (
          '—'
        )}
      </td>
      <td class="num" data-field="rows">
        {g.rows ?? '—'}
      </td>
      {metrics.map((m) => (
        <td key={m} class="num" data-field={`metric:${m}`} data-value={g.metrics[m]} title={String(g.metrics[m] ?? '')}>
          {metric(g.metrics[m])}
        </td>
      ))}
      <td class="num" data-field="states">
        {readable || g.states > 0 ? g.states : '—'}
      </td>
      <td class="num" data-field="bytes" data-value={g.bytes} title={`${g.bytes} bytes`}>
        {g.states > 0 ? bytes(g.bytes) : '—'}
      </td>
      <td data-field="status">
        <StatusBadge status={g.status} error={g.error} />
        {g.tombstone ? (
          <span class="sub">
            {' '}
            pruned {time(g.tombstone.prunedAt)}
            {g.tombstone.rule ? ` by ${g.tombstone.rule}` : ''}
          </span>
        ) : null}
        {g.damagedStates.length > 0 ? (
          <span class="sub"> state of {g.damagedStates.map((s) => s.actor).join(', ')}</span>
        ) : null}
      </td>
    </tr>
  );
}
