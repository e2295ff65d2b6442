import type { MigrationInterface, QueryRunner } from 'typeorm';

export class UserChangeNotifications1795395000000 implements MigrationInterface {
  name = 'UserChangeNotifications1795395000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Every change to a user, whoever makes it (the service, an operator's SQL), tells every
    // instance at commit, so that none serves a cached copy of the old row.
    await queryRunner.query(`
      CREATE FUNCTION portcullis_user_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('portcullis_users', OLD.id::text);
        RETURN NULL;
      END
      $$`);
    await queryRunner.query(`CREATE TRIGGER users_changed AFTER UPDATE OR DELETE ON users FOR EACH ROW EXECUTE FUNCTION portcullis_user_changed()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TRIGGER users_changed ON users');
    await queryRunner.query('DROP FUNCTION portcullis_user_changed()');
  }
}
