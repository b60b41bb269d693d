import { getCostReport, linkBillingAccount } from "../../src/operations/finance.js";
import { notFound } from "../errors.js";
import { DEMO } from "../seed.js";
import { costView } from "../views.js";
import { callerOf, certCentralOf, handler, noContent, ok } from "./types.js";

export const financeHandlers = {
  link_billing_account: handler(linkBillingAccount, { account_id: DEMO.subCerts }, (ctx) => {
    const account = callerOf(ctx).account;
    const certCentral = certCentralOf(ctx);
    // Re-linking replaces the previous link; there is no unlink endpoint (W23).
    ctx.store.linkBilling(account, certCentral);
    return noContent();
  }),

  get_subaccount_cost_report: handler(getCostReport, { subaccount_id: DEMO.subCerts }, (ctx) => {
    const certCentral = certCentralOf(ctx);
    const entry = certCentral.costs.get(ctx.params.subaccount_id);
    if (!entry) {
      throw notFound(
        `subaccount ${ctx.params.subaccount_id} is not a subaccount of this CertCentral account`,
      );
    }
    return ok(costView(entry));
  }),
};
