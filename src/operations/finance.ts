import { z } from "zod";
import { costReport } from "../schemas/entities.js";
import { lazy } from "../schemas/lazy.js";
import { id } from "../schemas/primitives.js";
import { defineOperation } from "./types.js";

export const linkBillingAccount = defineOperation({
  name: "link_billing_account",
  title: "Link CertCentral billing account",
  description:
    "Link the CertCentral billing account of DIGICERT_DEVKEY to this Partner account, replacing any previous link (unlinked subaccounts bill to the parent).",
  toolset: "finance",
  api: "partner",
  method: "PUT",
  path: "/finance/account-link",
  scope: "any+devkey",
  params: lazy(() => z.strictObject({})),
  body: undefined,
  response: undefined,
  effect: "destructive",
  idempotent: true,
  confirm: {
    describe: (input) =>
      `Link the CertCentral billing account of the configured DIGICERT_DEVKEY to ${
        input.account_id === undefined ? "the account of the default key" : `account ${input.account_id}`
      }: future orders bill to it, replacing any previous link.`,
  },
});

export const getCostReport = defineOperation({
  name: "get_subaccount_cost_report",
  title: "Get subaccount cost report",
  description:
    "CertCentral cost totals of a subaccount's orders, billed to it and to the parent; empty without orders.",
  toolset: "finance",
  api: "certcentral",
  method: "GET",
  path: "/account/subaccount/{subaccount_id}/report",
  scope: "devkey",
  params: lazy(() =>
    z.strictObject({
      subaccount_id: id("subaccount_id").describe("CertCentral's id; not known to equal the Partner id"),
    }),
  ),
  body: undefined,
  response: costReport,
  effect: "read",
  idempotent: true,
});

export const financeOperations = [linkBillingAccount, getCostReport] as const;
