/** A place in a registry, as far as it is known. */
export interface Location {
  project?: string | undefined;
  release?: string | undefined;
  generation?: number | undefined;
  actor?: string | undefined;
}

/** Names a place the same way in every message: `iris 1.0.0 generation 3, actor "scaler"`. */
export function where(at: Location): string {
  const parts: string[] = [];
  if (at.project !== undefined) parts.push(at.project);
  if (at.release !== undefined) parts.push(at.release);
  if (at.generation !== undefined) parts.push(`generation ${at.generation}`);
  let text = parts.join(' ');
  if (at.actor !== undefined) text += `${text ? ', ' : ''}actor ${JSON.stringify(at.actor)}`;
  return text;
}

/** Quotes untrusted text for a one-line message: escapes control characters, caps the length. */
export function quote(text: string, max = 80): string {
  const shown = text.length > max ? `${text.slice(0, max)}…` : text;
  const quoted = JSON.stringify(shown);
  return text.length > max ? `${quoted} (${text.length} characters)` : quoted;
}
