import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { RESULT_PREFIX } from './print-result.js';

const execFileAsync = promisify(execFile);
const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));

export interface ExampleRun {
  /** Everything the example printed. */
  stdout: string;
  /** The object of its `RESULT {json}` line. */
  result: Record<string, unknown>;
}

/**
 * Runs `docs/examples/<name>.ts` exactly as the guides tell a reader to, from the repository root:
 * `node --conditions=@fdl/source --import tsx docs/examples/<name>.ts [...args]`.
 */
export async function runExample(name: string, args: readonly string[] = []): Promise<ExampleRun> {
  const { stdout } = await execFileAsync(
    process.execPath,
    ['--conditions=@fdl/source', '--import', 'tsx', `docs/examples/${name}.ts`, ...args],
    { cwd: repositoryRoot, maxBuffer: 16 * 1024 * 1024 },
  );
  const line = stdout.split('\n').find((text) => text.startsWith(RESULT_PREFIX));
  if (line === undefined) throw new Error(`runExample: ${name} printed no ${RESULT_PREFIX}line:\n${stdout}`);
  return { stdout, result: JSON.parse(line.slice(RESULT_PREFIX.length)) };
}
