import { randomBytes } from "node:crypto";
import { open, rename, rm } from "node:fs/promises";
import { homedir } from "node:os";
import { basename, dirname, join } from "node:path";

export const APP_DIR = "digicert-partner-mcp";
/** Temp files start with this; anything named so is never read as data. */
export const TEMP_PREFIX = ".tmp-";

/**
 * Where state lives when no directory is configured: $XDG_STATE_HOME/digicert-partner-mcp, else
 * ~/.local/state/digicert-partner-mcp (%LOCALAPPDATA% on Windows, where XDG is not a convention).
 */
export function defaultDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  const xdg = env.XDG_STATE_HOME?.trim();
  if (xdg) return join(xdg, APP_DIR);
  if (platform === "win32" && env.LOCALAPPDATA) return join(env.LOCALAPPDATA, APP_DIR);
  return join(env.HOME?.trim() || homedir(), ".local", "state", APP_DIR);
}

/**
 * Replaces `path` with `data` so that a reader (or a crash) sees either the old file or the new one, never a
 * part: write a temp file in the same directory, fsync it, rename it over the target, fsync the directory.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const dir = dirname(path);
  const temp = join(dir, `${TEMP_PREFIX}${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}`);
  try {
    const file = await open(temp, "wx", 0o600);
    try {
      await file.writeFile(data);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw err;
  }
  await syncDir(dir);
}

/** Makes a rename durable. Directories cannot be opened for fsync on Windows; there the rename is enough. */
async function syncDir(dir: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(dir, "r");
    await handle.sync();
  } catch {
    // not supported on this platform or file system
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
