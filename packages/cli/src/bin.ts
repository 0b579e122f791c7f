#!/usr/bin/env node
/**
 * The `scenesync` executable: runs the program, turns any failure into one line on stderr and a
 * non-zero exit, and keeps long-running commands (serve, join, demo, bridge) alive until Ctrl+C or
 * SIGTERM, then stops them cleanly.
 */
import { CommanderError } from 'commander';
import { createProgram, type Running } from './program.js';
import { CliError, errorLine } from './errors.js';

const running: Running[] = [];

const program = createProgram({
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  keepAlive: (r) => running.push(r),
});
program.exitOverride();

// Something thrown outside a command's own flow (a socket callback, a timer): one line, never a
// stack trace. A short command then fails; a long-running one (a server, a watcher) logs and goes on.
function unexpected(error: unknown): void {
  process.stderr.write(`scenesync: error: ${errorLine(error)}\n`);
  if (running.length === 0) process.exit(1);
}
process.on('uncaughtException', unexpected);
process.on('unhandledRejection', unexpected);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await Promise.allSettled(running.map((r) => r.stop()));
  process.exit(0);
}

try {
  await program.parseAsync(process.argv);
  if (running.length > 0) {
    process.on('SIGINT', () => void stop());
    process.on('SIGTERM', () => void stop());
  } else {
    // Short commands are done: do not wait for WebRTC or socket handles to wind down by themselves.
    process.exit(0);
  }
} catch (error) {
  if (error instanceof CommanderError) {
    // Commander already printed its message (or the help / version output).
    process.exit(error.exitCode);
  }
  process.stderr.write(`scenesync: error: ${errorLine(error)}\n`);
  process.exit(error instanceof CliError ? error.exitCode : 1);
}
