import { buildTicket } from "../factoriesTickets";
import { buildDeal, buildPipeline } from "../factoriesDeals";
import { buildLead } from "../factoriesLeads";
import { buildForm } from "../factoriesForms";
import { businessLeadStages } from "../../src/commands/leads/stages";
import type { WalkRecords, WalkSeed } from "./phoneWidthSeed";

/** The phone-width walk's records for tickets, leads (notes, stages, scoring), deals and forms. */
export async function salesRecords(seed: WalkSeed): Promise<WalkRecords> {
  const { deps, owner, business, customers } = seed;
  const { models } = deps;

  // A ticket with a long subject whose first response is overdue, for its page.
  const ticket = await buildTicket(models, business, {
    subject: "The Deepavali bulk order arrived with twelve sarees missing from the second carton",
    customerId: customers[0]!.id,
    priority: "urgent",
    firstResponseDueAt: new Date(Date.now() - 3_600_000),
  });

  // A lead with long names and every detail filled, for the list, the board and its page.
  const lead = await buildLead(models, business, {
    firstName: "Venkatalakshmi",
    lastName: "Subramaniam-Raghavachari",
    company: "Subramaniam Silks and Sarees Emporium Private Limited",
    jobTitle: "Head of Procurement and Vendor Partnerships",
    email: "venkatalakshmi.subramaniam-raghavachari@subramaniam-silks.example.com",
    nextAction: "Send the festive season catalogue with the revised wholesale price list",
    nextActionOn: "2026-12-24",
    score: 82,
    stage: "qualified",
    interestedProducts: JSON.stringify(["Wholesale catalogue", "Loyalty programme"]),
    utmSource: "newsletter",
    landingPage: "https://subramaniam-silks.example.com/offers/festive-season-wholesale?ref=mail",
  });

  // A long note on the lead (its delete confirmation) and an added lead stage with a long name
  // (its remove confirmation; the stages page lists it).
  const leadNote = await models.LeadNote.create({
    businessId: business.id,
    leadId: lead.id,
    authorId: owner.id,
    body: "Asked for the festive season catalogue, the revised wholesale price list and samples of the Kanchipuram silk range before the showroom partners' meeting",
  });
  await businessLeadStages({ models }, business.id);
  const leadStage = await models.LeadStage.create({
    businessId: business.id,
    code: "cwalk",
    name: "Showroom visit booked with the procurement team",
    position: 3,
    kind: "open",
  });

  // Deals with long titles and a customer, in a stage of the default pipeline (board, list, page).
  const { pipeline, stages: dealStages } = await buildPipeline(models, business);
  const deal = await buildDeal(models, business, {
    title: "Annual maintenance contract for the Subramaniam silks showrooms across Tamil Nadu",
    customerId: customers[0]!.id,
    amountMinor: 1_25_00_000_00,
  });
  await buildDeal(models, business, {
    title: "Festive season display racks",
    stageId: dealStages[1]!.id,
    lastActivityAt: new Date(Date.now() - 40 * 86_400_000),
  });

  // A lead-capture form with a long title and long field labels (builder, field edit, submissions).
  const form = await buildForm(models, business, {
    title: "Subramaniam Silks festive season wholesale enquiry for showroom partners",
    fields: [
      {
        key: "f1",
        type: "dropdown",
        label: "Which of the Kanchipuram and Banarasi silk collections interest your showroom most",
        helpText: "Choose the collection the procurement team should send samples of first",
        required: true,
        options: ["Kanchipuram bridal collection with temple borders", "Banarasi brocade"],
        target: "",
      },
      {
        key: "f2",
        type: "email",
        label: "E-mail",
        helpText: null,
        required: true,
        options: [],
        target: "",
      },
    ],
  });

  return {
    ticketId: async () => String(ticket.id),
    leadId: async () => String(lead.id),
    noteId: async () => String(leadNote.id),
    code: async () => leadStage.code,
    ruleId: async () => {
      const rule = await models.LeadScoringRule.create({
        businessId: business.id,
        subject: "source",
        field: null,
        operator: "equals",
        value: "Referral from a showroom partner in Kanchipuram",
        points: 15,
        position: 0,
      });
      return String(rule.id);
    },
    dealId: async () => String(deal.id),
    pipelineId: async () => String(pipeline.id),
    stageId: async () => String(dealStages[1]!.id),
    formId: async () => String(form.id),
    fieldKey: async () => "f1",
  };
}
