import { Controller, Delete, Get, HttpCode, Param, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth } from '../access/decorators/authorization.decorators.js';
import { CurrentPrincipal } from '../access/decorators/current-principal.decorator.js';
import { Origin } from '../common/decorators/origin.decorator.js';
import { PageQueryDto } from '../common/dto/page-query.dto.js';
import { DomainError } from '../common/errors/domain.error.js';
import type { Principal } from '../access/principal.js';
import type { RequestContext } from '../common/http/request-context.js';
import { uuidOr404 } from '../common/http/uuid-or-404.pipe.js';
import { SessionDto, SessionPageDto } from './dto/session.dto.js';
import { SessionsService } from './sessions.service.js';

const notFound = (): DomainError => new DomainError('not_found', 'Session not found');

@ApiTags('sessions')
@Auth({ scopes: ['profile'] })
@Controller('users/me/sessions')
export class SessionsController {
  constructor(private readonly sessions: SessionsService) {}

  @Get()
  @ApiOperation({ summary: 'The signed-in user’s open sessions' })
  @ApiOkResponse({ type: SessionPageDto })
  async list(@CurrentPrincipal() principal: Principal, @Query() page: PageQueryDto): Promise<SessionPageDto> {
    if (principal.kind !== 'user') return { items: [], total: 0 };
    const [sessions, total] = await this.sessions.listActive(principal.userId, page.limit, page.offset);
    return { items: sessions.map((session) => SessionDto.from(session, principal.sessionId)), total };
  }

  @Delete(':sessionId')
  @HttpCode(204)
  @ApiOperation({ summary: 'End one of the signed-in user’s sessions; its tokens stop working at once' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ description: 'No open session with this id belongs to the caller' })
  async remove(
    @CurrentPrincipal() principal: Principal,
    @Param('sessionId', uuidOr404('Session')) sessionId: string,
    @Origin() origin: RequestContext,
  ): Promise<void> {
    if (principal.kind !== 'user') throw notFound();
    const revoked = await this.sessions.revoke({ userId: principal.userId, sessionId }, 'session_deleted', {
      type: 'session.revoked',
      tenantId: principal.tenantId,
      actorId: principal.subject,
      origin,
    });
    if (revoked === 0) throw notFound();
  }
}
