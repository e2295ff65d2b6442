import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsIn, IsString, IsUUID } from 'class-validator';
import { PageQueryDto } from '../../common/dto/page-query.dto.js';
import { AUDIT_EVENT_TYPES, type AuditEventType } from '../audit-event-type.js';
import { Optional } from '../../common/dto/optional.decorator.js';
import { Chars } from '../../common/dto/chars.decorator.js';

/** The filters of a tenant's audit log. */
export class AuditEventQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: AUDIT_EVENT_TYPES })
  @Optional()
  @IsIn(AUDIT_EVENT_TYPES)
  type?: AuditEventType;

  @ApiPropertyOptional({ description: 'A user id or `client:<clientId>`' })
  @Optional()
  @IsString()
  @Chars(0, 200)
  actorId?: string;

  @ApiPropertyOptional({ description: 'A user, client or tenant id, or a key id' })
  @Optional()
  @IsString()
  @Chars(0, 200)
  subjectId?: string;

  // Whatever Date cannot read is a 400, not an Invalid Date handed to the database.
  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'Events at or after this instant' })
  @Optional()
  @Type(() => Date)
  @IsDate()
  since?: Date;

  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'Events before this instant' })
  @Optional()
  @Type(() => Date)
  @IsDate()
  until?: Date;
}

/** The superadmin's audit log: every tenant's, or one. */
export class PlatformAuditEventQueryDto extends AuditEventQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @Optional()
  @IsUUID()
  tenantId?: string;
}
