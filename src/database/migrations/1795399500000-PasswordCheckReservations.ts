import type { MigrationInterface, QueryRunner } from 'typeorm';

export class PasswordCheckReservations1795399500000 implements MigrationInterface {
  name = 'PasswordCheckReservations1795399500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Every password check reserves its attempt before any bcrypt work: one round trip in place of
    // a transaction of four (LoginLockout.reserve). The rules stay LoginLockout's; it passes its
    // settings in. Answers 0 when the check is reserved, else how many milliseconds to wait.
    await queryRunner.query(`
      CREATE FUNCTION reserve_password_check(
        tenant_key_in text, email_in text, client_in text,
        max_failures integer, max_failures_account integer,
        lockout_ms bigint, known_for_ms bigint, reservation_timeout_ms bigint
      ) RETURNS bigint LANGUAGE plpgsql AS $$
      DECLARE
        now_at timestamptz := clock_timestamp();
        lockout interval := lockout_ms * interval '1 millisecond';
        reservation_timeout interval := reservation_timeout_ms * interval '1 millisecond';
        own login_attempts%ROWTYPE;
        everyone login_attempts%ROWTYPE;
        known boolean;
        locked_until_latest timestamptz;
        own_failed timestamptz[];
        own_reserved timestamptz[];
        all_failed timestamptz[];
        all_reserved timestamptz[];
      BEGIN
        -- The all-clients row first, as every statement that locks more than one row of an account.
        INSERT INTO login_attempts AS attempt (tenant_key, email, client)
        VALUES (tenant_key_in, email_in, '*'), (tenant_key_in, email_in, client_in)
        ON CONFLICT (tenant_key, email, client) DO UPDATE SET updated_at = attempt.updated_at;
        SELECT * INTO STRICT everyone FROM login_attempts WHERE tenant_key = tenant_key_in AND email = email_in AND client = '*';
        SELECT * INTO STRICT own FROM login_attempts WHERE tenant_key = tenant_key_in AND email = email_in AND client = client_in;

        known := own.signed_in_at IS NOT NULL AND now_at - own.signed_in_at < known_for_ms * interval '1 millisecond';
        SELECT max(until) INTO locked_until_latest
        FROM unnest(ARRAY[own.locked_until, CASE WHEN known THEN NULL ELSE everyone.locked_until END]) AS until
        WHERE until > now_at;
        IF locked_until_latest IS NOT NULL THEN
          RETURN greatest(1, ceil(extract(epoch FROM locked_until_latest - now_at) * 1000))::bigint;
        END IF;

        own_failed := ARRAY(SELECT at FROM unnest(own.failed_at) AS at WHERE now_at - at < lockout ORDER BY at);
        own_reserved := ARRAY(SELECT at FROM unnest(own.reserved_at) AS at WHERE now_at - at < reservation_timeout);
        all_failed := ARRAY(SELECT at FROM unnest(everyone.failed_at) AS at WHERE now_at - at < lockout ORDER BY at);
        all_reserved := ARRAY(SELECT at FROM unnest(everyone.reserved_at) AS at WHERE now_at - at < reservation_timeout);
        -- A full window of failures has locked the client (above); here the checks left are all under way, settled within a second or so.
        IF cardinality(own_failed) + cardinality(own_reserved) >= max_failures THEN
          RETURN 1000;
        END IF;
        IF NOT known AND cardinality(all_failed) + cardinality(all_reserved) >= max_failures_account THEN
          RETURN 1000;
        END IF;

        UPDATE login_attempts SET failed_at = all_failed, reserved_at = all_reserved || now_at, updated_at = now()
        WHERE tenant_key = tenant_key_in AND email = email_in AND client = '*';
        UPDATE login_attempts SET failed_at = own_failed, reserved_at = own_reserved || now_at, updated_at = now()
        WHERE tenant_key = tenant_key_in AND email = email_in AND client = client_in;
        RETURN 0;
      END
      $$`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION reserve_password_check(text, text, text, integer, integer, bigint, bigint, bigint)`);
  }
}
