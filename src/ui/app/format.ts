/** "2026-12-01 12:13:41 UTC": times as stored (UTC), to the second. */
export function time(iso: string | null): string {
  if (iso === null) return '—';
  const match = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)/.exec(iso);
  return match ? `${match[1]} ${match[2]} UTC` : iso;
}

/** A metric as people read it: at most four decimals (the exact value is in the title). */
export function metric(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  return String(Number(value.toFixed(4)));
}

export function signed(value: number | null): string {
  if (value === null) return '—';
  const text = metric(value);
  return value > 0 ? `+${text}` : text;
}

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/** "sha256:abcd…" shortened to its first 12 hex digits. */
export function digest(d: string): string {
  const hex = d.replace(/^sha256:/, '');
  return hex.slice(0, 12);
}
