import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AccessTokenLifetime1795393000000 implements MigrationInterface {
  name = 'AccessTokenLifetime1795393000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // One row: the longest ACCESS_TOKEN_TTL any instance has issued tokens with.
    await queryRunner.query(`
      CREATE TABLE access_token_lifetime (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        longest_ttl_seconds integer NOT NULL
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE access_token_lifetime`);
  }
}
