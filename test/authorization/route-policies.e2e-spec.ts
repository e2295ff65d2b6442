import { describePolicy, routeTable } from '../support/route-table.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('Who may reach each route', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('matches the committed snapshot (a change here changes who can reach an endpoint)', () => {
    expect(routeTable(t.app).map(describePolicy)).toMatchSnapshot();
  });

  it('has every protected route state its scopes explicitly (deny by default is the fallback, not the plan)', () => {
    const implicit = routeTable(t.app).filter((route) => !route.public && route.scopes === undefined);
    expect(implicit.map(describePolicy)).toEqual([]);
  });

  it('has every route with a `:tenantId` parameter name it as its tenant, and name no parameter it does not have', () => {
    const pathParameters = (path: string) => [...path.matchAll(/:(\w+)/g)].map((match) => match[1]);
    const mistakes = routeTable(t.app).flatMap((route) => {
      const named = route.facts.tenantParameter;
      const parameters = pathParameters(route.path);
      if (parameters.includes('tenantId') && named !== 'tenantId') return [`${route.method} ${route.path} names ${named ?? 'no'} tenant parameter`];
      if (named !== undefined && !parameters.includes(named)) return [`${route.method} ${route.path} names ${named}, which it does not have`];
      return [];
    });
    expect(mistakes).toEqual([]);
  });

  it('documents every route in the OpenAPI document, marking exactly the protected ones as secured', async () => {
    const { body } = await t.api().get('/docs-json').expect(200);
    const documented = new Map<string, { security?: unknown[] }>();
    for (const [path, operations] of Object.entries(body.paths as Record<string, Record<string, { security?: unknown[] }>>)) {
      for (const [method, operation] of Object.entries(operations)) documented.set(`${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`, operation);
    }
    const routes = routeTable(t.app).filter((route) => !['/docs', '/docs-json'].includes(route.path));
    expect([...documented.keys()].sort()).toEqual(routes.map((route) => `${route.method} ${route.path}`).sort());
    for (const route of routes) {
      const secured = (documented.get(`${route.method} ${route.path}`)?.security?.length ?? 0) > 0;
      expect({ route: `${route.method} ${route.path}`, secured }).toEqual({ route: `${route.method} ${route.path}`, secured: !route.public });
    }
  });
});
