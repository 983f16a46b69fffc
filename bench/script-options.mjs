// @ts-check
/**
 * The options of the single-question scripts in `bench/` (churn-gc.mjs, churn-cachegrind.mjs):
 * string options with defaults, parsed strictly. A bad option or value ends the process with one
 * line on stderr and exit status 2, as the apps' command lines do.
 */
import { parseArgs } from 'node:util';

/**
 * Prints `<script>: <first line of message>` on stderr and exits with status 2.
 * @param {string} script
 * @param {string} message
 * @returns {never}
 */
export function usageError(script, message) {
  console.error(`${script}: ${message.split('\n')[0]}`);
  process.exit(2);
}

/**
 * The command line's values of the options named in `defaults`, each a string, its default when
 * not given; an unknown option, a missing value or a positional argument is a usage error.
 * @template {Record<string, string>} Defaults
 * @param {string} script
 * @param {Defaults} defaults option name → default value
 * @returns {{ [Name in keyof Defaults]: string }}
 */
export function scriptOptions(script, defaults) {
  const options = Object.fromEntries(
    Object.entries(defaults).map(([name, value]) => [
      name,
      { type: /** @type {const} */ ('string'), default: value },
    ]),
  );
  try {
    return /** @type {{ [Name in keyof Defaults]: string }} */ (
      parseArgs({ options, strict: true }).values
    );
  } catch (error) {
    return usageError(script, error instanceof Error ? error.message : String(error));
  }
}
