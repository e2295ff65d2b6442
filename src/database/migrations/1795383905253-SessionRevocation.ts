import type { MigrationInterface, QueryRunner } from 'typeorm';

export class SessionRevocation1795383905253 implements MigrationInterface {
  name = 'SessionRevocation1795383905253';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE sessions ADD COLUMN revoked_reason varchar(32)`);
    // The successor's secret, sealed with a key only the holder of this token can derive;
    // kept for the reuse grace window only.
    await queryRunner.query(`ALTER TABLE refresh_tokens ADD COLUMN replacement_sealed bytea`);
    await queryRunner.query(`CREATE INDEX refresh_tokens_rotated_idx ON refresh_tokens (rotated_at) WHERE replacement_sealed IS NOT NULL`);
    await queryRunner.query(`
      CREATE TABLE revocations (
        kind varchar(16) NOT NULL,
        key varchar(200) NOT NULL,
        not_before timestamptz,
        expires_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (kind, key)
      )`);
    await queryRunner.query(`CREATE INDEX revocations_expires_idx ON revocations (expires_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE revocations`);
    await queryRunner.query(`DROP INDEX refresh_tokens_rotated_idx`);
    await queryRunner.query(`ALTER TABLE refresh_tokens DROP COLUMN replacement_sealed`);
    await queryRunner.query(`ALTER TABLE sessions DROP COLUMN revoked_reason`);
  }
}
