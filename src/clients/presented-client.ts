import { DomainError } from '../common/errors/domain.error.js';

/**
 * What a request presents of an OAuth client (RFC 6749 §2.3): an id and a secret, by HTTP Basic
 * (`client_secret_basic`) or in the body (`client_secret_post`), or an id alone (a public client
 * naming itself).
 */
export interface PresentedClient {
  clientId: string;
  clientSecret?: string;
  viaBasic: boolean;
}

function decodeFormComponent(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    throw new DomainError('invalid_client', 'Malformed client credentials');
  }
}

/**
 * The client a request presents, or `undefined` when it names none (a bearer token in the header
 * is not a client's). HTTP Basic carries form-encoded id and secret (RFC 6749 §2.3.1). Using both
 * Basic and the body is an invalid request, as is a secret without an id.
 */
export function presentedClientOf(authorization: string | undefined, body: { client_id?: string; client_secret?: string } | undefined): PresentedClient | undefined {
  const basic = authorization === undefined ? null : /^Basic +([A-Za-z0-9+/=]+)\s*$/i.exec(authorization);
  if (basic) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw new DomainError('invalid_client', 'Malformed client credentials');
    const clientId = decodeFormComponent(decoded.slice(0, colon));
    const clientSecret = decodeFormComponent(decoded.slice(colon + 1));
    // Swagger UI's password flow sends `Basic :` (both empty) when no client is filled in: no client.
    if (clientId === '' && clientSecret === '') return presentedClientOf(undefined, body);
    // Some clients repeat their id in the body; anything more is two authentications at once.
    if (body?.client_secret !== undefined || (body?.client_id !== undefined && body.client_id !== clientId)) {
      throw new DomainError('invalid_request', 'Send client credentials by HTTP Basic or in the body, not both');
    }
    return { clientId, clientSecret, viaBasic: true };
  }
  // An empty parameter is an omitted one (RFC 6749 §3.1).
  if (body?.client_id === undefined || body.client_id === '') {
    if (body?.client_secret !== undefined && body.client_secret !== '') throw new DomainError('invalid_request', 'client_secret needs client_id');
    return undefined;
  }
  return { clientId: body.client_id, ...(body.client_secret !== undefined && body.client_secret !== '' ? { clientSecret: body.client_secret } : {}), viaBasic: false };
}
