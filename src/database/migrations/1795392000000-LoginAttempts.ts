import type { MigrationInterface, QueryRunner } from 'typeorm';

export class LoginAttempts1795392000000 implements MigrationInterface {
  name = 'LoginAttempts1795392000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE login_attempts (
        tenant_key text NOT NULL,
        email text NOT NULL,
        failures int NOT NULL DEFAULT 0,
        pending int NOT NULL DEFAULT 0,
        window_started_at timestamptz NOT NULL DEFAULT now(),
        locked_until timestamptz,
        PRIMARY KEY (tenant_key, email)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE login_attempts`);
  }
}
