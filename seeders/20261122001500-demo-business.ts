import type { Seeder } from "../src/db/migrator";
import { businessScope, tenantWhere } from "../src/tenancy/scope";
import { demoEmail } from "./20261122000100-demo-account";

export const demoBusinessName = "Demo Traders";

/** The demo account's business, on the Gold plan so a demo shows every feature. */
export const up: Seeder = async ({ context }) => {
  const { models, sequelize } = context;
  const owner = await models.User.findOne({ where: { email: demoEmail } });
  if (!owner) return;
  if ((await models.Business.count({ where: { ownerId: owner.id } })) > 0) return;
  await sequelize.transaction(async (transaction) => {
    await owner.update({ planCode: "gold" }, { transaction });
    const business = await models.Business.create(
      {
        ownerId: owner.id,
        name: demoBusinessName,
        category: "Retail",
        description: "A sample business to explore the CRM with.",
        phone: "+919876543210",
        whatsapp: "+919876543210",
        country: "IN",
        timeZone: "Asia/Kolkata",
        currency: "INR",
      },
      { transaction },
    );
    await models.Membership.create(
      { businessId: business.id, userId: owner.id, role: "owner" },
      { transaction },
    );
  });
};

export const down: Seeder = async ({ context }) => {
  const owner = await context.models.User.findOne({ where: { email: demoEmail } });
  if (!owner) return;
  const business = await context.models.Business.findOne({
    where: { ownerId: owner.id, name: demoBusinessName },
  });
  if (!business) return;
  await context.models.Membership.destroy({
    where: tenantWhere(businessScope(business.id), context.models.Membership),
  });
  await business.destroy();
};
