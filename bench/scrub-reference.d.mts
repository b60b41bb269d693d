/** The fragment search before fix 11; see scrub-reference.mjs. */
export function before(text: string, secrets: readonly string[], fragment: number): string;
export function beforeDeep<T>(value: T, secrets: readonly string[], fragment: number): T;
