import { createHash } from 'node:crypto';

const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const C4_DIGITS = 88;

/** The C4 ID (SMPTE ST 2114) of some bytes: SHA-512 in base58, padded to 88 digits, prefixed "c4". ASC MHL chains use it. */
export function c4Id(data: Uint8Array): string {
  let n = BigInt(`0x${createHash('sha512').update(data).digest('hex')}`);
  let digits = '';
  while (n > 0n) {
    digits = ALPHABET[Number(n % 58n)] + digits;
    n /= 58n;
  }
  return `c4${digits.padStart(C4_DIGITS, '1')}`;
}
