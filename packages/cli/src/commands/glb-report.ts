/**
 * What the CLI says about an export's report (`@scenesync/gltf`): one summary line by issue code on
 * stderr, and the whole report as JSON with `--report FILE`.
 */
import { writeFile } from 'node:fs/promises';
import type { ExportReport } from '@scenesync/gltf';
import { CliError } from '../errors.js';

/** "the GLB leaves out or changes: 2 × TEXTURE_WITHOUT_IMAGE, 1 × CLAMPED", or undefined for an empty report. */
export function reportSummary(report: ExportReport): string | undefined {
  if (report.issues.length === 0) return undefined;
  const counts = new Map<string, number>();
  for (const issue of report.issues) counts.set(issue.code, (counts.get(issue.code) ?? 0) + 1);
  const parts = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([code, n]) => `${n} × ${code}`);
  return `the GLB leaves out or changes: ${parts.join(', ')} (--report FILE lists each, docs/gltf-mapping.md explains each code)`;
}

/** Writes the report (issues with their rule, node path and message; stats) as JSON. @throws CliError */
export async function writeReport(path: string, report: ExportReport): Promise<void> {
  try {
    await writeFile(path, `${JSON.stringify({ issues: report.issues, stats: report.stats }, null, 2)}\n`);
  } catch (error) {
    throw new CliError('FILE', `cannot write ${path}: ${(error as Error).message}`);
  }
}
