import { userInfo } from 'node:os';
import { SCOPES } from '../access/roles-and-scopes.js';
import type { Actor } from '../access/actor.js';

/** Who the audit log names for a CLI command: the operating-system user, acting with every power (it holds the database). */
export function operatorActor(): Actor {
  return { id: `cli:${operatorName()}`, isSuperadmin: true, scopes: [...SCOPES], origin: { ip: 'cli' } };
}

function operatorName(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}
