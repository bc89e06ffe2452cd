import type { Sequelize } from "sequelize";
import { Session } from "./Session";
import { User } from "./User";

export { Session, User };

export interface Models {
  User: typeof User;
  Session: typeof Session;
}

/** Binds every model to one connection and wires the associations. */
export function initModels(sequelize: Sequelize): Models {
  const models: Models = {
    User: User.initModel(sequelize),
    Session: Session.initModel(sequelize),
  };
  models.Session.belongsTo(models.User, { foreignKey: "userId", as: "user" });
  models.User.hasMany(models.Session, { foreignKey: "userId", as: "sessions" });
  return models;
}
