// The benchmark's baseline: a bare `node:http` server that does what a hand-rolled service would
// for `GET /users/me` — verify the bearer token with the fastest verifier there is (fast-jwt, with
// its cache of verified tokens) and answer a fixed JSON body — and nothing else. Started by
// bench.mjs in its own process. Settings come from the environment:
//   PORT             where to listen (127.0.0.1)
//   BASELINE_CONFIG  a JSON file: { jwksUrl, algorithm, secret?, issuer, audience, meBody, jwksBody, guardOnlyPath }
// Answers:
//   GET /health                         200 {"status":"ok"}
//   GET /users/me                       the service's own answer, copied (token with scope `profile`)
//   GET <guardOnlyPath>                 the verified claims (any valid token)
//   GET /.well-known/jwks.json          the service's JWKS, copied (public)
//   anything else                       404; a missing or refused token 401
import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createDecoder, createVerifier } from 'fast-jwt';

const config = JSON.parse(readFileSync(process.env.BASELINE_CONFIG, 'utf8'));

const verifierOptions = {
  algorithms: [config.algorithm],
  allowedIss: config.issuer,
  allowedAud: config.audience,
  checkTyp: 'at+jwt',
  clockTolerance: 30,
  requiredClaims: ['sub', 'exp', 'iat', 'jti'],
  // fast-jwt's LRU of verified tokens: a token seen before costs a hash and a lookup, no signature check.
  cache: 10_000,
};

/** One verifier per key; with a single key (the usual case) no header is decoded before the cache lookup. */
async function loadVerifiers() {
  if (config.algorithm === 'HS256') return { only: createVerifier({ ...verifierOptions, key: config.secret }) };
  const response = await fetch(config.jwksUrl);
  if (!response.ok) throw new Error(`${config.jwksUrl} answered ${response.status}`);
  const { keys } = await response.json();
  const byKid = new Map(
    keys.map((jwk) => [jwk.kid, createVerifier({ ...verifierOptions, key: createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'pem' }).toString() })]),
  );
  if (byKid.size === 0) throw new Error('the JWKS has no keys');
  return byKid.size === 1 ? { only: [...byKid.values()][0] } : { byKid };
}

const verifiers = await loadVerifiers();
const decodeHeader = createDecoder({ complete: true });

function verify(token) {
  if (verifiers.only) return verifiers.only(token);
  const verifier = verifiers.byKid.get(decodeHeader(token).header.kid);
  if (!verifier) throw new Error('unknown kid');
  return verifier(token);
}

const meBody = Buffer.from(config.meBody);
const jwksBody = Buffer.from(config.jwksBody);
const okBody = Buffer.from('{"status":"ok"}');
const unauthorizedBody = Buffer.from('{"error":"unauthorized"}');
const notFoundBody = Buffer.from('{"error":"not_found"}');

function send(response, status, body) {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
  response.end(body);
}

/** The verified claims of the request's bearer token, or undefined (and a 401 sent). */
function authenticate(request, response) {
  const authorization = request.headers.authorization;
  if (typeof authorization === 'string' && authorization.startsWith('Bearer ')) {
    try {
      return verify(authorization.slice(7));
    } catch {
      // refused: answered below
    }
  }
  send(response, 401, unauthorizedBody);
  return undefined;
}

const server = createServer((request, response) => {
  const path = request.url;
  if (request.method === 'GET' && path === '/users/me') {
    const claims = authenticate(request, response);
    if (!claims) return;
    if (typeof claims.scope !== 'string' || !` ${claims.scope} `.includes(' profile ')) return send(response, 403, unauthorizedBody);
    return send(response, 200, meBody);
  }
  if (request.method === 'GET' && path === config.guardOnlyPath) {
    const claims = authenticate(request, response);
    if (!claims) return;
    return send(response, 200, Buffer.from(JSON.stringify(claims)));
  }
  if (request.method === 'GET' && path === '/.well-known/jwks.json') return send(response, 200, jwksBody);
  if (request.method === 'GET' && path === '/health') return send(response, 200, okBody);
  return send(response, 404, notFoundBody);
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT), '127.0.0.1');

const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
