/** Where commands print; tests capture it, the binary uses the process streams. */
export interface CliContext {
  stdout(line: string): void;
  stderr(line: string): void;
}

export const PROCESS_CONTEXT: CliContext = {
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
};
