import { randomBytes } from 'node:crypto';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditTrail } from '../audit/audit-trail.service.js';
import type { AppConfig } from '../config/app-config.js';
import { ADVISORY_LOCK, lockForTransaction } from '../database/advisory-locks.js';
import { DatabaseStartup } from '../database/database-startup.js';
import { Tenant } from '../tenants/tenant.entity.js';
import { DEFAULT_TENANT_SLUG } from '../tenants/tenant-slug.js';
import { emailAsTyped, emailKey } from '../common/accounts/email.js';
import { PasswordHasher } from './password-hasher.service.js';
import { User } from './user.entity.js';
import { UnitOfWork } from '../database/unit-of-work.js';

const GENERATED_ADMIN_EMAIL = 'admin@portcullis.local';

/**
 * On the first start (no superadmin yet), creates one in the default tenant from
 * BOOTSTRAP_ADMIN_EMAIL/PASSWORD, or with a generated password logged this once.
 */
@Injectable()
export class BootstrapAdminService implements OnApplicationBootstrap {
  private readonly logger = new Logger(BootstrapAdminService.name);

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly config: ConfigService<AppConfig, true>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly hasher: PasswordHasher,
    private readonly audit: AuditTrail,
    private readonly startup: DatabaseStartup,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const configured = this.config.get('bootstrapAdmin', { infer: true });
    const email = emailAsTyped(configured.email ?? GENERATED_ADMIN_EMAIL);
    const password = configured.password ?? randomBytes(18).toString('base64url');
    const created = await this.startup.retry('creating the bootstrap superadmin', () => this.createUnlessOneExists(email, password));
    if (created === 'email_taken') {
      this.logger.error(
        `No superadmin exists, and ${email} (the bootstrap superadmin's email) belongs to an existing account of the default tenant, which is not promoted. ` +
          'Set BOOTSTRAP_ADMIN_EMAIL to an unused address and restart to create a superadmin.',
      );
      return;
    }
    if (!created) return;
    if (configured.password) {
      this.logger.log(`Created the superadmin ${email} from BOOTSTRAP_ADMIN_EMAIL`);
    } else {
      // The contract asks for this one-time print; the password is never logged again.
      this.logger.warn(`Created the superadmin ${email} with the generated password ${password} (shown once: sign in and change it)`);
    }
  }

  /** In one transaction under the advisory lock: whether it created one, found one, or found the email taken. */
  private createUnlessOneExists(email: string, password: string): Promise<boolean | 'email_taken'> {
    return this.unitOfWork.run(async (transaction) => {
      const { manager } = transaction;
      await lockForTransaction(manager, ADVISORY_LOCK.bootstrapAdmin);
      const users = manager.getRepository(User);
      if (await users.createQueryBuilder('user').where(`'superadmin' = ANY(user.roles)`).getExists()) return false;
      const tenant = await manager.getRepository(Tenant).findOneByOrFail({ slug: DEFAULT_TENANT_SLUG });
      // Anyone may have registered this email in `default` since: never promote that account.
      if (await users.existsBy({ tenantId: tenant.id, emailKey: emailKey(email) })) return 'email_taken';
      const { identifiers } = await users.insert({
        tenantId: tenant.id,
        email,
        emailKey: emailKey(email),
        name: 'Superadmin',
        passwordHash: await this.hasher.hash(password),
        roles: ['superadmin'],
      });
      const id = (identifiers[0] as { id: string }).id;
      await this.audit.record(transaction, { type: 'user.created', tenantId: tenant.id, actorId: null, subjectId: id, data: { email, roles: ['superadmin'], bootstrap: true } });
      return true;
    });
  }
}
