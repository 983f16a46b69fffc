import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * The files of one `strace -ff -o PREFIX` run when `prefix` names no file itself: every
 * `PREFIX.TID` (or `PREFIX.TID.gz`) beside it, in the order of their task ids. `undefined` when `prefix` is a file (or
 * anything else that exists), or when no such files are there.
 */
export async function findStraceParts(prefix: string): Promise<string[] | undefined> {
  const exists = await stat(prefix).then(
    () => true,
    (error: NodeJS.ErrnoException) => error.code !== 'ENOENT',
  );
  if (exists) return undefined;
  const directory = dirname(prefix);
  const stem = `${basename(prefix)}.`;
  let names: string[];
  try {
    names = await readdir(directory);
  } catch {
    return undefined;
  }
  const parts = names
    .filter((name) => name.startsWith(stem) && /^\d+(?:\.gz)?$/.test(name.slice(stem.length)))
    .map((name) => ({
      id: Number.parseInt(name.slice(stem.length), 10),
      path: join(directory, name),
    }))
    .sort((left, right) => left.id - right.id)
    .map((part) => part.path);
  return parts.length === 0 ? undefined : parts;
}
