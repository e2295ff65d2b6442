import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { PassportStrategy } from '@nestjs/passport';
import type { Jwt } from 'jsonwebtoken';
import { Strategy } from 'passport-jwt';
import type { Principal } from '../access/principal.js';
import type { AppConfig } from '../config/app-config.js';
import { accessTokenVerifyOptions } from './access-token-format.js';
import { AccessTokenVerifier } from './access-token-verifier.service.js';

/** What passport is handed instead of the request: the access token, read once by the resolver that found it. */
export interface PresentedAccessToken {
  accessToken: string;
}

/**
 * passport-jwt over an access token a credential resolver has read (from the `Authorization`
 * header today): the verification behind `JwtAuthGuard`. The key comes from the header's `kid`
 * (refused, before any signature work, when unknown or of another algorithm); `jsonwebtoken`
 * checks the signature with the pinned algorithm, `iss`, `aud` and the time claims; `validate`
 * adds the checks it does not make and yields the caller.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    config: ConfigService<AppConfig, true>,
    private readonly verifier: AccessTokenVerifier,
  ) {
    const { algorithms, issuer, audience, ...jsonWebTokenOptions } = accessTokenVerifyOptions(config.get('jwt', { infer: true }));
    super({
      jwtFromRequest: (presented: PresentedAccessToken) => presented.accessToken,
      secretOrKeyProvider: (_request: unknown, token: string, done: (error: unknown, key?: string | Buffer) => void) => {
        let key;
        try {
          key = verifier.keyFor(token);
        } catch (error) {
          done(error);
          return;
        }
        // jsonwebtoken takes a KeyObject, though passport-jwt's types name only strings and buffers.
        done(null, key as unknown as Buffer);
      },
      algorithms,
      issuer,
      audience,
      jsonWebTokenOptions,
    });
  }

  validate(decoded: Jwt): Principal {
    return this.verifier.principalOf(decoded);
  }
}
