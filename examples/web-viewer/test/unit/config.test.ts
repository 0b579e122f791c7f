import { describe, expect, it } from 'vitest';
import { readViewerConfig } from '../../src/config.js';

describe('readViewerConfig', () => {
  it('joins the room of ?room= through the page’s own server, without STUN on loopback', () => {
    const c = readViewerConfig('http://localhost:4444/?room=studio&name=Ada&token=secret-123');
    expect(c.room).toBe('studio');
    expect(c.name).toBe('Ada');
    expect(c.signaling).toEqual(['ws://localhost:4444/']);
    expect(c.token).toBe('secret-123');
    expect(c.httpBase).toBe('http://localhost:4444');
    expect(c.iceServers).toEqual([]);
  });

  it('uses wss:// behind https, keeps the default STUN elsewhere, and passes room tokens on', () => {
    const c = readViewerConfig('https://scenes.example.org/?room-token=abc');
    expect(c.room).toBe('lobby');
    expect(c.signaling).toEqual(['wss://scenes.example.org/?room-token=abc']);
    expect(c.iceServers).toBeUndefined();
    expect(c.name).toMatch(/^Guest \d{4}$/);
  });
});
