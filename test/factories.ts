/**
 * Test data, the way the app writes it. Every `buildX(models, overrides)` builds the parents it
 * is not given (a note without a customer gets one, in a new business unless `businessId` names
 * one), so a test's set-up is a line per record it cares about.
 */
// The core factories by topic; topic modules of their own (factoriesLeads.ts, factoriesDeals.ts…)
// are imported from where they are.
export * from "./factoriesAccounts";
export * from "./factoriesCustomers";
export * from "./factoriesImports";
