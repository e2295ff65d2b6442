import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { Strategy } from 'passport-local';
import { requestContextOf } from '../../common/http/request-context.js';
import { CredentialsService, type VerifiedPassword } from '../credentials.service.js';
import type { LoginDto } from '../dto/login.dto.js';

/** passport-local over `{ tenant?, email, password }`: the password check of `POST /auth/login`. */
@Injectable()
export class LocalStrategy extends PassportStrategy(Strategy, 'local') {
  constructor(private readonly credentials: CredentialsService) {
    super({ usernameField: 'email', passwordField: 'password', passReqToCallback: true, session: false });
  }

  validate(request: FastifyRequest, email: string, password: string): Promise<VerifiedPassword> {
    return this.credentials.verify((request.body as LoginDto).tenant, email, password, requestContextOf(request));
  }
}
