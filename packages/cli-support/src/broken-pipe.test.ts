import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { exitQuietlyOnBrokenPipe } from './broken-pipe.js';

describe('exitQuietlyOnBrokenPipe', () => {
  it('exits 0 on EPIPE and throws any other write error', () => {
    const stream = new EventEmitter();
    const exits: number[] = [];
    exitQuietlyOnBrokenPipe(stream, (status) => exits.push(status));
    stream.emit('error', Object.assign(new Error('closed'), { code: 'EPIPE' }));
    expect(exits).toEqual([0]);
    expect(() =>
      stream.emit('error', Object.assign(new Error('full'), { code: 'ENOSPC' })),
    ).toThrow('full');
    expect(exits).toEqual([0]);
  });
});
