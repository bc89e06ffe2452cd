import type { Sequelize } from "sequelize";
import { ActivityLog } from "./ActivityLog";
import { Business } from "./Business";
import { Invitation } from "./Invitation";
import { Membership } from "./Membership";
import { Plan } from "./Plan";
import { RefreshToken } from "./RefreshToken";
import { Session } from "./Session";
import { User } from "./User";
import { UserToken } from "./UserToken";

export {
  ActivityLog,
  Business,
  Invitation,
  Membership,
  Plan,
  RefreshToken,
  Session,
  User,
  UserToken,
};

export type { TokenPurpose } from "./UserToken";
export type { LimitName, PlanLimits } from "./Plan";

export interface Models {
  User: typeof User;
  Session: typeof Session;
  Plan: typeof Plan;
  UserToken: typeof UserToken;
  Business: typeof Business;
  Membership: typeof Membership;
  Invitation: typeof Invitation;
  ActivityLog: typeof ActivityLog;
  RefreshToken: typeof RefreshToken;
}

/** Binds every model to one connection and wires the associations. */
export function initModels(sequelize: Sequelize): Models {
  const models: Models = {
    User: User.initModel(sequelize),
    Session: Session.initModel(sequelize),
    Plan: Plan.initModel(sequelize),
    UserToken: UserToken.initModel(sequelize),
    Business: Business.initModel(sequelize),
    Membership: Membership.initModel(sequelize),
    Invitation: Invitation.initModel(sequelize),
    ActivityLog: ActivityLog.initModel(sequelize),
    RefreshToken: RefreshToken.initModel(sequelize),
  };
  const { User: U, Session: S, Business: B, Membership: M, Invitation: I } = models;
  S.belongsTo(U, { foreignKey: "userId", as: "user" });
  U.hasMany(S, { foreignKey: "userId", as: "sessions" });
  M.belongsTo(B, { foreignKey: "businessId", as: "business" });
  M.belongsTo(U, { foreignKey: "userId", as: "user" });
  B.hasMany(M, { foreignKey: "businessId", as: "memberships" });
  B.belongsTo(U, { foreignKey: "ownerId", as: "owner" });
  I.belongsTo(B, { foreignKey: "businessId", as: "business" });
  return models;
}
