import type { MigrationInterface, QueryRunner } from 'typeorm';

export class SecurityStamps1795395500000 implements MigrationInterface {
  name = 'SecurityStamps1795395500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Advanced by every change that ends a user's sessions; a sign-in compares it, under the
    // row's lock, with what it read before checking the password.
    await queryRunner.query(`ALTER TABLE users ADD COLUMN security_stamp integer NOT NULL DEFAULT 0`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE users DROP COLUMN security_stamp`);
  }
}
