import { escapeHtml } from '@vmars/cli-support';
import type { LinuxCheckReport, LinuxPolicyCheck } from '@vmars/linux-page-tables';
import { count } from './html-text.js';

/**
 * `--check-linux`: the kernel's page-table pages beside the model's, per policy, as rows of
 * label and cells (one per policy), shared by the table and the HTML page.
 */
function rows(check: LinuxCheckReport): [string, (policy: LinuxPolicyCheck) => string][] {
  const levels = check.levels.join(' + ');
  const { relative, pages } = check.tolerance;
  return [
    ['kernel: page-table pages (VmPTE growth)', (policy) => count(policy.kernel.pages)],
    [`model: ${levels}`, (policy) => count(policy.model.pages)],
    ['kernel - model', (policy) => signed(policy.difference)],
    ['blocks not mapped (address taken)', (policy) => count(policy.unmappedBlocks.length)],
    [
      `agree (within ${String(relative * 100)} % + ${String(pages)} pages)`,
      (policy) => (policy.agrees ? 'yes' : 'NO'),
    ],
  ];
}

const signed = (value: number): string => (value > 0 ? `+${count(value)}` : count(value));

/** What the check did, in one sentence. */
function summary(check: LinuxCheckReport): string {
  return (
    `each policy's peak replayed in a fresh process on Linux ${check.host.kernel} (${check.host.machine}): ` +
    `every live block mapped at its own address, the touched pages written, and the growth of the process's page tables (VmPTE) read`
  );
}

/** The table's lines for `--check-linux`, after the page-table rows: one column per policy. */
export function linuxCheckLines(check: LinuxCheckReport): string[] {
  const table: string[][] = [
    ['', ...check.policies.map((policy) => policy.policy)],
    ...rows(check).map(([label, cell]) => [label, ...check.policies.map(cell)]),
  ];
  const labelWidth = Math.max(...table.map((cells) => cells[0]?.length ?? 0));
  const cellWidth = Math.max(10, ...table.flatMap((cells) => cells.slice(1).map((c) => c.length)));
  const lines = [
    '',
    `Linux check (--check-linux): ${summary(check)}.`,
    ...table.map(
      ([label = '', ...cells]) =>
        label.padEnd(labelWidth) + cells.map((cell) => `  ${cell.padStart(cellWidth)}`).join(''),
    ),
  ];
  const unmapped = check.policies.filter((policy) => policy.unmappedBlocks.length > 0);
  for (const policy of unmapped) {
    lines.push(
      `${policy.policy}: ${count(policy.unmappedBlocks.length)} blocks could not be mapped at their addresses (the process had something there); the kernel's figure lacks their tables`,
    );
  }
  return lines;
}

/** The HTML page's section for `--check-linux`. */
export function linuxCheckSection(check: LinuxCheckReport): string {
  const head = `<thead><tr><th scope="col">figure</th>${check.policies.map((policy) => `<th scope="col">${escapeHtml(policy.policy)}</th>`).join('')}</tr></thead>`;
  const body = rows(check)
    .map(
      ([label, cell]) =>
        `<tr><th scope="row">${escapeHtml(label)}</th>${check.policies.map((policy) => `<td>${escapeHtml(cell(policy))}</td>`).join('')}</tr>`,
    )
    .join('\n');
  return [
    '<h2 id="linux-check">Against a real kernel</h2>',
    `<p>With <code>--check-linux</code>, ${escapeHtml(summary(check))}. The model counts ${escapeHtml(check.levels.join(', '))}: the levels Linux counts in VmPTE (the top level comes with the process).</p>`,
    `<div class="scroll"><table class="linux-check">\n${head}\n<tbody>\n${body}\n</tbody>\n</table></div>`,
  ].join('\n');
}
