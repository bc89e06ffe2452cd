import { idParams } from "../../http/params";

export { segmentFormSchema } from "../customers/schema";
export { apiPageSchema, segmentCreateSchema, segmentUpdateSchema } from "../customers/apiSchema";
export const segmentParams = idParams("segmentId");
