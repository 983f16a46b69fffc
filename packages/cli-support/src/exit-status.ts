/**
 * The exit statuses every vmars CLI uses: 0 the work is done, 1 it could not be done (a file that
 * cannot be written, a backend that is missing), 2 a bad command line or bad input (one line on
 * stderr naming it). An app may add its own above these (the lab's 130 for Ctrl-C, `vmars-trace
 * record`'s traced command's status).
 */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
