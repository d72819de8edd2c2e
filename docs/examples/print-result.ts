/**
 * Every example ends by printing one machine-readable line, `RESULT {json}`, after its human-readable
 * output; the example's test parses that line and checks the numbers.
 */
export const RESULT_PREFIX = 'RESULT ';

export function printResult(result: Record<string, unknown>): void {
  console.log(`${RESULT_PREFIX}${JSON.stringify(result)}`);
}
