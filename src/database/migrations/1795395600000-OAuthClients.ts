import type { MigrationInterface, QueryRunner } from 'typeorm';

export class OAuthClients1795395600000 implements MigrationInterface {
  name = 'OAuthClients1795395600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // RFC 6749 §2.1: a confidential client holds a secret; a public one (a single-page or native app) cannot.
    await queryRunner.query(`ALTER TABLE api_clients ADD COLUMN type varchar(16) NOT NULL DEFAULT 'confidential'`);
    await queryRunner.query(`ALTER TABLE api_clients ALTER COLUMN secret_hash DROP NOT NULL`);
    await queryRunner.query(
      `ALTER TABLE api_clients ADD CONSTRAINT api_clients_type_secret CHECK ((type = 'confidential' AND secret_hash IS NOT NULL) OR (type = 'public' AND secret_hash IS NULL))`,
    );
    // The client a session's refresh tokens were issued to (RFC 6749 §6); 'portcullis' for the service's own sign-ins.
    await queryRunner.query(`ALTER TABLE sessions ADD COLUMN client_id varchar(64) NOT NULL DEFAULT 'portcullis'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE sessions DROP COLUMN client_id`);
    await queryRunner.query(`DELETE FROM api_clients WHERE type = 'public'`);
    await queryRunner.query(`ALTER TABLE api_clients DROP CONSTRAINT api_clients_type_secret`);
    await queryRunner.query(`ALTER TABLE api_clients ALTER COLUMN secret_hash SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE api_clients DROP COLUMN type`);
  }
}
