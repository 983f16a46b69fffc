/** A whole number with thousands separators, as the table prints it. */
export function count(value: number): string {
  return value.toLocaleString('en-US');
}

/** A coordinate with at most two decimals. */
export function px(value: number): string {
  return String(Math.round(value * 100) / 100);
}
