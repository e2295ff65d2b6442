import { readFile } from 'node:fs/promises';
import { generateOpenApiDocument, OPENAPI_FILE, serializeOpenApiDocument } from '../../src/cli/openapi-document.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('The committed openapi.json', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('is what `npm run openapi` generates now (if not, run it and commit the result)', async () => {
    const committed = await readFile(OPENAPI_FILE, 'utf8');
    expect(committed).toBe(serializeOpenApiDocument(await generateOpenApiDocument()));
  });

  it('is the document the running service serves at /docs-json', async () => {
    const { body } = await t.api().get('/docs-json').expect(200);
    expect(await generateOpenApiDocument()).toEqual(body);
  });

  it('depends on nothing of the machine it was generated on', async () => {
    const text = serializeOpenApiDocument(await generateOpenApiDocument());
    expect(text).not.toMatch(/localhost|127\.0\.0\.1|portcullis\.test|:\d{4,5}\b/);
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
    expect((JSON.parse(text) as { servers?: unknown[] }).servers ?? []).toEqual([]);
  });
});
