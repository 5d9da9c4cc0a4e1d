/** Files the user downloads: CSV text, JSON text, safe file names, and the download itself. */
import type { Cell, DataTable } from './sceneExports';

/** RFC 4180 field: numbers in full (shortest round-trip) precision; non-finite numbers empty. */
function csvField(cell: Cell): string {
  if (cell === null) return '';
  if (typeof cell === 'number') return Number.isFinite(cell) ? String(cell) : '';
  return /[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}

export function toCsv(table: DataTable): string {
  const lines = [table.columns, ...table.rows].map((row) => row.map(csvField).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** JSON with non-finite numbers written as null (JSON has no NaN) and typed arrays as arrays. */
export function toJson(value: unknown): string {
  return `${JSON.stringify(
    value,
    (_key, v: unknown) => {
      if (typeof v === 'number' && !Number.isFinite(v)) return null;
      if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as Float64Array);
      return v;
    },
    2,
  )}\n`;
}

/** Lower-case words joined by hyphens, at most 48 characters: for file names. */
export function slug(text: string): string {
  const words = text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return words.slice(0, 48).replace(/-+$/, '') || 'view';
}

export function download(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started from the URL; keep it alive a little for slow browsers.
  setTimeout(() => {
    URL.revokeObjectURL(url);
  }, 30_000);
}
