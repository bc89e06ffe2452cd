import { routes, type Endpoint } from "../../http/endpoint";
import { scoringSettingsAction } from "../../commands/leads/scoringRules";
import {
  addRule,
  confirmRemoveRule,
  loadRule,
  loadScoredLead,
  removeRule,
  renderAssignmentFailure,
  renderRuleFailure,
  saveAssignment,
  saveRule,
  scoreBack,
  setOverride,
  showAssignment,
  showEditRule,
  showRules,
} from "./pages";
import {
  assignmentFormSchema,
  confirmedSchema,
  overrideFormSchema,
  ruleFormSchema,
  ruleParams,
  scoreParams,
} from "./schema";

/**
 * Lead scoring rules (/settings/lead-scoring), round-robin assignment (/settings/lead-assignment)
 * and a lead's score set by hand (POST /leads/:leadId/score, from the lead page). The settings are
 * the sales process's: owners, admins and managers (pipelines.manage), on plans with leads.
 */
const page = routes({ auth: "page", feature: "leads" });
const base = "/settings/lead-scoring";
const one = `${base}/:ruleId`;
const withRule = { params: ruleParams, load: loadRule };
const shows = ["validation_failed", "conflict"] as const;

export const leadSettingsEndpoints: Endpoint[] = [
  page.get(base, scoringSettingsAction, { handler: showRules }),
  page.post(base, scoringSettingsAction, {
    body: ruleFormSchema,
    form: { render: renderRuleFailure, shows },
    handler: addRule,
  }),
  page.get(`${one}/edit`, scoringSettingsAction, { ...withRule, handler: showEditRule }),
  page.post(one, scoringSettingsAction, {
    ...withRule,
    body: ruleFormSchema,
    form: { render: renderRuleFailure, shows },
    handler: saveRule,
  }),
  page.get(`${one}/delete`, scoringSettingsAction, { ...withRule, handler: confirmRemoveRule }),
  page.post(`${one}/delete`, scoringSettingsAction, {
    ...withRule,
    body: confirmedSchema,
    handler: removeRule,
  }),
  page.get("/settings/lead-assignment", scoringSettingsAction, { handler: showAssignment }),
  page.post("/settings/lead-assignment", scoringSettingsAction, {
    body: assignmentFormSchema,
    form: { render: renderAssignmentFailure, shows },
    handler: saveAssignment,
  }),
  page.post("/leads/:leadId/score", "leads.manage", {
    params: scoreParams,
    load: loadScoredLead,
    body: overrideFormSchema,
    form: { back: scoreBack, shows },
    handler: setOverride,
  }),
];
