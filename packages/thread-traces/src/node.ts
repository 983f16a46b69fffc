// The Node entry point: reading trace files (plain or gzip). Filled in below this line.
export {};
