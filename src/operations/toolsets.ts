/**
 * The named groups of tools, declared once: `--toolsets`, the tokens file, the OAuth grants file, the README and
 * the help text read them from here. A tool's toolset is a field of its catalog entry (or reporting tool), so
 * the members of each group follow from the entries.
 */
export const TOOLSET_INFO = [
  {
    name: "api_keys",
    description: "Partner API keys: list, get, create for a subaccount, activate or deactivate",
  },
  { name: "acme", description: "ACME contracts, their SANs, certificates and EAB credentials" },
  { name: "account", description: "subaccounts, emergency contact emails and account settings" },
  { name: "reporting", description: "ACME reporting across subaccounts, its snapshots, summaries and diffs" },
  { name: "finance", description: "the CertCentral billing link and the subaccount cost report" },
] as const;

export type Toolset = (typeof TOOLSET_INFO)[number]["name"];

export const TOOLSETS: readonly Toolset[] = TOOLSET_INFO.map((t) => t.name);
