import { expect, it } from 'vitest';

/** Options every suite of this package takes. */
export interface SuiteOptions {
  /**
   * Cases to skip: the case's full name (as printed by vitest, without the suite's `describe`
   * prefix) mapped to the reason. A skipped case still shows up, as `it.skip`, with the reason in
   * its name, so a backend's gaps are visible in every run.
   */
  readonly skip?: Readonly<Record<string, string>>;
}

/** Registers a case: its body gets nothing; it builds its own fresh backend. */
export type RegisterCase = (
  name: string,
  body: () => void | Promise<void>,
  timeout?: number,
) => void;

/**
 * The case registrar of one suite: `register(name, body)` becomes `it(name, body)`, or
 * `it.skip("<name> [skipped: <reason>]")` when `options.skip` names it. Call `finish()` after the
 * last case: it adds one case that fails when `skip` names a case that does not exist, so a typo or
 * a renamed case cannot silently un-skip nor hide anything.
 */
export function createCaseRegistry(options: SuiteOptions | undefined): {
  register: RegisterCase;
  finish: () => void;
} {
  const skip = options?.skip ?? {};
  const names = new Set<string>();
  const register: RegisterCase = (name, body, timeout) => {
    if (names.has(name)) {
      throw new Error(`@vmars/testing: two cases are named "${name}"`);
    }
    names.add(name);
    const reason = Object.hasOwn(skip, name) ? skip[name] : undefined;
    if (reason !== undefined) {
      it.skip(`${name} [skipped: ${reason}]`, body);
    } else {
      it(name, body, timeout);
    }
  };
  const finish = () => {
    const unknown = Object.keys(skip).filter((name) => !names.has(name));
    it('the skip list names only cases of this suite', () => {
      expect(unknown).toEqual([]);
    });
  };
  return { register, finish };
}
