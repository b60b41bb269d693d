/** Outcome of one request: its HTTP status, or how a fault ended it without an answer. */
export type Outcome = string;

export interface OperationStats {
  total: number;
  outcomes: Record<Outcome, number>;
}

export interface StatsSnapshot {
  total: number;
  /** requests that matched no route (404) or a route with another method (405) */
  unmatched: number;
  operations: Record<string, OperationStats>;
}

/**
 * Per-operation request counts, so a test can assert "the create was received exactly once" even when the
 * client saw a dropped connection.
 */
export class Stats {
  private data: StatsSnapshot = { total: 0, unmatched: 0, operations: {} };

  record(operation: string | undefined, outcome: Outcome): void {
    this.data.total++;
    if (operation === undefined) {
      this.data.unmatched++;
      return;
    }
    let entry = this.data.operations[operation];
    if (!entry) {
      entry = { total: 0, outcomes: {} };
      this.data.operations[operation] = entry;
    }
    entry.total++;
    entry.outcomes[outcome] = (entry.outcomes[outcome] ?? 0) + 1;
  }

  /** Requests received for an operation, optionally only those that ended with one outcome ("201", "reset"). */
  count(operation: string, outcome?: Outcome | number): number {
    const entry = this.data.operations[operation];
    if (!entry) return 0;
    return outcome === undefined ? entry.total : (entry.outcomes[String(outcome)] ?? 0);
  }

  snapshot(): StatsSnapshot {
    return structuredClone(this.data);
  }

  clear(): void {
    this.data = { total: 0, unmatched: 0, operations: {} };
  }
}
