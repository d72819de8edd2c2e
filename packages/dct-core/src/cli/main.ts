#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Command, CommanderError } from 'commander';
import { registerCoefficientsCommand } from './commands/coefficients.js';
import { registerCubeCommand } from './commands/cube.js';
import { registerDemoCommand } from './commands/demo.js';
import { registerInfoCommand } from './commands/info.js';
import type { CliContext } from './context.js';
import { PROCESS_CONTEXT } from './context.js';

/** Builds the `fdl-dct` program; each command lives in `commands/<name>.ts`. */
export function buildProgram(context: CliContext = PROCESS_CONTEXT): Command {
  const program = new Command('fdl-dct')
    .description(
      'Pixels to DCT cubes for frequency-domain learning (Learning in the Frequency Domain, CVPR 2020)',
    )
    .showHelpAfterError(false);
  registerCubeCommand(program, context);
  registerInfoCommand(program, context);
  registerDemoCommand(program, context);
  registerCoefficientsCommand(program, context);
  return program;
}

/** Runs the CLI and returns the exit code; errors become one line on stderr (no stack trace). */
export async function runCli(
  argv: readonly string[],
  context: CliContext = PROCESS_CONTEXT,
): Promise<number> {
  const program = buildProgram(context);
  program.exitOverride();
  program.configureOutput({
    writeOut: (text) => context.stdout(text.trimEnd()),
    writeErr: (text) => context.stderr(text.trimEnd()),
  });
  for (const command of program.commands) {
    command.exitOverride();
    command.configureOutput({
      writeOut: (text) => context.stdout(text.trimEnd()),
      writeErr: (text) => context.stderr(text.trimEnd()),
    });
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : error.exitCode || 1;
    context.stderr(`fdl-dct: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

function isEntryPoint(): boolean {
  if (process.argv[1] === undefined) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  // A closed pipe (`fdl-dct info x.jpg | head`) ends the output quietly, as Unix tools do.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  runCli(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
