import type { MigrationInterface, QueryRunner } from 'typeorm';

export class LoginAttemptsPerClient1795399000000 implements MigrationInterface {
  name = 'LoginAttemptsPerClient1795399000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // One row per account and client address, plus the account's row for all clients together
    // ('*'). The counts kept so far were of all clients together: they become those rows. Their
    // locks are lifted: under the new rule a lock belongs to the client that earned it, and which
    // client that was is not known.
    await queryRunner.query(`ALTER TABLE login_attempts ADD COLUMN client text NOT NULL DEFAULT '*'`);
    await queryRunner.query(`ALTER TABLE login_attempts ALTER COLUMN client DROP DEFAULT`);
    await queryRunner.query(`ALTER TABLE login_attempts ADD COLUMN signed_in_at timestamptz`);
    await queryRunner.query(`UPDATE login_attempts SET locked_until = NULL`);
    await queryRunner.query(`ALTER TABLE login_attempts DROP CONSTRAINT login_attempts_pkey`);
    await queryRunner.query(`ALTER TABLE login_attempts ADD PRIMARY KEY (tenant_key, email, client)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM login_attempts WHERE client <> '*'`);
    await queryRunner.query(`ALTER TABLE login_attempts DROP CONSTRAINT login_attempts_pkey`);
    await queryRunner.query(`ALTER TABLE login_attempts ADD PRIMARY KEY (tenant_key, email)`);
    await queryRunner.query(`ALTER TABLE login_attempts DROP COLUMN signed_in_at`);
    await queryRunner.query(`ALTER TABLE login_attempts DROP COLUMN client`);
  }
}
