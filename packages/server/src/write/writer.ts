import type { StorageAdapter, WriteTransaction } from "@mpkit/storage";

interface Job {
  run(tx: WriteTransaction): Promise<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/**
 * Group commit: every write job submitted while a transaction is running waits for the next one, and
 * that transaction carries all of them. A job's promise resolves only after its transaction commits,
 * so the HTTP layer acknowledges nothing that is not durable.
 *
 * @example
 * ```ts
 * const writer = new Writer(storage);
 * await writer.submit((tx) => tx.insertEvents(1, events)); // committed when this resolves
 * ```
 */
export class Writer {
  private pending: Job[] = [];
  private running: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly storage: StorageAdapter) {}

  /** Runs `work` in the next group transaction. */
  submit<T>(work: (tx: WriteTransaction) => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error("the server is shutting down"));
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ run: work, resolve: resolve as (v: unknown) => void, reject });
      this.running ??= this.drain();
    });
  }

  private async drain(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      await this.commit(batch);
    }
    this.running = undefined;
  }

  private async commit(batch: Job[]): Promise<void> {
    try {
      const results = await this.storage.transaction(async (tx) => {
        const out: unknown[] = [];
        for (const job of batch) out.push(await job.run(tx));
        return out;
      });
      batch.forEach((job, i) => {
        job.resolve(results[i]);
      });
    } catch (error) {
      if (batch.length === 1) {
        batch[0]?.reject(error);
        return;
      }
      // One failing job must not fail the others: retry each in a transaction of its own.
      for (const job of batch) await this.commit([job]);
    }
  }

  /** Waits for everything submitted so far to commit, then refuses new work. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.running !== undefined) await this.running;
  }
}
