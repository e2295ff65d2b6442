import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { FastifyRequest } from 'fastify';
import { DomainError } from '../../common/errors/domain.error.js';
import { validationFailed } from '../../common/http/validation.js';
import type { VerifiedPassword } from '../credentials.service.js';
import { LoginDto } from '../dto/login.dto.js';
import { authenticateWith } from '../../access/authentication/authenticate-with.js';
import { LocalStrategy } from '../strategies/local.strategy.js';

/**
 * The password check of `POST /auth/login`, by this application's own passport-local strategy
 * (see `authenticateWith`). It validates the body first: guards run before pipes, and a
 * malformed login must be a 400, not a password check.
 */
@Injectable()
export class LocalAuthGuard implements CanActivate {
  constructor(private readonly strategy: LocalStrategy) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest & { user?: VerifiedPassword }>();
    await this.validateBody(request.body);
    request.user = await authenticateWith(this.strategy, request, (error, user) => {
      if (error) throw error instanceof Error ? error : new Error('passport failed without an Error', { cause: error });
      if (!user) throw new DomainError('invalid_credentials', 'Invalid email or password');
      return user as VerifiedPassword;
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
