import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Role } from '../access/roles-and-scopes.js';

@Entity({ name: 'users' })
export class User {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'tenant_id', type: 'uuid' })
  tenantId!: string;

  /** As the person typed it (trimmed, NFC): the only form shown or mailed. */
  @Column({ type: 'varchar', length: 320 })
  email!: string;

  /**
   * The email's canonical key (`emailKey`), unique within the tenant: what a sign-in looks the
   * account up by. `null` only for an account that a migration found sharing its key with an
   * older one (left for an operator to resolve).
   */
  @Column({ name: 'email_key', type: 'text', nullable: true })
  emailKey!: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  name!: string | null;

  @Column({ name: 'password_hash', type: 'varchar', length: 100, select: false })
  passwordHash!: string;

  @Column({ type: 'text', array: true })
  roles!: Role[];

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'last_login_at', type: 'timestamptz', nullable: true })
  lastLoginAt!: Date | null;

  @Column({ name: 'password_changed_at', type: 'timestamptz', nullable: true })
  passwordChangedAt!: Date | null;

  /** Advanced by every change that ends the user's sessions (`UsersService.endSignInsInFlight`). */
  @Column({ name: 'security_stamp', type: 'integer', default: 0 })
  securityStamp!: number;
}
