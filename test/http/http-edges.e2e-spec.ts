import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { signedInUser } from '../support/factories.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('What never reaches a route: oversized headers and paths, slow clients', () => {
  let t: TestApp;
  let port: number;

  beforeAll(async () => {
    t = await startTestApp();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.getHttpServer().address() as AddressInfo).port;
  });
  afterAll(() => t.close());

  /** Sends `head` on a raw connection, then one more byte every `everyMs`; answers what came back and after how long the server closed it. */
  function trickle(head: string, everyMs: number, maxMs: number): Promise<{ received: string; closedAfterMs: number }> {
    return new Promise((resolve, reject) => {
      const started = Date.now();
      const socket = connect(port, '127.0.0.1', () => socket.write(head));
      let received = '';
      const timer = setInterval(() => socket.write('X'), everyMs);
      const giveUp = setTimeout(() => {
        clearInterval(timer);
        socket.destroy();
        reject(new Error(`the server still held the connection after ${maxMs} ms`));
      }, maxMs);
      socket.on('data', (chunk) => (received += chunk.toString()));
      socket.on('error', () => undefined);
      socket.on('close', () => {
        clearInterval(timer);
        clearTimeout(giveUp);
        resolve({ received, closedAfterMs: Date.now() - started });
      });
    });
  }

  it('closes a connection whose headers trickle in a byte at a time, answering 408 in the contract’s shape', async () => {
    const { received, closedAfterMs } = await trickle('GET /health HTTP/1.1\r\nHost: localhost\r\nX-Slow: ', 2_000, 30_000);
    expect(closedAfterMs).toBeLessThan(20_000);
    expect(received).toMatch(/^HTTP\/1\.1 408/);
    expect(JSON.parse(received.slice(received.indexOf('\r\n\r\n') + 4))).toEqual({ statusCode: 408, error: 'Request Timeout', message: expect.any(String), code: 'request_timeout' });
  }, 35_000);

  it('closes a connection that goes quiet halfway through a request', async () => {
    const { closedAfterMs } = await trickle('POST /auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"em', 60_000, 30_000);
    expect(closedAfterMs).toBeLessThan(20_000);
  }, 35_000);

  it('answers headers over 16 KiB with 431 headers_too_large', async () => {
    const response = await t.api().get('/health').set('X-Large', 'x'.repeat(20_000));
    expect(response.status).toBe(431);
    expect(response.body).toEqual({ statusCode: 431, error: 'Request Header Fields Too Large', message: expect.any(String), code: 'headers_too_large' });
  });

  it('answers an over-long path parameter with 414 uri_too_long', async () => {
    const { tokens } = await signedInUser(t);
    const response = await t.api().get(`/tenants/${'a'.repeat(300)}/users`).set('Authorization', `Bearer ${tokens.access_token}`);
    expect(response.status).toBe(414);
    expect(response.body).toEqual({ statusCode: 414, error: 'URI Too Long', message: expect.any(String), code: 'uri_too_long' });
  });

  it('answers a malformed URL with 400 bad_request', async () => {
    const response = await t.api().get('/tenants/%E0%A4%A/users');
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ statusCode: 400, code: 'bad_request' });
  });
});
