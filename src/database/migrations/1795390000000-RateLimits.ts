import type { MigrationInterface, QueryRunner } from 'typeorm';

export class RateLimits1795390000000 implements MigrationInterface {
  name = 'RateLimits1795390000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // One fixed-window counter per throttler key, shared by every instance. UNLOGGED: a counter
    // written on every credential request is not worth WAL; after a crash the windows restart.
    await queryRunner.query(`
      CREATE UNLOGGED TABLE rate_limits (
        key varchar(200) PRIMARY KEY,
        hits integer NOT NULL,
        expires_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX rate_limits_expires_idx ON rate_limits (expires_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE rate_limits`);
  }
}
