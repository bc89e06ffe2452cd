import type { Sequelize } from "sequelize";
import { ActivityLog } from "./ActivityLog";
import { Payment, PaymentRefund, RazorpayEvent, Subscription } from "./Billing";
import { Business } from "./Business";
import { BusinessEvent } from "./BusinessEvent";
import { Customer } from "./Customer";
import { DashboardChecklist } from "./DashboardChecklist";
import { Deal, DealEvent, Pipeline, PipelineStage } from "./Deal";
import { Import, ImportChange, ImportRowError } from "./Import";
import { Invitation } from "./Invitation";
import { BillingDetails, Invoice, InvoiceCounter, InvoicePdf } from "./Invoice";
import { Membership } from "./Membership";
import { MessageTemplate } from "./MessageTemplate";
import { EmailSuppression, InboundMessage, MessagingChannel } from "./MessagingChannel";
import { Note } from "./Note";
import { PersonalToken } from "./PersonalToken";
import { Notification, ReminderRun } from "./Notification";
import { Plan } from "./Plan";
import { RefreshToken } from "./RefreshToken";
import { Segment } from "./Segment";
import { Session } from "./Session";
import { SocialAccount } from "./SocialAccount";
import { SocialAudit } from "./SocialAudit";
import { SocialMedia } from "./SocialMedia";
import { SocialPost, wireSocialPostAssociations } from "./SocialPost";
import { SocialPostTarget } from "./SocialPostTarget";
import { SocialPublishAttempt } from "./SocialPublishAttempt";
import { CustomerTag, Tag } from "./Tag";
import { Task } from "./Task";
import { Ticket, TicketCounter, TicketEvent, TicketMessage } from "./Ticket";
import { Lead, LeadEvent } from "./Lead";
import { LeadAssignmentMember, LeadAssignmentSettings, LeadScoringRule } from "./LeadSettings";
import { Campaign, CampaignMember, SalesTarget } from "./Campaign";
import { CampaignRecipient } from "./CampaignRecipient";
import { LeadNote, LeadStageRow } from "./LeadWork";
import { Form, FormSubmission } from "./Form";
import { TimelineEvent } from "./TimelineEvent";
import { User } from "./User";
import { UserToken } from "./UserToken";
import { WebhookDelivery, WebhookEndpoint, WebhookEvent } from "./Webhook";

export {
  ActivityLog,
  Payment,
  PaymentRefund,
  RazorpayEvent,
  Subscription,
  BillingDetails,
  Invoice,
  InvoiceCounter,
  InvoicePdf,
  Business,
  Customer,
  DashboardChecklist,
  BusinessEvent,
  CustomerTag,
  Deal,
  DealEvent,
  Import,
  ImportChange,
  ImportRowError,
  Invitation,
  Membership,
  MessageTemplate,
  MessagingChannel,
  InboundMessage,
  EmailSuppression,
  Note,
  Notification,
  PersonalToken,
  Pipeline,
  PipelineStage,
  Plan,
  RefreshToken,
  ReminderRun,
  Segment,
  Session,
  SocialAccount,
  SocialAudit,
  SocialMedia,
  SocialPost,
  SocialPostTarget,
  SocialPublishAttempt,
  Tag,
  Task,
  Ticket,
  TicketCounter,
  TicketEvent,
  TicketMessage,
  Campaign,
  CampaignMember,
  CampaignRecipient,
  SalesTarget,
  Lead,
  LeadEvent,
  LeadScoringRule,
  LeadAssignmentSettings,
  LeadAssignmentMember,
  LeadNote,
  LeadStageRow,
  Form,
  FormSubmission,
  TimelineEvent,
  User,
  UserToken,
  WebhookDelivery,
  WebhookEndpoint,
  WebhookEvent,
};

export type { TokenPurpose } from "./UserToken";
export type { BillingInterval, PaymentPurpose, PaymentStatus, SubscriptionStatus } from "./Billing";
export type { DealEventKind, StageKind } from "./Deal";
export type { LimitName, PlanLimits } from "./Plan";
export type { TaskPriority, TaskStatus } from "./Task";
export type {
  TicketChannel,
  TicketEventKind,
  TicketMessageKind,
  TicketPriority,
  TicketStatus,
} from "./Ticket";
export type { LeadEventKind, LeadStage, LeadTemperature } from "./Lead";
export type { ScoringOperator, ScoringSubject } from "./LeadSettings";
export type { CampaignChannel, CampaignPriority, CampaignStatus, ComplianceItem } from "./Campaign";
export type { ConsentRule, SendAudience, SendState } from "./Campaign";
export type { RecipientChannel, RecipientStatus } from "./CampaignRecipient";
export type { LeadStageKind } from "./LeadWork";
export type {
  FormAssignment,
  FormField,
  FormFieldType,
  FormKind,
  FormStatus,
  SubmissionOutcome,
} from "./Form";
export type { TimelineKind } from "./TimelineEvent";
export type { ChannelKind, ChannelStatus, InboundOutcome } from "./MessagingChannel";
export type { TemplateCategory, TemplateStatus } from "./MessageTemplate";
export type { SocialAccountStatus, SocialNetwork } from "./SocialAccount";
export type { SocialPostStatus } from "./SocialPost";
export type { SocialTargetStatus } from "./SocialPostTarget";
export type { AttemptOutcome } from "./SocialPublishAttempt";
export type { SocialAuditAction } from "./SocialAudit";
export type { DeliveryStatus } from "./Webhook";
export type { ImportErrorKind, ImportFormat, ImportMode, ImportStatus } from "./Import";
export type { InvoiceKind, PdfStatus, TaxMode } from "./Invoice";

export interface Models {
  User: typeof User;
  Subscription: typeof Subscription;
  Payment: typeof Payment;
  RazorpayEvent: typeof RazorpayEvent;
  PaymentRefund: typeof PaymentRefund;
  Session: typeof Session;
  Plan: typeof Plan;
  UserToken: typeof UserToken;
  Business: typeof Business;
  Membership: typeof Membership;
  Invitation: typeof Invitation;
  ActivityLog: typeof ActivityLog;
  RefreshToken: typeof RefreshToken;
  Customer: typeof Customer;
  DashboardChecklist: typeof DashboardChecklist;
  BusinessEvent: typeof BusinessEvent;
  Tag: typeof Tag;
  CustomerTag: typeof CustomerTag;
  Note: typeof Note;
  TimelineEvent: typeof TimelineEvent;
  Task: typeof Task;
  Segment: typeof Segment;
  Notification: typeof Notification;
  ReminderRun: typeof ReminderRun;
  Import: typeof Import;
  ImportRowError: typeof ImportRowError;
  ImportChange: typeof ImportChange;
  PersonalToken: typeof PersonalToken;
  WebhookEndpoint: typeof WebhookEndpoint;
  WebhookEvent: typeof WebhookEvent;
  WebhookDelivery: typeof WebhookDelivery;
  Pipeline: typeof Pipeline;
  PipelineStage: typeof PipelineStage;
  Deal: typeof Deal;
  DealEvent: typeof DealEvent;
  Ticket: typeof Ticket;
  TicketCounter: typeof TicketCounter;
  TicketMessage: typeof TicketMessage;
  TicketEvent: typeof TicketEvent;
  Lead: typeof Lead;
  LeadEvent: typeof LeadEvent;
  LeadScoringRule: typeof LeadScoringRule;
  LeadAssignmentSettings: typeof LeadAssignmentSettings;
  LeadAssignmentMember: typeof LeadAssignmentMember;
  Campaign: typeof Campaign;
  CampaignMember: typeof CampaignMember;
  CampaignRecipient: typeof CampaignRecipient;
  SalesTarget: typeof SalesTarget;
  Invoice: typeof Invoice;
  InvoiceCounter: typeof InvoiceCounter;
  InvoicePdf: typeof InvoicePdf;
  BillingDetails: typeof BillingDetails;
  LeadNote: typeof LeadNote;
  LeadStage: typeof LeadStageRow;
  Form: typeof Form;
  FormSubmission: typeof FormSubmission;
  MessagingChannel: typeof MessagingChannel;
  InboundMessage: typeof InboundMessage;
  EmailSuppression: typeof EmailSuppression;
  MessageTemplate: typeof MessageTemplate;
  SocialAccount: typeof SocialAccount;
  SocialPost: typeof SocialPost;
  SocialPostTarget: typeof SocialPostTarget;
  SocialPublishAttempt: typeof SocialPublishAttempt;
  SocialMedia: typeof SocialMedia;
  SocialAudit: typeof SocialAudit;
}

/** Binds every model to one connection and wires the associations. */
export function initModels(sequelize: Sequelize): Models {
  const models: Models = {
    User: User.initModel(sequelize),
    Subscription: Subscription.initModel(sequelize),
    Payment: Payment.initModel(sequelize),
    RazorpayEvent: RazorpayEvent.initModel(sequelize),
    PaymentRefund: PaymentRefund.initModel(sequelize),
    Session: Session.initModel(sequelize),
    Plan: Plan.initModel(sequelize),
    UserToken: UserToken.initModel(sequelize),
    Business: Business.initModel(sequelize),
    Membership: Membership.initModel(sequelize),
    Invitation: Invitation.initModel(sequelize),
    ActivityLog: ActivityLog.initModel(sequelize),
    RefreshToken: RefreshToken.initModel(sequelize),
    Customer: Customer.initModel(sequelize),
    DashboardChecklist: DashboardChecklist.initModel(sequelize),
    BusinessEvent: BusinessEvent.initModel(sequelize),
    Tag: Tag.initModel(sequelize),
    CustomerTag: CustomerTag.initModel(sequelize),
    Note: Note.initModel(sequelize),
    TimelineEvent: TimelineEvent.initModel(sequelize),
    Task: Task.initModel(sequelize),
    Segment: Segment.initModel(sequelize),
    Notification: Notification.initModel(sequelize),
    ReminderRun: ReminderRun.initModel(sequelize),
    Import: Import.initModel(sequelize),
    ImportRowError: ImportRowError.initModel(sequelize),
    ImportChange: ImportChange.initModel(sequelize),
    PersonalToken: PersonalToken.initModel(sequelize),
    WebhookEndpoint: WebhookEndpoint.initModel(sequelize),
    WebhookEvent: WebhookEvent.initModel(sequelize),
    WebhookDelivery: WebhookDelivery.initModel(sequelize),
    Pipeline: Pipeline.initModel(sequelize),
    PipelineStage: PipelineStage.initModel(sequelize),
    Deal: Deal.initModel(sequelize),
    DealEvent: DealEvent.initModel(sequelize),
    Ticket: Ticket.initModel(sequelize),
    TicketCounter: TicketCounter.initModel(sequelize),
    TicketMessage: TicketMessage.initModel(sequelize),
    TicketEvent: TicketEvent.initModel(sequelize),
    Lead: Lead.initModel(sequelize),
    LeadEvent: LeadEvent.initModel(sequelize),
    LeadScoringRule: LeadScoringRule.initModel(sequelize),
    LeadAssignmentSettings: LeadAssignmentSettings.initModel(sequelize),
    LeadAssignmentMember: LeadAssignmentMember.initModel(sequelize),
    Campaign: Campaign.initModel(sequelize),
    CampaignMember: CampaignMember.initModel(sequelize),
    CampaignRecipient: CampaignRecipient.initModel(sequelize),
    SalesTarget: SalesTarget.initModel(sequelize),
    Invoice: Invoice.initModel(sequelize),
    InvoiceCounter: InvoiceCounter.initModel(sequelize),
    InvoicePdf: InvoicePdf.initModel(sequelize),
    BillingDetails: BillingDetails.initModel(sequelize),
    LeadNote: LeadNote.initModel(sequelize),
    LeadStage: LeadStageRow.initModel(sequelize),
    Form: Form.initModel(sequelize),
    FormSubmission: FormSubmission.initModel(sequelize),
    MessagingChannel: MessagingChannel.initModel(sequelize),
    InboundMessage: InboundMessage.initModel(sequelize),
    EmailSuppression: EmailSuppression.initModel(sequelize),
    MessageTemplate: MessageTemplate.initModel(sequelize),
    SocialAccount: SocialAccount.initModel(sequelize),
    SocialPost: SocialPost.initModel(sequelize),
    SocialPostTarget: SocialPostTarget.initModel(sequelize),
    SocialPublishAttempt: SocialPublishAttempt.initModel(sequelize),
    SocialMedia: SocialMedia.initModel(sequelize),
    SocialAudit: SocialAudit.initModel(sequelize),
  };
  const { User: U, Session: S, Business: B, Membership: M, Invitation: I } = models;
  S.belongsTo(U, { foreignKey: "userId", as: "user" });
  U.hasMany(S, { foreignKey: "userId", as: "sessions" });
  M.belongsTo(B, { foreignKey: "businessId", as: "business" });
  M.belongsTo(U, { foreignKey: "userId", as: "user" });
  B.hasMany(M, { foreignKey: "businessId", as: "memberships" });
  B.belongsTo(U, { foreignKey: "ownerId", as: "owner" });
  I.belongsTo(B, { foreignKey: "businessId", as: "business" });
  wireCustomerAssociations(models);
  wireDealAssociations(models);
  models.Import.belongsTo(U, { foreignKey: "userId", as: "user" });
  models.Import.belongsTo(U, { foreignKey: "revertedById", as: "revertedBy" });
  wireTicketAssociations(models);
  models.Lead.belongsTo(models.User, { foreignKey: "ownerId", as: "owner" });
  models.LeadEvent.belongsTo(models.User, { foreignKey: "actorId", as: "actor" });
  models.LeadAssignmentMember.belongsTo(models.User, { foreignKey: "userId", as: "user" });
  models.Campaign.belongsTo(models.User, { foreignKey: "ownerId", as: "owner" });
  models.Campaign.hasMany(models.CampaignMember, { foreignKey: "campaignId", as: "members" });
  models.CampaignMember.belongsTo(models.User, { foreignKey: "userId", as: "user" });
  models.LeadNote.belongsTo(models.User, { foreignKey: "authorId", as: "author" });
  wireSocialPostAssociations(models);
  return models;
}

function wireCustomerAssociations(models: Models): void {
  const {
    Customer: C,
    Tag: T,
    CustomerTag: CT,
    Note: N,
    TimelineEvent: E,
    Task: K,
    User: U,
  } = models;
  C.belongsToMany(T, { through: CT, foreignKey: "customerId", otherKey: "tagId", as: "tags" });
  T.belongsToMany(C, { through: CT, foreignKey: "tagId", otherKey: "customerId", as: "customers" });
  C.belongsTo(U, { foreignKey: "ownerId", as: "owner" });
  N.belongsTo(U, { foreignKey: "authorId", as: "author" });
  E.belongsTo(U, { foreignKey: "actorId", as: "actor" });
  K.belongsTo(C, { foreignKey: "customerId", as: "customer" });
  K.belongsTo(U, { foreignKey: "assigneeId", as: "assignee" });
}

function wireDealAssociations(models: Models): void {
  const { Pipeline: P, PipelineStage: S, Deal: D, DealEvent: E, Customer: C, User: U } = models;
  P.hasMany(S, { foreignKey: "pipelineId", as: "stages" });
  D.belongsTo(S, { foreignKey: "stageId", as: "stage" });
  D.belongsTo(C, { foreignKey: "customerId", as: "customer" });
  D.belongsTo(U, { foreignKey: "ownerId", as: "owner" });
  E.belongsTo(U, { foreignKey: "actorId", as: "actor" });
}

function wireTicketAssociations(models: Models): void {
  const { Ticket: T, TicketMessage: M, TicketEvent: E, Customer: C, User: U } = models;
  T.belongsTo(C, { foreignKey: "customerId", as: "customer" });
  T.belongsTo(U, { foreignKey: "assigneeId", as: "assignee" });
  M.belongsTo(U, { foreignKey: "authorId", as: "author" });
  E.belongsTo(U, { foreignKey: "actorId", as: "actor" });
}
