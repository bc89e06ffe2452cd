import type { CreationAttributes } from "sequelize";
import type { Import, ImportChange, ImportRowError, Models } from "../src/models";
import { businessFor } from "./factoriesAccounts";
import { customerFor } from "./factoriesCustomers";

/** Factories for customer imports: the import, its rejected rows and the changes kept for undo. */

/**
 * A finished import of a business (built when not given), started by its owner, with no stored
 * file: history, error reports and undo have something to show.
 */
export async function buildImport(
  models: Models,
  overrides: Partial<CreationAttributes<Import>> = {},
): Promise<Import> {
  const business = await businessFor(models, overrides.businessId);
  return models.Import.create({
    userId: business.ownerId,
    fileName: "customers.csv",
    storedName: null,
    fileSize: 1024,
    format: "csv",
    status: "completed",
    settings: "{}",
    ...overrides,
    businessId: business.id,
  });
}

export async function importFor(models: Models, importId?: number): Promise<Import> {
  if (importId === undefined) return buildImport(models);
  const record = await models.Import.findByPk(importId);
  if (!record) throw new Error(`factories: no import ${importId}`);
  return record;
}

/** A row an import (built when not given) did not take. */
export async function buildImportRowError(
  models: Models,
  overrides: Partial<CreationAttributes<ImportRowError>> = {},
): Promise<ImportRowError> {
  const record = await importFor(models, overrides.importId);
  return models.ImportRowError.create({
    sourceRow: 2,
    kind: "invalid",
    rowValues: JSON.stringify(["Asha", "12"]),
    messages: JSON.stringify(["Enter a valid phone number."]),
    ...overrides,
    importId: record.id,
    businessId: record.businessId,
  });
}

/** A customer change an import (built when not given) made, kept for undo. */
export async function buildImportChange(
  models: Models,
  overrides: Partial<CreationAttributes<ImportChange>> = {},
): Promise<ImportChange> {
  const record = await importFor(models, overrides.importId);
  const customer = await customerFor(models, {
    businessId: record.businessId,
    customerId: overrides.customerId,
  });
  return models.ImportChange.create({
    beforeValues: JSON.stringify({ email: null }),
    afterValues: JSON.stringify({ email: "asha@example.test" }),
    addedTagIds: "[]",
    ...overrides,
    importId: record.id,
    businessId: record.businessId,
    customerId: customer.id,
  });
}
