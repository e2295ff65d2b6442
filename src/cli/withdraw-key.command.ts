import type { INestApplicationContext } from '@nestjs/common';
import { SigningKeysService } from '../tokens/signing-keys.service.js';
import type { CommandResult } from './command-result.js';
import { operatorActor } from './operator-actor.js';

/**
 * Deletes a signing key (after a compromise, say): its tokens stop verifying on every instance
 * within a second and it leaves the JWKS. The current key is replaced by a new one first.
 */
export async function withdrawKey(context: INestApplicationContext, kid: string): Promise<CommandResult> {
  const { replacedBy } = await context.get(SigningKeysService).withdraw(kid, operatorActor());
  return {
    text: replacedBy ? `Withdrew the signing key ${kid}; it was current, so ${replacedBy} is current now` : `Withdrew the signing key ${kid}`,
    json: { withdrawn: kid, current: replacedBy ?? null },
  };
}
