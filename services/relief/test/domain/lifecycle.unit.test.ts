// The application life cycle as Given/When/Then tables: every transition (decided, proposed,
// confirmed, overturned), every four-eyes rule, and "a mandatory grant cannot be declined"
// (银发〔2020〕122号, 2020-06-01: 应延尽延).
import t from 'tap'
import {
  APPLICATION_STATUSES,
  decideLifecycle,
  REFUSAL_STATUS,
  REFUSALS,
  type ApplicationState,
  type LifecycleChange,
  type LifecycleCommand,
  type ProposalState,
  type RefusalCode,
} from '../../src/domain/index.js'

// What the rules left to review: a referral or an approval has terms and no binding hard rule; a
// decline rests on the hard rules that failed (here the legal cap of an extension).
const OPEN = { mandatory: false, binding: [], hasTerms: true } as const
const AWAITING: ApplicationState = { status: 'awaiting-score', version: 1, revision: 0, finalOutcome: null, decidedBy: null, automated: null }
const REFERRED: ApplicationState = { status: 'referred', version: 2, revision: 0, finalOutcome: null, decidedBy: null, automated: OPEN }
const APPROVED_BY_RULES: ApplicationState = { status: 'approved', version: 2, revision: 1, finalOutcome: 'APPROVED', decidedBy: 'rules', automated: OPEN }
const MANDATORY_GRANT: ApplicationState = { ...APPROVED_BY_RULES, automated: { ...OPEN, mandatory: true } }
const DECLINED_BY_RULES: ApplicationState = { status: 'declined', version: 2, revision: 1, finalOutcome: 'DECLINED', decidedBy: 'rules', automated: { mandatory: false, binding: ['EXTENSION_CAP'], hasTerms: false } }
const APPROVED_ON_REVIEW: ApplicationState = { status: 'approved', version: 3, revision: 2, finalOutcome: 'APPROVED', decidedBy: 'review', automated: OPEN }
const DECLINED_ON_REVIEW: ApplicationState = { status: 'declined', version: 3, revision: 1, finalOutcome: 'DECLINED', decidedBy: 'review', automated: OPEN }

const WITHDRAWN: ApplicationState = { status: 'withdrawn', version: 3, revision: 0, finalOutcome: null, decidedBy: null, automated: OPEN }

const proposal = (over: Partial<ProposalState> = {}): ProposalState => ({ id: 'p1', outcome: 'APPROVED', proposedBy: 'li', status: 'pending', applicationVersion: 2, ...over })

interface Row {
  readonly name: string
  readonly given: ApplicationState
  readonly when: LifecycleCommand
  readonly then: LifecycleChange | RefusalCode
}

const TRANSITIONS: readonly Row[] = [
  // Decided by the rules: only an application awaiting its score.
  {
    name: 'awaiting score, the rules approve → approved, final revision 1',
    given: AWAITING,
    when: { kind: 'decide', outcome: 'APPROVED', mandatory: false },
    then: { kind: 'decided', status: 'approved', final: { outcome: 'APPROVED', decidedBy: 'rules', revision: 1 } },
  },
  {
    name: 'awaiting score, the rules grant a mandatory deferral → approved, final',
    given: AWAITING,
    when: { kind: 'decide', outcome: 'APPROVED', mandatory: true },
    then: { kind: 'decided', status: 'approved', final: { outcome: 'APPROVED', decidedBy: 'rules', revision: 1 } },
  },
  {
    name: 'awaiting score, the rules decline → declined, final revision 1',
    given: AWAITING,
    when: { kind: 'decide', outcome: 'DECLINED', mandatory: false },
    then: { kind: 'decided', status: 'declined', final: { outcome: 'DECLINED', decidedBy: 'rules', revision: 1 } },
  },
  { name: 'awaiting score, the rules refer → referred, nothing final', given: AWAITING, when: { kind: 'decide', outcome: 'REFERRED', mandatory: false }, then: { kind: 'decided', status: 'referred', final: null } },
  { name: 'referred, the rules decide again (a late score) → refused', given: REFERRED, when: { kind: 'decide', outcome: 'APPROVED', mandatory: false }, then: 'LC_NOT_AWAITING_SCORE' },
  { name: 'approved, the rules decide again → refused', given: APPROVED_BY_RULES, when: { kind: 'decide', outcome: 'DECLINED', mandatory: false }, then: 'LC_NOT_AWAITING_SCORE' },

  // Proposed: referrals and rules outcomes are reviewable; nothing else.
  { name: 'referred, an officer proposes APPROVED → proposed, overturns nothing', given: REFERRED, when: { kind: 'propose', outcome: 'APPROVED', by: 'li' }, then: { kind: 'proposed', overturns: null } },
  { name: 'referred, an officer proposes DECLINED → proposed, overturns nothing', given: REFERRED, when: { kind: 'propose', outcome: 'DECLINED', by: 'li' }, then: { kind: 'proposed', overturns: null } },
  { name: 'approved by the rules, an officer proposes DECLINED (a withdrawal) → proposed overturn', given: APPROVED_BY_RULES, when: { kind: 'propose', outcome: 'DECLINED', by: 'li' }, then: { kind: 'proposed', overturns: 'APPROVED' } },
  { name: 'approved by the rules, an officer proposes APPROVED → refused, nothing to change', given: APPROVED_BY_RULES, when: { kind: 'propose', outcome: 'APPROVED', by: 'li' }, then: 'LC_SAME_OUTCOME' },
  { name: 'declined by the rules, an officer proposes DECLINED → refused', given: DECLINED_BY_RULES, when: { kind: 'propose', outcome: 'DECLINED', by: 'li' }, then: 'LC_SAME_OUTCOME' },
  { name: 'awaiting score, an officer proposes → refused, nothing to review yet', given: AWAITING, when: { kind: 'propose', outcome: 'APPROVED', by: 'li' }, then: 'LC_AWAITING_SCORE' },
  { name: 'approved on review, an officer proposes DECLINED → refused, closed to review', given: APPROVED_ON_REVIEW, when: { kind: 'propose', outcome: 'DECLINED', by: 'li' }, then: 'LC_DECIDED_ON_REVIEW' },
  { name: 'declined on review, an officer proposes APPROVED → refused, closed to review', given: DECLINED_ON_REVIEW, when: { kind: 'propose', outcome: 'APPROVED', by: 'li' }, then: 'LC_DECIDED_ON_REVIEW' },
  { name: 'a proposal naming the version it was made on, current → proposed', given: REFERRED, when: { kind: 'propose', outcome: 'APPROVED', by: 'li', applicationVersion: 2 }, then: { kind: 'proposed', overturns: null } },
  { name: 'a proposal naming an older version → refused, reload', given: REFERRED, when: { kind: 'propose', outcome: 'APPROVED', by: 'li', applicationVersion: 1 }, then: 'LC_STALE_VERSION' },

  // Confirmed by a second person: the final outcome on review, revision + 1.
  {
    name: 'referred, officer B confirms A\'s APPROVED → approved on review, revision 1',
    given: REFERRED,
    when: { kind: 'confirm', proposal: proposal(), by: 'wang' },
    then: { kind: 'confirmed', status: 'approved', final: { outcome: 'APPROVED', decidedBy: 'review', revision: 1 }, overturned: null },
  },
  {
    name: 'referred, officer B confirms A\'s DECLINED → declined on review, revision 1',
    given: REFERRED,
    when: { kind: 'confirm', proposal: proposal({ outcome: 'DECLINED' }), by: 'wang' },
    then: { kind: 'confirmed', status: 'declined', final: { outcome: 'DECLINED', decidedBy: 'review', revision: 1 }, overturned: null },
  },
  // Overturned: a confirmed review against the rules' final outcome.
  {
    name: 'approved by the rules, B confirms A\'s DECLINED → overturned, declined, revision 2',
    given: APPROVED_BY_RULES,
    when: { kind: 'confirm', proposal: proposal({ outcome: 'DECLINED' }), by: 'wang' },
    then: { kind: 'confirmed', status: 'declined', final: { outcome: 'DECLINED', decidedBy: 'review', revision: 2 }, overturned: 'APPROVED' },
  },
]

const FOUR_EYES: readonly Row[] = [
  { name: 'the proposer confirms their own proposal → refused (four eyes)', given: REFERRED, when: { kind: 'confirm', proposal: proposal(), by: 'li' }, then: 'LC_OWN_PROPOSAL' },
  {
    name: 'the proposer confirms their own overturn → refused, before anything else is looked at',
    given: APPROVED_ON_REVIEW,
    when: { kind: 'confirm', proposal: proposal({ status: 'superseded', applicationVersion: 1 }), by: 'li' },
    then: 'LC_OWN_PROPOSAL',
  },
  { name: 'a confirmed proposal confirmed again → refused', given: REFERRED, when: { kind: 'confirm', proposal: proposal({ status: 'confirmed' }), by: 'wang' }, then: 'LC_PROPOSAL_NOT_PENDING' },
  { name: 'a superseded proposal confirmed → refused (only the latest counts)', given: REFERRED, when: { kind: 'confirm', proposal: proposal({ status: 'superseded' }), by: 'wang' }, then: 'LC_PROPOSAL_NOT_PENDING' },
  { name: 'the application changed since the proposal → refused', given: REFERRED, when: { kind: 'confirm', proposal: proposal({ applicationVersion: 1 }), by: 'wang' }, then: 'LC_STALE_VERSION' },
  {
    name: 'a proposal on an application without an automated decision → refused',
    given: { ...AWAITING, version: 2 },
    when: { kind: 'confirm', proposal: proposal(), by: 'wang' },
    then: 'LC_NO_AUTOMATED_DECISION',
  },
  {
    name: 'the application was decided on review meanwhile (by another pair) → refused',
    given: { ...APPROVED_ON_REVIEW, version: 2 },
    when: { kind: 'confirm', proposal: proposal({ outcome: 'DECLINED' }), by: 'wang' },
    then: 'LC_DECIDED_ON_REVIEW',
  },
]

// Review turns what the rules leave to judgement, never a hard rule (domain/discretion.ts).
const DISCRETION: readonly Row[] = [
  { name: 'declined on a hard rule (the legal cap), an officer proposes APPROVED → refused', given: DECLINED_BY_RULES, when: { kind: 'propose', outcome: 'APPROVED', by: 'li' }, then: 'LC_HARD_RULE' },
  {
    name: 'declined on a hard rule (identity), an APPROVED proposal confirmed → refused',
    given: { ...DECLINED_BY_RULES, automated: { mandatory: false, binding: ['USCC_VALID'], hasTerms: false } },
    when: { kind: 'confirm', proposal: proposal(), by: 'wang' },
    then: 'LC_HARD_RULE',
  },
  {
    name: 'declined on a hard rule, even with the proposal made by someone else first and the version current → refused before the same-outcome check',
    given: DECLINED_BY_RULES,
    when: { kind: 'propose', outcome: 'APPROVED', by: 'li', applicationVersion: 2 },
    then: 'LC_HARD_RULE',
  },
  {
    name: 'referred without terms computed by the rules, proposed APPROVED → refused: an approval carries its terms',
    given: { ...REFERRED, automated: { mandatory: false, binding: [], hasTerms: false } },
    when: { kind: 'propose', outcome: 'APPROVED', by: 'li' },
    then: 'LC_NO_TERMS',
  },
  { name: 'referred on judgement (score, hardship, missing evidence), proposed APPROVED → proposed', given: REFERRED, when: { kind: 'propose', outcome: 'APPROVED', by: 'li' }, then: { kind: 'proposed', overturns: null } },
  { name: 'approved by the rules, not mandatory, proposed DECLINED on judgement → proposed overturn', given: APPROVED_BY_RULES, when: { kind: 'propose', outcome: 'DECLINED', by: 'li' }, then: { kind: 'proposed', overturns: 'APPROVED' } },
  { name: 'declined on a hard rule, proposed DECLINED → refused as the same outcome', given: DECLINED_BY_RULES, when: { kind: 'propose', outcome: 'DECLINED', by: 'li' }, then: 'LC_SAME_OUTCOME' },
]

// Withdrawn before it is final, by core banking or the borrower's officer; a supervisor rejects a proposal.
const WITHDRAW_AND_REJECT: readonly Row[] = [
  { name: 'awaiting its score, withdrawn → withdrawn', given: AWAITING, when: { kind: 'withdraw', by: 'core' }, then: { kind: 'withdrawn', status: 'withdrawn' } },
  { name: 'referred, withdrawn → withdrawn', given: REFERRED, when: { kind: 'withdraw', by: 'li' }, then: { kind: 'withdrawn', status: 'withdrawn' } },
  { name: 'approved by the rules, withdrawn → refused: final', given: APPROVED_BY_RULES, when: { kind: 'withdraw', by: 'core' }, then: 'LC_FINAL' },
  { name: 'declined on review, withdrawn → refused: final', given: DECLINED_ON_REVIEW, when: { kind: 'withdraw', by: 'core' }, then: 'LC_FINAL' },
  { name: 'withdrawn, withdrawn again → refused', given: WITHDRAWN, when: { kind: 'withdraw', by: 'core' }, then: 'LC_WITHDRAWN' },
  { name: 'withdrawn, an officer proposes → refused', given: WITHDRAWN, when: { kind: 'propose', outcome: 'APPROVED', by: 'li' }, then: 'LC_WITHDRAWN' },
  { name: 'withdrawn, a late score decides → refused', given: WITHDRAWN, when: { kind: 'decide', outcome: 'APPROVED', mandatory: false }, then: 'LC_NOT_AWAITING_SCORE' },
  { name: 'a pending proposal rejected by a supervisor → rejected', given: REFERRED, when: { kind: 'reject', proposal: proposal(), by: 'wang' }, then: { kind: 'rejected' } },
  { name: 'a confirmed proposal rejected → refused', given: APPROVED_ON_REVIEW, when: { kind: 'reject', proposal: proposal({ status: 'confirmed' }), by: 'wang' }, then: 'LC_PROPOSAL_NOT_PENDING' },
]

const MANDATORY: readonly Row[] = [
  { name: 'a mandatory grant, an officer proposes DECLINED → refused', given: MANDATORY_GRANT, when: { kind: 'propose', outcome: 'DECLINED', by: 'li' }, then: 'LC_MANDATORY_GRANT' },
  {
    name: 'a mandatory grant, a DECLINED proposal (made before the rule) confirmed → refused',
    given: MANDATORY_GRANT,
    when: { kind: 'confirm', proposal: proposal({ outcome: 'DECLINED' }), by: 'wang' },
    then: 'LC_MANDATORY_GRANT',
  },
  { name: 'a mandatory grant, an officer proposes APPROVED → refused as the same outcome, not as mandatory', given: MANDATORY_GRANT, when: { kind: 'propose', outcome: 'APPROVED', by: 'li' }, then: 'LC_SAME_OUTCOME' },
  {
    name: 'a referred application whose automated decision is mandatory, proposed APPROVED → proposed',
    given: { ...REFERRED, automated: { ...OPEN, mandatory: true } },
    when: { kind: 'propose', outcome: 'APPROVED', by: 'li' },
    then: { kind: 'proposed', overturns: null },
  },
  { name: 'a referred application whose automated decision is mandatory, proposed DECLINED → refused', given: { ...REFERRED, automated: { ...OPEN, mandatory: true } }, when: { kind: 'propose', outcome: 'DECLINED', by: 'li' }, then: 'LC_MANDATORY_GRANT' },
]

for (const [title, rows] of [
  ['transitions: decided, proposed, confirmed, overturned', TRANSITIONS],
  ['discretion: hard rules bind review, approvals carry terms', DISCRETION],
  ['withdrawal and rejection', WITHDRAW_AND_REJECT],
  ['four eyes', FOUR_EYES],
  ['a mandatory grant cannot be declined', MANDATORY],
] as const) {
  t.test(title, async (t) => {
    for (const row of rows) {
      const result = decideLifecycle(row.given, row.when)
      if (row.then === 'LC_HARD_RULE') t.same(result, { ok: false, refused: row.then, binding: row.given.automated?.binding }, `${row.name}, naming the hard rules`)
      else if (typeof row.then === 'string') t.same(result, { ok: false, refused: row.then }, row.name)
      else t.same(result, { ok: true, change: row.then }, row.name)
    }
  })
}

t.test('every status is covered by a Given, every refusal by a Then, and each refusal has texts and an HTTP class', async (t) => {
  const all = [...TRANSITIONS, ...DISCRETION, ...WITHDRAW_AND_REJECT, ...FOUR_EYES, ...MANDATORY]
  t.same(new Set(all.map((r) => r.given.status)), new Set(APPLICATION_STATUSES))
  const refusals = new Set(all.flatMap((r) => (typeof r.then === 'string' ? [r.then] : [])))
  t.same([...refusals].sort(), Object.keys(REFUSALS).sort())
  for (const code of Object.keys(REFUSALS) as RefusalCode[]) {
    t.ok(REFUSALS[code].zh.length > 0 && REFUSALS[code].en.length > 0, `${code} has texts`)
    t.ok(['conflict', 'forbidden', 'unprocessable'].includes(REFUSAL_STATUS[code]), `${code} maps to a 4xx class`)
  }
})
