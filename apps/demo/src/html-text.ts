/** Text for HTML: `&`, `<`, `>` and both quotes escaped, so it is safe in content and attributes. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** A whole number with thousands separators, as the table prints it. */
export function count(value: number): string {
  return value.toLocaleString('en-US');
}

/** A coordinate with at most two decimals. */
export function px(value: number): string {
  return String(Math.round(value * 100) / 100);
}
