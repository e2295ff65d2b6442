import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AuditEvents1795391000000 implements MigrationInterface {
  name = 'AuditEvents1795391000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // No foreign keys: the record of a deleted user, client or tenant outlives it.
    await queryRunner.query(`
      CREATE TABLE audit_events (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        tenant_id uuid,
        type varchar(40) NOT NULL,
        actor_id varchar(200),
        subject_id varchar(200),
        ip varchar(64),
        user_agent varchar(512),
        at timestamptz NOT NULL DEFAULT now(),
        data jsonb NOT NULL DEFAULT '{}'::jsonb
      )`);
    // A tenant's newest-first page, filtered or not, walks one of these backwards from its start;
    // the superadmin's view and the retention cleanup use the last.
    await queryRunner.query(`CREATE INDEX audit_events_tenant_at_idx ON audit_events (tenant_id, at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX audit_events_tenant_type_at_idx ON audit_events (tenant_id, type, at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX audit_events_subject_at_idx ON audit_events (subject_id, at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX audit_events_actor_at_idx ON audit_events (actor_id, at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX audit_events_at_idx ON audit_events (at DESC, id DESC)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE audit_events`);
  }
}
