import type { INestApplicationContext } from '@nestjs/common';
import { SigningKeysService } from '../tokens/signing-keys.service.js';
import type { CommandResult } from './command-result.js';
import { operatorActor } from './operator-actor.js';

/** Makes a new signing key current (every instance picks it up); tokens signed by the old one stay valid until they expire. */
export async function rotateKey(context: INestApplicationContext): Promise<CommandResult> {
  const kid = await context.get(SigningKeysService).rotate(operatorActor());
  return { text: `Rotated the signing key: ${kid} is current`, json: { current: kid } };
}
