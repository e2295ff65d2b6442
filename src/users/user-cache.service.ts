import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LRUCache } from 'lru-cache';
import { Repository } from 'typeorm';
import { DatabaseNotifications } from '../database/database-notifications.service.js';
import { UserDto } from './dto/user.dto.js';
import { User } from './user.entity.js';

/** Sent by a trigger on `users` at the commit of every change to a row (the payload is its id). */
export const USERS_CHANNEL = 'portcullis_users';
const MAX_ENTRIES = 50_000;

/**
 * Users as `/users/me` answers them, served from memory: every change to a user row, on any
 * instance or by hand, reaches every instance through LISTEN/NOTIFY (a trigger on the table)
 * and drops the copy; a lost or resynchronizing notification connection empties the cache and
 * bypasses it, so that nothing stale is served while changes could be missed.
 */
@Injectable()
export class UserCache implements OnModuleInit {
  private readonly users = new LRUCache<string, Readonly<UserDto>>({ max: MAX_ENTRIES });
  /** Counts invalidations: a read that raced one must not be cached. */
  private invalidations = 0;

  constructor(
    @InjectRepository(User) private readonly repository: Repository<User>,
    private readonly notifications: DatabaseNotifications,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.notifications.subscribe(USERS_CHANNEL, {
      onNotification: (id) => this.forget(id),
      onResync: () => {
        this.invalidations++;
        this.users.clear();
        return Promise.resolve();
      },
    });
  }

  /** The answer itself is kept, not the row: a hit builds nothing (no dates formatted per request). */
  async viewOf(id: string): Promise<Readonly<UserDto> | null> {
    const current = this.notifications.state().current;
    const cached = current ? this.users.get(id) : undefined;
    if (cached) return cached;
    const before = this.invalidations;
    const user = await this.repository.findOneBy({ id });
    if (!user) return null;
    const view = Object.freeze(UserDto.from(user));
    if (current && before === this.invalidations) this.users.set(id, view);
    return view;
  }

  /** Drops a user's copy at once on this instance (the others hear of it from the trigger). */
  forget(id: string): void {
    this.invalidations++;
    this.users.delete(id);
  }
}
