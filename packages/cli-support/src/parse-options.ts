import { type ParseArgsConfig, parseArgs } from 'node:util';
import { renameOldSpellings, unknownOptionMessage } from './option-names.js';
import type { UsageErrorClass } from './usage-error.js';

/** Node's `parseArgs` options: long names without dashes, each `type`, `short`, `multiple`. */
export type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** How one command line (or one subcommand's) is read. */
export interface CommandLineSpec<Options extends ParseArgsOptionsConfig> {
  /** Node's `parseArgs` options: long names without dashes, `type`, `short`, `multiple`. */
  readonly options: Options;
  /** The program's `UsageError` class, thrown for every problem found here. */
  readonly usageError: UsageErrorClass;
  /**
   * The subcommand (`stats`): messages start `stats: ` and point to `stats --help`. Without one,
   * the messages are the program's own.
   */
  readonly command?: string;
  /**
   * Whether words that are no option are taken (`merge FILE...`); a `--` then ends the options.
   * Without positionals, a stray word is refused and a `--` means nothing (`pnpm start -- --arch
   * x` passes one through).
   */
  readonly positionals?: boolean;
  /** Options whose value may be left out, and the value they then take (`{ json: '-' }`). */
  readonly optionalValues?: Readonly<Record<string, string>>;
  /** Old spellings still taken (`{ policy: 'policies' }`), each use noted. */
  readonly oldSpellings?: Readonly<Record<string, string>>;
}

/** What `parseCommandLine` read. */
export interface ParsedCommandLine<Options extends ParseArgsOptionsConfig> {
  readonly values: ReturnType<
    typeof parseArgs<{ options: Options; allowPositionals: true; strict: true }>
  >['values'];
  readonly positionals: readonly string[];
  /** One line per old spelling used: `--policy is an old spelling; the preferred one is --policies`. */
  readonly notes: readonly string[];
}

function isOptionWord(word: string, options: ParseArgsOptionsConfig): boolean {
  if (word === '--') return true;
  if (word.startsWith('--')) return Object.hasOwn(options, word.slice(2).split('=')[0] ?? '');
  return (
    word.length === 2 &&
    word.startsWith('-') &&
    Object.values(options).some((option) => option.short === word.slice(1))
  );
}

/**
 * Joins each value-taking long option with the word after it (`--threads -5` as
 * `--threads=-5`): Node's parser calls a value that starts with a dash ambiguous, where the app's
 * own check says what the option wants. A word that is itself one of `options` (or `--`) is never
 * taken as a value: the option then takes its `optionalValues` entry, or is refused with
 * `<option>: expected a value`. Nothing after a `--` is touched.
 */
export function joinOptionValues<Options extends ParseArgsOptionsConfig>(
  argv: readonly string[],
  spec: CommandLineSpec<Options>,
): string[] {
  const { options, usageError } = spec;
  const joined: string[] = [];
  for (let index = 0; index < argv.length; index += 1) {
    const word = argv[index] as string;
    if (word === '--') {
      if (spec.positionals === true) {
        joined.push(...argv.slice(index));
        break;
      }
      continue;
    }
    const name = word.slice(2);
    const takesValue =
      word.startsWith('--') && Object.hasOwn(options, name) && options[name]?.type === 'string';
    if (!takesValue) {
      joined.push(word);
      continue;
    }
    const next = argv[index + 1];
    if (next === undefined || isOptionWord(next, options)) {
      const fallback = spec.optionalValues?.[name];
      if (fallback === undefined) throw new usageError(word, 'expected a value');
      joined.push(`${word}=${fallback}`);
      continue;
    }
    joined.push(`${word}=${next}`);
    index += 1;
  }
  return joined;
}

/**
 * Reads a command line the way every vmars CLI does: old spellings renamed (and noted), option
 * values joined (`joinOptionValues`), Node's `parseArgs` in strict mode, and each problem thrown
 * as the program's `UsageError` in one line: an unknown option answered with the nearest known
 * one (`unknown option --polcy; did you mean --policies?`), a stray word, or Node's own first
 * sentence, each pointing to `--help`.
 */
export function parseCommandLine<const Options extends ParseArgsOptionsConfig>(
  argv: readonly string[],
  spec: CommandLineSpec<Options>,
): ParsedCommandLine<Options> {
  const { options, usageError, command } = spec;
  const prefix = command === undefined ? '' : `${command}: `;
  const help = command === undefined ? '--help' : `${command} --help`;
  const oldSpellings = spec.oldSpellings ?? {};
  const valueTaking = new Set(
    Object.entries(options)
      .filter(([, option]) => option.type === 'string')
      .map(([name]) => name),
  );
  const renamed = renameOldSpellings(argv, oldSpellings, valueTaking);
  const args = joinOptionValues(renamed.args, spec);
  let parsed: ReturnType<
    typeof parseArgs<{ options: Options; allowPositionals: true; strict: true }>
  >;
  try {
    parsed = parseArgs({
      args,
      options,
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    // Node's first sentence names the problem ("Unknown option '--bogus'"); the rest is advice on
    // positional arguments that start with a dash, which ours never are.
    const message = (error instanceof Error ? error.message : String(error)).split(/\.(?:\s|$)/)[0];
    const unknown = /^Unknown option '([^']+)'/.exec(message ?? '')?.[1];
    const detail =
      unknown === undefined
        ? `${message ?? 'bad option'} (see ${help})`
        : unknownOptionMessage(unknown, Object.keys(options), oldSpellings, help);
    throw new usageError(undefined, `${prefix}${detail}`, { cause: error });
  }
  const stray = parsed.positionals[0];
  if (spec.positionals !== true && stray !== undefined) {
    throw new usageError(undefined, `${prefix}unexpected argument "${stray}" (see ${help})`);
  }
  return { values: parsed.values, positionals: parsed.positionals, notes: renamed.notes };
}
