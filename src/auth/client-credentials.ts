import { DomainError } from '../common/errors/domain.error.js';

export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
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
 * The client's credentials, by HTTP Basic (RFC 6749 §2.3.1: form-encoded id and secret) or in
 * the body. Using both is an invalid request; using neither fails client authentication.
 */
export function clientCredentialsOf(
  authorization: string | undefined,
  body: { client_id?: string; client_secret?: string },
): ClientCredentials {
  const basic = authorization === undefined ? null : /^Basic +([A-Za-z0-9+/=]+)\s*$/i.exec(authorization);
  const inBody = body.client_id !== undefined || body.client_secret !== undefined;
  if (basic && inBody) throw new DomainError('invalid_request', 'Send client credentials by HTTP Basic or in the body, not both');
  if (basic) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw new DomainError('invalid_client', 'Malformed client credentials');
    return {
      clientId: decodeFormComponent(decoded.slice(0, colon)),
      clientSecret: decodeFormComponent(decoded.slice(colon + 1)),
      viaBasic: true,
    };
  }
  if (body.client_id !== undefined && body.client_secret !== undefined) {
    return { clientId: body.client_id, clientSecret: body.client_secret, viaBasic: false };
  }
  throw new DomainError('invalid_client', 'Client authentication failed');
}
