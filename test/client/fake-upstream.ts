import type { ServerResponse } from "node:http";
import { type Recorded, recordingUpstream } from "../reliability/helpers/recording-upstream.js";

export type SeenRequest = Recorded;

type Reply = (req: SeenRequest, res: ServerResponse) => void;

/** A scripted loopback server: each request gets the next reply (the last one repeats). */
export async function fakeUpstream(replies: Reply[]) {
  const upstream = await recordingUpstream((req, res) => {
    const reply = replies[Math.min(upstream.seen.length - 1, replies.length - 1)];
    reply?.(req, res);
  });
  return upstream;
}

export const json =
  (status: number, body: unknown, headers: Record<string, string> = {}): Reply =>
  (_req, res) => {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(JSON.stringify(body));
  };

export const empty =
  (status: number): Reply =>
  (_req, res) => {
    res.writeHead(status);
    res.end();
  };

/** Drops the connection without answering: the request was received, the outcome is lost. */
export const drop: Reply = (_req, res) => {
  res.socket?.destroy();
};

export const hang: Reply = () => {};
