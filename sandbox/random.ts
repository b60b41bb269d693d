/**
 * Seeded pseudo-random numbers. Secrets, KIDs and generated data come from here rather than node:crypto so a
 * sandbox started twice with the same seed hands out the same values (tests and docs can rely on them).
 */
export class Prng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** mulberry32: tiny, fast and good enough for test data (not for real secrets). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(maxExclusive: number): number {
    return Math.floor(this.next() * maxExclusive);
  }

  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) throw new Error("pick from an empty list");
    return item;
  }

  string(length: number, alphabet: string): string {
    // Built as bytes, not with +=: concatenation leaves a rope of one node per character, and 100,000
    // generated credentials would then cost millions of heap objects and seconds of GC. Each draw feeds five
    // characters (6 bits each); the slight bias for alphabets shorter than 64 does not matter for test data.
    const bytes = Buffer.allocUnsafe(length);
    let bits = 0;
    let left = 0;
    for (let i = 0; i < length; i++) {
      if (left === 0) {
        bits = (this.next() * 4294967296) >>> 0;
        left = 5;
      }
      bytes[i] = alphabet.charCodeAt((bits & 63) % alphabet.length);
      bits >>>= 6;
      left--;
    }
    return bytes.toString("latin1");
  }
}

export const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
export const BASE64URL = `${BASE62}-_`;
export const HEX = "0123456789ABCDEF";

/**
 * Random text handed out as slices of large pre-generated chunks. V8 keeps a substring of 13+ characters as a
 * pointer into its parent, so 100,000 generated KIDs and HMAC keys cost a few big strings instead of 200,000
 * small allocations (which made generation GC-bound).
 */
export class RandomText {
  private chunk = "";
  private offset = 0;

  constructor(
    private readonly rng: Prng,
    private readonly alphabet: string,
    private readonly chunkSize = 1 << 20,
  ) {}

  take(length: number): string {
    if (this.offset + length > this.chunk.length) {
      this.chunk = this.rng.string(Math.max(this.chunkSize, length), this.alphabet);
      this.offset = 0;
    }
    const out = this.chunk.slice(this.offset, this.offset + length);
    this.offset += length;
    return out;
  }
}
