/**
 * The helpers that let the apps answer a mistyped option the same way: the nearest known option
 * ("unknown option --policy; did you mean --policies?"), and old spellings that still work while
 * the preferred one is said.
 */

/** Edit distance with adjacent transpositions (optimal string alignment): `--plicies` is 1 away. */
function editDistance(a: string, b: string): number {
  const previous2: number[] = new Array(b.length + 1).fill(0);
  let previous: number[] = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current: number[] = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, (previous2[j - 2] as number) + 1);
      }
      current.push(best);
    }
    previous2.splice(0, previous2.length, ...previous);
    previous = current;
  }
  return previous[b.length] as number;
}

function commonPrefixLength(a: string, b: string): number {
  let length = 0;
  while (length < a.length && length < b.length && a[length] === b[length]) length += 1;
  return length;
}

/**
 * The known option nearest to `name` (both without their dashes: `policy`), or `undefined` when
 * none is near enough to be a likely slip: a small edit distance (at most a third of the longer
 * name, and at least 2), or a long common stem (`policy` and `policies`, `thread` and `threads`).
 * Ties go to the option listed first.
 */
export function nearestOption(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestScore = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    if (candidate === name) return candidate;
    const distance = editDistance(name, candidate);
    const longer = Math.max(name.length, candidate.length);
    const shorter = Math.min(name.length, candidate.length);
    const stem = commonPrefixLength(name, candidate);
    const near =
      distance <= Math.max(2, Math.floor(longer / 3)) || (stem >= 4 && stem >= shorter - 1);
    if (near && distance < bestScore) {
      best = candidate;
      bestScore = distance;
    }
  }
  return best;
}

/**
 * The one line for an unknown option: `unknown option --policy; did you mean --policies?`, or,
 * with nothing near, `unknown option --bogus (see --help)`. `argument` is as typed (`--policy`,
 * `--policy=x`, `-z`); `known` are long option names without dashes. A slip of an old spelling
 * (`--polcy` for `--policy`, given `{ policy: 'policies' }` in `oldSpellings`) is answered with
 * the preferred name. `help` is what the line points to when nothing is near (`stats --help`).
 */
export function unknownOptionMessage(
  argument: string,
  known: readonly string[],
  oldSpellings: Readonly<Record<string, string>> = {},
  help = '--help',
): string {
  const spelled = argument.split('=', 1)[0] ?? argument;
  const name = spelled.replace(/^-{1,2}/, '');
  const candidates = [...known, ...Object.keys(oldSpellings)];
  const found = spelled.startsWith('--') ? nearestOption(name, candidates) : undefined;
  const nearest =
    found !== undefined && Object.hasOwn(oldSpellings, found) ? oldSpellings[found] : found;
  return nearest === undefined
    ? `unknown option ${spelled} (see ${help})`
    : `unknown option ${spelled}; did you mean --${nearest}?`;
}

/** What `renameOldSpellings` did: the arguments with the preferred names, and a note per old one. */
export interface RenamedArguments {
  readonly args: string[];
  /** One line per old spelling used: `--policy is an old spelling; the preferred one is --policies`. */
  readonly notes: string[];
}

/**
 * Rewrites old spellings of long options (`{ policy: 'policies' }`) to the preferred ones, before
 * the arguments are parsed, so that scripts written for the old name keep working. Only option
 * positions are rewritten: everything after `--` is left alone, and so is an argument that is the
 * value of the option before it (`valueTaking` names the options that take one).
 */
export function renameOldSpellings(
  args: readonly string[],
  oldSpellings: Readonly<Record<string, string>>,
  valueTaking: ReadonlySet<string>,
): RenamedArguments {
  const renamed: string[] = [];
  const notes: string[] = [];
  let valueNext = false;
  for (const [index, argument] of args.entries()) {
    if (argument === '--') {
      renamed.push(...args.slice(index));
      break;
    }
    if (valueNext || !argument.startsWith('--')) {
      valueNext = false;
      renamed.push(argument);
      continue;
    }
    const [spelled = argument, ...value] = argument.split('=');
    const name = spelled.slice(2);
    const preferred = Object.hasOwn(oldSpellings, name) ? oldSpellings[name] : undefined;
    const current = preferred ?? name;
    if (preferred !== undefined) {
      const note = `--${name} is an old spelling; the preferred one is --${preferred}`;
      if (!notes.includes(note)) notes.push(note);
    }
    renamed.push(value.length > 0 ? `--${current}=${value.join('=')}` : `--${current}`);
    valueNext = value.length === 0 && valueTaking.has(current);
  }
  return { args: renamed, notes };
}
