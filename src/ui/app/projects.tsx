import type { ProjectsView } from '../api-types.js';
import { routes, useApi } from './api.js';
import { Crumbs, Page, StatusBadge } from './common.js';
import { time } from './format.js';

export function ProjectsPage() {
  const loaded = useApi<ProjectsView>('/projects');
  return (
    <Page loaded={loaded}>
      {(view) => (
        <section>
          <Crumbs items={[['projects', null]]} />
          <h1>Projects</h1>
          <p class="sub">registry: {view.registry}</p>
          {view.projects.length === 0 ? (
            <p>
              No projects yet: publish one with <code>statekeep release</code> or <code>statekeep train</code>.
            </p>
          ) : (
            <table data-testid="projects">
              <thead>
                <tr>
                  <th>project</th>
                  <th class="num">releases</th>
                  <th class="num">generations</th>
                  <th>newest activity</th>
                  <th>status</th>
                </tr>
              </thead>
              <tbody>
                {view.projects.map((p) => (
                  <tr key={p.name} data-project={p.name}>
                    <td>
                      <a href={routes.project(p.name)}>{p.name}</a>
                    </td>
                    <td class="num" data-field="releases">
                      {p.releases}
                    </td>
                    <td class="num" data-field="generations">
                      {p.generations}
                    </td>
                    <td data-field="newest">{time(p.newest)}</td>
                    <td>
                      <StatusBadge status={p.status} error={p.error} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}
    </Page>
  );
}
