const units: Readonly<Record<string, number>> = {
  b: 1,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
};

/**
 * Parses a byte size written as a whole number with an optional binary unit: `4096`, `4KiB`,
 * `32MiB`, `1GiB`, `1TiB` (units are case-insensitive; `B` means bytes). Returns `undefined` for
 * anything else, including fractions, negative numbers and decimal units such as `4KB`, whose
 * meaning (1000 or 1024) would be a guess.
 */
export function parseByteSize(text: string): number | undefined {
  const match = /^(\d+)\s*([a-z]*)$/i.exec(text.trim());
  if (match === null) return undefined;
  const [, digits = '', unitText = ''] = match;
  const unit = unitText === '' ? 1 : units[unitText.toLowerCase()];
  if (unit === undefined) return undefined;
  const value = Number(digits) * unit;
  return Number.isSafeInteger(value) ? value : undefined;
}

/**
 * A byte count for people: the largest binary unit that keeps the number at least 1, with up to
 * two decimals (`2MiB`, `1.5GiB`, `2.01MiB`, `4KiB`, `12B`).
 */
export function formatByteSize(bytes: number): string {
  const ordered: [string, number][] = [
    ['TiB', 2 ** 40],
    ['GiB', 2 ** 30],
    ['MiB', 2 ** 20],
    ['KiB', 2 ** 10],
  ];
  for (const [name, unit] of ordered) {
    if (Math.abs(bytes) >= unit) {
      const scaled = bytes / unit;
      const text = String(Number(scaled.toFixed(2)));
      return `${text}${name}`;
    }
  }
  return `${String(bytes)}B`;
}

/** An address as Zircon tools print it: `0x` and lowercase hex. */
export function formatAddress(address: number): string {
  return `0x${address.toString(16)}`;
}
