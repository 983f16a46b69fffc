/**
 * The flags `vmars-trace record` passes to strace before `-o FILE -- COMMAND`:
 * - `-f`: follow every task (threads and processes);
 * - `-q`: no "Process N attached/detached" messages (with `-o` they would go to the terminal);
 * - `-ttt`: epoch timestamps in microseconds (no midnight to cross, no one-second ties);
 * - `-e trace=...`: only the calls the parser needs: the creations (whose results name the new
 *   tasks and whose flags tell threads from processes), `execve` (the first line, which tells a
 *   command's trace from an attached one, and the half of a non-leader's execve that the new
 *   leader resumes) and `exit_group`. The `?` lets an older strace that does not know a name
 *   (`clone3` before 5.3) go on without it.
 *
 * Not `-e signal=none`: it also drops the `+++ killed by SIG... +++` lines. Not `-qq`: it drops
 * every `+++ exited with N +++`. Verified with strace 6.1: exit and kill lines, clone and clone3
 * results, `exit_group` and `+++ superseded by execve in pid N +++` all still appear.
 */
export const STRACE_RECORD_ARGUMENTS: readonly string[] = Object.freeze([
  '-f',
  '-q',
  '-ttt',
  '-e',
  'trace=?clone,?clone3,?fork,?vfork,?execve,?execveat,?exit_group',
]);
