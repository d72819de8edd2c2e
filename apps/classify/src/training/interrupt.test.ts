import { describe, expect, it } from 'vitest';
import { InterruptFlag } from './interrupt.js';

describe('InterruptFlag', () => {
  it('sets the flag on the first SIGINT and removes its handler on uninstall', () => {
    const flag = new InterruptFlag().install();
    const listeners = process.listenerCount('SIGINT');
    expect(flag.isRequested).toBe(false);
    process.emit('SIGINT', 'SIGINT');
    expect(flag.isRequested).toBe(true);
    flag.uninstall();
    expect(process.listenerCount('SIGINT')).toBe(listeners - 1);
  });
});
