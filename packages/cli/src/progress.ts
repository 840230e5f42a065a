/** A one-line progress display on stderr, redrawn at most every 100 ms. */
export class Progress {
  private last = 0;
  private shown = false;
  constructor(
    private readonly write: (text: string) => void,
    private readonly enabled: boolean,
    private readonly label: string,
  ) {}

  update(text: string, fraction?: number, force = false): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (!force && now - this.last < 100) return;
    this.last = now;
    const bar = fraction === undefined ? "" : `${renderBar(fraction)} `;
    this.write(`\r${this.label} ${bar}${text}\u001b[K`);
    this.shown = true;
  }

  done(text: string): void {
    if (!this.enabled) return;
    this.update(text, undefined, true);
    if (this.shown) this.write("\n");
  }
}

/** `[#######-------] 50%` */
export function renderBar(fraction: number, width = 24): string {
  const clamped = Math.max(0, Math.min(1, fraction));
  const filled = Math.round(clamped * width);
  return `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${String(Math.floor(clamped * 100)).padStart(3)}%`;
}
