import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Domain-separated from the stored SHA-256 hash: knowing the hash gives nothing towards this key. */
function sealingKey(holderSecret: string): Buffer {
  return createHmac('sha256', holderSecret).update('portcullis/refresh-token-seal/v1').digest();
}

/**
 * Seals a successor's secret so that only whoever holds `holderSecret` (the token it replaces)
 * can open it: lets a just-rotated token be answered with the current one, with neither stored.
 */
export function sealSuccessor(successorSecret: string, holderSecret: string): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', sealingKey(holderSecret), iv);
  const sealed = Buffer.concat([cipher.update(successorSecret, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), sealed]);
}

/** Opens what `sealSuccessor` sealed; `undefined` when the secret is not the right one. */
export function openSuccessor(sealed: Buffer, holderSecret: string): string | undefined {
  try {
    const decipher = createDecipheriv('aes-256-gcm', sealingKey(holderSecret), sealed.subarray(0, IV_BYTES));
    decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}
