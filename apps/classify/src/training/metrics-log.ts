import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';

export type LogRecord = Record<string, number | string | null>;

/**
 * Appends one record per line to `<base>.jsonl` and `<base>.csv`. The CSV columns are fixed by the first
 * record of the file (later unknown keys go to JSONL only; missing ones are empty), so spreadsheets and
 * pandas read it directly. Appending (not rewriting) keeps the history of a resumed run.
 */
export class MetricsLog {
  readonly jsonlPath: string;
  readonly csvPath: string;
  private columns: string[] | null = null;

  constructor(base: string) {
    this.jsonlPath = `${base}.jsonl`;
    this.csvPath = `${base}.csv`;
    if (existsSync(this.csvPath)) {
      const firstLine = readFileSync(this.csvPath, 'utf8').split('\n')[0];
      if (firstLine) this.columns = firstLine.split(',');
    }
  }

  append(record: LogRecord): void {
    appendFileSync(this.jsonlPath, `${JSON.stringify(record)}\n`);
    if (this.columns === null) {
      this.columns = Object.keys(record);
      writeFileSync(this.csvPath, `${this.columns.join(',')}\n`);
    }
    appendFileSync(this.csvPath, `${this.columns.map((c) => csvCell(record[c])).join(',')}\n`);
  }

  /** Records written so far (all runs appended to this log). */
  read(): LogRecord[] {
    if (!existsSync(this.jsonlPath)) return [];
    return readFileSync(this.jsonlPath, 'utf8')
      .split('\n')
      .filter((line) => line.length > 0)
      .map((line) => JSON.parse(line) as LogRecord);
  }
}

function csvCell(value: number | string | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
