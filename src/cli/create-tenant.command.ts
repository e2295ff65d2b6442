import type { INestApplicationContext } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate, type ValidationError } from 'class-validator';
import { CreateTenantDto } from '../tenants/dto/create-tenant.dto.js';
import { TenantAdministrationService } from '../tenants/tenant-administration.service.js';
import { CliError } from './cli-error.js';
import type { CommandResult } from './command-result.js';
import { operatorActor } from './operator-actor.js';

export interface CreateTenantOptions {
  slug: string;
  name: string;
  adminEmail: string;
  adminPassword: string;
}

/** A new tenant and its first admin, checked by the same rules as `POST /tenants`. */
export async function createTenant(context: INestApplicationContext, options: CreateTenantOptions): Promise<CommandResult> {
  const input = plainToInstance(CreateTenantDto, { slug: options.slug, name: options.name, admin: { email: options.adminEmail, password: options.adminPassword } });
  const errors = await validate(input, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) throw new CliError(`Invalid tenant: ${messagesOf(errors).join('; ')}`, { code: 'invalid_input' });
  const tenant = await context.get(TenantAdministrationService).create(input, operatorActor());
  return {
    text: `Created tenant ${tenant.slug} (${tenant.id}) with admin ${input.admin.email}`,
    json: { tenant: { id: tenant.id, slug: tenant.slug, name: tenant.name }, admin: { email: input.admin.email } },
  };
}

function messagesOf(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((error) => [
    ...Object.values(error.constraints ?? {}).map((message) => (prefix ? `${prefix}.${message}` : message)),
    ...messagesOf(error.children ?? [], prefix ? `${prefix}.${error.property}` : error.property),
  ]);
}
