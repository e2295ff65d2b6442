import type { MigrationInterface, QueryRunner } from 'typeorm';

export class LoginAttempts1795392000000 implements MigrationInterface {
  name = 'LoginAttempts1795392000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE login_attempts (
        tenant_key text NOT NULL,
        email text NOT NULL,
        failed_at timestamptz[] NOT NULL DEFAULT '{}',
        reserved_at timestamptz[] NOT NULL DEFAULT '{}',
        locked_until timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_key, email)
      )`);
    await queryRunner.query(`CREATE INDEX login_attempts_updated_idx ON login_attempts (updated_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE login_attempts`);
  }
}
