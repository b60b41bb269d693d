// The part of pg-copy-streams (no types of its own) that PgSnapshotStore uses.
declare module "pg-copy-streams" {
  import type { Writable } from "node:stream";
  import type { Submittable } from "pg";

  /** COPY ... FROM STDIN as a writable stream: pass it to client.query, write COPY text, end it. */
  export interface CopyStreamQuery extends Writable, Submittable {
    rowCount: number;
  }
  const copyStreams: { from(text: string): CopyStreamQuery };
  export default copyStreams;
}
