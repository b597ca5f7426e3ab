// One fault scenario's report: a row of RELIABILITY.md's table, with the figures behind it.
export interface ScenarioResult {
  scenario: string;
  /** The fault, in one sentence. */
  what: string;
  /** What happened, in one sentence with the figures. */
  observed: string;
  /** From the fault to full recovery (the definition is in `details`); null when not applicable. */
  timeToRecoverSeconds: number | null;
  /** Nothing lost, nothing doubled, nothing done wrongly — the scenario's own checks. */
  nothingLost: boolean;
  details: Record<string, unknown>;
}
