import type { Dispatcher } from "undici";
import { type AnswerShape, answerShape } from "../client/answer.js";
import { DigiCertClient, type Timeouts } from "../client/client.js";
import type { Credentials } from "../client/credentials.js";
import { DigiCertError } from "../client/errors.js";
import { getOperation, type OperationName } from "../operations/index.js";
import type { KeySource, ReadReport } from "./types.js";

/** What one GET gave: a 2xx answer (with drift when not in the expected form), or the failure. */
export type Outcome =
  | { ok: true; status: number; data: unknown; drift: boolean }
  | { ok: false; status?: number; message: string };

export interface ReadsOptions {
  baseUrl: string;
  dispatcher: Dispatcher;
  timeouts: Partial<Timeouts>;
  /** every configured key, so no error text can carry one */
  secrets: readonly string[];
}

/**
 * Sends the doctor's GETs, each with exactly one configured key, and keeps a record of each (status and the
 * answer's redacted shape). Only read operations of the catalog can be sent; the same read with the same key is
 * sent once.
 */
export class Reads {
  readonly log: ReadReport[] = [];
  private readonly clients = new Map<string, { client: DigiCertClient; last?: AnswerShape }>();
  private readonly done = new Map<string, Promise<Outcome>>();

  constructor(private readonly options: ReadsOptions) {}

  get(source: KeySource, name: OperationName, input: Record<string, unknown> = {}): Promise<Outcome> {
    const op = getOperation(name);
    if (op.method !== "GET" || op.effect !== "read") throw new Error(`doctor: ${name} is not a read`);
    const id = `${source.role}\0${source.key}\0${name}\0${JSON.stringify(input)}`;
    let outcome = this.done.get(id);
    if (!outcome) {
      outcome = this.send(source, name, input);
      this.done.set(id, outcome);
    }
    return outcome;
  }

  private slot(source: KeySource) {
    const id = `${source.role}\0${source.key}`;
    let slot = this.clients.get(id);
    if (!slot) {
      // one key per client: whatever the operation's scope, this key (and only it) is sent
      const credentials: Credentials =
        source.role === "devkey"
          ? { devkey: source.key }
          : { parentKey: source.key, subaccountKey: source.key };
      const created: { client: DigiCertClient; last?: AnswerShape } = {
        client: new DigiCertClient({
          baseUrl: this.options.baseUrl,
          credentials,
          dispatcher: this.options.dispatcher,
          timeouts: this.options.timeouts,
          secrets: this.options.secrets,
          userAgent: "digicert-partner-mcp doctor",
          onAnswer: (op, _status, text) => {
            created.last = answerShape(op, text);
          },
        }),
      };
      slot = created;
      this.clients.set(id, slot);
    }
    return slot;
  }

  private async send(
    source: KeySource,
    name: OperationName,
    input: Record<string, unknown>,
  ): Promise<Outcome> {
    const slot = this.slot(source);
    slot.last = undefined;
    const read: ReadReport = { operation: name, key: source.role };
    this.log.push(read);
    try {
      const result = await slot.client.call(name, input);
      read.status = result.status;
      if (result.drift) read.drift = result.drift;
      read.shape = slot.last;
      return { ok: true, status: result.status, data: result.data, drift: Boolean(result.drift) };
    } catch (err) {
      const status = err instanceof DigiCertError ? err.status : undefined;
      read.status = status;
      const message = err instanceof Error ? err.message : String(err);
      return { ok: false, status, message: slot.client.scrub(message) };
    }
  }
}
