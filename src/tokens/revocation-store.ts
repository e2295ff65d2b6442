import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { RevocationEntry } from './revocation-list.js';
import { Revocation, type RevocationKind } from './revocation.entity.js';

const toSeconds = (date: Date | null): number | undefined => (date ? Math.floor(date.getTime() / 1000) : undefined);
const toDate = (seconds: number | undefined): Date | null => (seconds === undefined ? null : new Date(seconds * 1000));

/** The `revocations` table, in the revocation list's terms (epoch seconds). */
@Injectable()
export class RevocationStore {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Every entry that still matters. */
  async live(): Promise<RevocationEntry[]> {
    const rows = await this.dataSource
      .getRepository(Revocation)
      .createQueryBuilder('revocation')
      .where('revocation.expiresAt IS NULL OR revocation.expiresAt > now()')
      .getMany();
    return rows.map((row) => ({ kind: row.kind, key: row.key, notBefore: toSeconds(row.notBefore), expiresAt: toSeconds(row.expiresAt) }));
  }

  async save(manager: EntityManager, entries: RevocationEntry[]): Promise<void> {
    await manager
      .createQueryBuilder()
      .insert()
      .into(Revocation)
      .values(entries.map((entry) => ({ kind: entry.kind, key: entry.key, notBefore: toDate(entry.notBefore), expiresAt: toDate(entry.expiresAt) })))
      .orUpdate(['not_before', 'expires_at'], ['kind', 'key'])
      .execute();
  }

  async remove(manager: EntityManager, kind: RevocationKind, key: string): Promise<void> {
    await manager.delete(Revocation, { kind, key });
  }
}
