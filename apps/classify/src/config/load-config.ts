import { existsSync, readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { configError } from '../errors.js';
import { type ClassifyConfig, configSchema } from './schema.js';

/** Nested partial overrides, e.g. from flags: `{train: {epochs: 2}}`. */
export type ConfigOverrides = { [key: string]: unknown };

/** Reads a JSON or YAML config file into a plain object (no validation yet). */
export function readConfigFile(path: string): ConfigOverrides {
  if (!existsSync(path)) throw configError(`config file '${path}' does not exist`, { path });
  const text = readFileSync(path, 'utf8');
  const extension = extname(path).toLowerCase();
  let value: unknown;
  try {
    value = extension === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (cause) {
    throw configError(
      `config file '${path}' is not valid ${extension === '.json' ? 'JSON' : 'YAML'}: ${(cause as Error).message}`,
      {
        path,
      },
    );
  }
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw configError(
      `config file '${path}' must hold an object at the top level, got ${Array.isArray(value) ? 'an array' : typeof value}`,
      {
        path,
      },
    );
  }
  return value as ConfigOverrides;
}

/** Deep merge of plain objects; arrays and scalars in `override` replace those of `base`. */
export function mergeConfig(base: ConfigOverrides, override: ConfigOverrides): ConfigOverrides {
  const out: ConfigOverrides = { ...base };
  for (const [key, value] of Object.entries(override)) {
    if (value === undefined) continue;
    const previous = out[key];
    out[key] = isPlainObject(previous) && isPlainObject(value) ? mergeConfig(previous, value) : value;
  }
  return out;
}

/**
 * Validates merged layers (file, then flags) against the schema; every problem is listed with its path,
 * e.g. `train.epochs: Too small: expected number to be >=1 (got 0)`.
 */
export function resolveConfig(layers: ConfigOverrides[], source = 'config'): ClassifyConfig {
  const merged = layers.reduce((acc, layer) => mergeConfig(acc, layer), {} as ConfigOverrides);
  const result = configSchema.safeParse(merged);
  if (!result.success) {
    const issues = result.error.issues.map((issue) => formatIssue(issue, merged));
    throw configError(`invalid ${source}:\n  ${issues.join('\n  ')}`, { issues });
  }
  return result.data;
}

function formatIssue(issue: z.core.$ZodIssue, merged: ConfigOverrides): string {
  const path = issue.path.join('.') || '(top level)';
  let actual: unknown = merged;
  for (const key of issue.path)
    actual = isPlainObject(actual) || Array.isArray(actual) ? (actual as never)[key] : undefined;
  const got = issue.code === 'unrecognized_keys' ? '' : ` (got ${JSON.stringify(actual)})`;
  return `${path}: ${issue.message}${got}`;
}

/** Turns `a.b.c=value` into `{a: {b: {c: parsed}}}`; the value is parsed as YAML (numbers, booleans, lists). */
export function parseAssignment(assignment: string): ConfigOverrides {
  const equals = assignment.indexOf('=');
  if (equals <= 0) throw configError(`--set expects key.path=value, got '${assignment}'`, { assignment });
  const keys = assignment.slice(0, equals).split('.');
  let value: unknown = parseYaml(assignment.slice(equals + 1));
  for (const key of keys.reverse()) value = { [key]: value };
  return value as ConfigOverrides;
}

function isPlainObject(value: unknown): value is ConfigOverrides {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
