import { idParams } from "../../http/params";

export { tagNameSchema } from "../customers/schema";
export const tagParams = idParams("tagId");
