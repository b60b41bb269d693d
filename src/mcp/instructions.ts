/** Sent once at initialize; clients that surface it give the agent the rules that hold for every tool. */
export const SERVER_INSTRUCTIONS = [
  "DigiCert Partner Subscriptions: API keys, ACME contracts and their EAB credentials, subaccounts, emergency emails, settings, billing link.",
  "Keys: each tool says which key it needs. [parent key] tools use the parent account's key; ACME tools need the key of the subaccount that owns the contract; [parent or subaccount key] tools act on the account owning the key. Pass account_id to use the configured key of that subaccount; omit it for the default key.",
  "Confirmation: tools that cancel, remove, revoke, deactivate, replace or relink first return status confirmation_required with a preview and a confirmation_token, and change nothing. Show the preview to the user; only if they agree, call the same tool again with the same arguments plus confirmation_token. Tokens work once and expire; if the target changed meanwhile, ask for a new preview.",
  "Reporting: snapshot_id is an id from resources/list (digicert://reporting/snapshots/…); omitted, the latest snapshot (refetched when stale).",
  "Secrets DigiCert shows once (new API keys, EAB hmac_key) are in the result: give them to the user to store right away.",
].join("\n");
