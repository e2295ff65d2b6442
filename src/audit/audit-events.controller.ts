import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../access/actor.js';
import { Auth } from '../access/decorators/authorization.decorators.js';
import { CurrentActor } from '../access/decorators/current-actor.decorator.js';
import { uuidOr404 } from '../common/http/uuid-or-404.pipe.js';
import { AuditEventsService, type AuditEventFilter } from './audit-events.service.js';
import { AuditEventDto, AuditEventPageDto } from './dto/audit-event.dto.js';
import { AuditEventQueryDto, PlatformAuditEventQueryDto } from './dto/audit-event-query.dto.js';

function filterOf(query: AuditEventQueryDto): AuditEventFilter {
  return {
    type: query.type,
    actorId: query.actorId,
    subjectId: query.subjectId,
    since: query.since,
    until: query.until,
  };
}

@ApiTags('audit')
@Controller()
export class AuditEventsController {
  constructor(private readonly events: AuditEventsService) {}

  @Get('tenants/:tenantId/audit-events')
  @Auth({ roles: ['admin'], scopes: ['audit:read'], tenantParameter: 'tenantId', apiClients: 'by-scopes' })
  @ApiOperation({
    summary: 'The tenant’s audit log, newest first',
    description: 'The address and user agent of a platform operator’s events (a superadmin’s, the CLI’s) are `null`, unless the caller is a superadmin.',
  })
  @ApiOkResponse({ type: AuditEventPageDto })
  async listForTenant(
    @Param('tenantId', uuidOr404('Tenant')) tenantId: string,
    @Query() query: AuditEventQueryDto,
    @CurrentActor() actor: Actor,
  ): Promise<AuditEventPageDto> {
    const [events, total] = await this.events.search({ ...filterOf(query), tenantId }, query.limit, query.offset);
    return { items: events.map((event) => AuditEventDto.from(event, { platform: actor.isSuperadmin })), total };
  }

  // API clients are judged by scopes here too: none may hold `tenants:read`, so one is refused
  // `insufficient_scope` (what the contract's tests expect), as on the platform's other routes.
  @Get('audit-events')
  @Auth({ roles: ['superadmin'], scopes: ['tenants:read'], apiClients: 'by-scopes' })
  @ApiOperation({ summary: 'Every tenant’s audit log and the platform’s own events (`tenantId: null`), newest first' })
  @ApiOkResponse({ type: AuditEventPageDto })
  async listAll(@Query() query: PlatformAuditEventQueryDto): Promise<AuditEventPageDto> {
    const [events, total] = await this.events.search({ ...filterOf(query), tenantId: query.tenantId }, query.limit, query.offset);
    return { items: events.map((event) => AuditEventDto.from(event, { platform: true })), total };
  }
}
