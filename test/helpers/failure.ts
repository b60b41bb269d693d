import { DigiCertError } from "../../src/client/errors.js";

/** The DigiCertError a call rejects with; fails the test if it resolves or rejects with anything else. */
export async function failure(promise: Promise<unknown>): Promise<DigiCertError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof DigiCertError) return err;
    throw err;
  }
  throw new Error("expected a DigiCertError");
}
