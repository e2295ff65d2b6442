import type { MigrationInterface, QueryRunner } from 'typeorm';

export class SigningKeyChangeNotifications1795397000000 implements MigrationInterface {
  name = 'SigningKeyChangeNotifications1795397000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Every change to the signing keys, whoever makes it (the service, an operator's SQL), tells
    // every instance at commit: a deleted key must stop verifying everywhere, not only where it
    // was deleted. An update that swaps a key's kid or material withdraws the old one.
    await queryRunner.query(`
      CREATE FUNCTION portcullis_signing_key_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'TRUNCATE' THEN
          PERFORM pg_notify('portcullis_signing_keys', 'TRUNCATE');
        ELSIF TG_OP = 'DELETE' THEN
          PERFORM pg_notify('portcullis_signing_keys', 'DELETE ' || OLD.kid);
        ELSE
          IF TG_OP = 'UPDATE' AND (OLD.kid, OLD.algorithm, OLD.private_key_pem) IS DISTINCT FROM (NEW.kid, NEW.algorithm, NEW.private_key_pem) THEN
            PERFORM pg_notify('portcullis_signing_keys', 'DELETE ' || OLD.kid);
          END IF;
          PERFORM pg_notify('portcullis_signing_keys', TG_OP || ' ' || NEW.kid);
        END IF;
        RETURN NULL;
      END
      $$`);
    await queryRunner.query(
      `CREATE TRIGGER signing_keys_changed AFTER INSERT OR UPDATE OR DELETE ON signing_keys FOR EACH ROW EXECUTE FUNCTION portcullis_signing_key_changed()`,
    );
    await queryRunner.query(`CREATE TRIGGER signing_keys_truncated AFTER TRUNCATE ON signing_keys FOR EACH STATEMENT EXECUTE FUNCTION portcullis_signing_key_changed()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TRIGGER signing_keys_truncated ON signing_keys');
    await queryRunner.query('DROP TRIGGER signing_keys_changed ON signing_keys');
    await queryRunner.query('DROP FUNCTION portcullis_signing_key_changed()');
  }
}
