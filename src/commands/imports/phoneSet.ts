/**
 * The phone numbers already seen in a file, with the row each was first seen on: an
 * open-addressing hash table over typed arrays. An E.164 number has at most 15 digits, so it is
 * exactly a double; a million numbers take ~24 MB here against ~100 MB in a Map of strings.
 */
export class PhoneSet {
  private keys: Float64Array;
  private rows: Int32Array;
  private count = 0;

  /** Sized for `expected` numbers up front: growing later briefly holds both tables. */
  constructor(expected = 0) {
    let slots = 1 << 12;
    while (slots < expected * 2 + 2) slots *= 2;
    this.keys = new Float64Array(slots);
    this.rows = new Int32Array(slots);
  }

  get size(): number {
    return this.count;
  }

  /** The row that first had this number, or 0 when it is new (then it is remembered at `row`). */
  addOrGet(e164: string, row: number): number {
    const key = Number(e164.slice(1));
    if ((this.count + 1) * 2 > this.keys.length) this.grow();
    const mask = this.keys.length - 1;
    let slot = hash(key) & mask;
    for (;;) {
      const existing = this.keys[slot] as number;
      if (existing === 0) {
        this.keys[slot] = key;
        this.rows[slot] = row;
        this.count++;
        return 0;
      }
      if (existing === key) return this.rows[slot] as number;
      slot = (slot + 1) & mask;
    }
  }

  private grow(): void {
    const { keys, rows } = this;
    this.keys = new Float64Array(keys.length * 2);
    this.rows = new Int32Array(keys.length * 2);
    this.count = 0;
    for (let i = 0; i < keys.length; i++) {
      if (keys[i] !== 0) this.insertFresh(keys[i] as number, rows[i] as number);
    }
  }

  private insertFresh(key: number, row: number): void {
    const mask = this.keys.length - 1;
    let slot = hash(key) & mask;
    while (this.keys[slot] !== 0) slot = (slot + 1) & mask;
    this.keys[slot] = key;
    this.rows[slot] = row;
    this.count++;
  }
}

/** Mixes the number's high and low parts; numbers of one file share long prefixes. */
function hash(key: number): number {
  const low = (key % 4294967296) | 0;
  const high = Math.floor(key / 4294967296) | 0;
  let h = Math.imul(low ^ Math.imul(high, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
