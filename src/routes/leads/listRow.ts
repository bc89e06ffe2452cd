import type { LeadRow } from "../../commands/leads/list";
import type { LeadStageInfo } from "../../commands/leads/stages";
import { formatDate } from "../../lib/dates";
import { displayPhone } from "../../lib/phone";
import { temperatureOf } from "../../models/Lead";
import { temperatureLabels } from "../../presenters/leads";
import { temperatureBadges } from "../../presenters/leadsViews";
import { moveOptions, stageLook } from "./leadView";

/**
 * A list row or Kanban card: only what those pages show (the lead page keeps presentLeadRow).
 * Stage names, badges and move choices are worked out once per stage for the page, not per row.
 */
export function listRowPresenter(stages: readonly LeadStageInfo[]) {
  const looks = new Map(stages.map((s) => [s.code, stageLook(stages, s.code)]));
  return (lead: LeadRow) => {
    const temperature = temperatureOf(lead.score);
    return {
      id: lead.id,
      name: [lead.firstName, lead.lastName].filter(Boolean).join(" "),
      company: lead.company,
      email: lead.email,
      phone: lead.phoneE164 ? displayPhone(lead.phoneE164) : null,
      source: lead.source,
      stage: lead.stage,
      ...(looks.get(lead.stage) ?? stageLook(stages, lead.stage)),
      score: lead.score,
      temperatureLabel: temperatureLabels[temperature],
      temperatureBadge: temperatureBadges[temperature],
      owner: lead.owner,
      nextAction: lead.nextAction,
      nextActionOn: lead.nextActionOn ? formatDate(lead.nextActionOn) : null,
    };
  };
}

/** The board's card: a row with where it can be moved by its own small form. */
export function boardCardPresenter(stages: readonly LeadStageInfo[]) {
  const row = listRowPresenter(stages);
  return (lead: LeadRow) => ({ ...row(lead), moveOptions: moveOptions(stages, lead) });
}
