import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AuditPlatformOperatorOrigin1795398000000 implements MigrationInterface {
  name = 'AuditPlatformOperatorOrigin1795398000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Whether an event's address and user agent are a platform operator's (a tenant's view hides
    // them): decided as the event is written, from who the actor is at that moment, so that a
    // later change of roles neither reveals nor hides it. A trigger decides it for every writer
    // (AuditTrail's inserts, its one-statement INSERT … SELECT, an operator's SQL): none can
    // forget. The actor is a platform operator when it is the CLI (`cli:<name>`) or a superadmin
    // user; an event without an actor (a failed sign-in) counts as the operator's when its
    // subject is a superadmin, since the address may be the operator's own mistyping.
    await queryRunner.query('ALTER TABLE audit_events ADD COLUMN platform_operator_origin boolean NOT NULL DEFAULT false');
    await queryRunner.query(`
      CREATE FUNCTION portcullis_is_superadmin(id_text varchar) RETURNS boolean LANGUAGE plpgsql STABLE AS $$
      BEGIN
        -- Compared as a uuid only once it is known to be one (a client actor is 'client:<id>').
        IF id_text IS NULL OR id_text !~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN
          RETURN false;
        END IF;
        RETURN EXISTS (SELECT 1 FROM users WHERE id = id_text::uuid AND 'superadmin' = ANY(roles));
      END
      $$`);
    await queryRunner.query(`
      CREATE FUNCTION portcullis_audit_platform_operator_origin() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.platform_operator_origin := CASE
          WHEN NEW.actor_id LIKE 'cli:%' THEN true
          WHEN NEW.actor_id IS NOT NULL THEN portcullis_is_superadmin(NEW.actor_id)
          ELSE portcullis_is_superadmin(NEW.subject_id)
        END;
        RETURN NEW;
      END
      $$`);
    await queryRunner.query(
      'CREATE TRIGGER audit_events_platform_operator_origin BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION portcullis_audit_platform_operator_origin()',
    );
    // Events written before: judged by who is a superadmin now, the best that is known.
    await queryRunner.query(`
      UPDATE audit_events SET platform_operator_origin = true
      WHERE actor_id LIKE 'cli:%'
         OR actor_id IN (SELECT id::text FROM users WHERE 'superadmin' = ANY(roles))
         OR (actor_id IS NULL AND subject_id IN (SELECT id::text FROM users WHERE 'superadmin' = ANY(roles)))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TRIGGER audit_events_platform_operator_origin ON audit_events');
    await queryRunner.query('DROP FUNCTION portcullis_audit_platform_operator_origin()');
    await queryRunner.query('DROP FUNCTION portcullis_is_superadmin(varchar)');
    await queryRunner.query('ALTER TABLE audit_events DROP COLUMN platform_operator_origin');
  }
}
