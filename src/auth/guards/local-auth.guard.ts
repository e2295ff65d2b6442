import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import passport from 'passport';
import { DomainError } from '../../common/errors/domain.error.js';
import { validationFailed } from '../../common/http/validation.js';
import type { User } from '../../users/user.entity.js';
import { LoginDto } from '../dto/login.dto.js';
import { LocalStrategy } from '../strategies/local.strategy.js';

/**
 * The password check of `POST /auth/login`, by passport-local. It runs this application's own
 * strategy instance rather than one looked up by name in passport's process-wide registry
 * (where the last application created in a process would win), one fresh object per request
 * as passport does for named strategies. It validates the body first: guards run before
 * pipes, and a malformed login must be a 400, not a password check.
 */
@Injectable()
export class LocalAuthGuard implements CanActivate {
  constructor(private readonly strategy: LocalStrategy) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest & { user?: User }>();
    await this.validateBody(request.body);
    request.user = await new Promise<User>((resolve, reject) => {
      const perRequest = Object.create(this.strategy) as LocalStrategy;
      const authenticate = passport.authenticate(perRequest, { session: false }, (error: unknown, user: User | false) => {
        if (error) reject(error instanceof Error ? error : new Error('passport failed without an Error'));
        else if (!user) reject(new DomainError('invalid_credentials', 'Invalid email or password'));
        else resolve(user);
      }) as (request: unknown, reply: unknown, next: (error?: unknown) => void) => void;
      authenticate(request, http.getResponse<FastifyReply>(), (error) =>
        reject(error instanceof Error ? error : new Error('passport ended without a result')),
      );
    });
    return true;
  }

  private async validateBody(body: unknown): Promise<void> {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new DomainError('validation_failed', 'Validation failed', { messages: ['body must be a JSON object'] });
    }
    const errors = await validate(plainToInstance(LoginDto, body), { whitelist: true, forbidNonWhitelisted: true });
    if (errors.length > 0) throw validationFailed(errors);
  }
}
