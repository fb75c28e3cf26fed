import { LOAN_CLASSIFICATIONS, type AdverseAction, type GuardOutcome, type LoanClassification, type ProtectionBasis } from '@sme/contracts/vocabulary'
import type { CalendarDate, LocalizedText } from '@sme/domain'
import type { EvidenceKind, GuardPolicy, GuardReason } from './policy.js'
import { protectionsOn, type BorrowerRecord, type Protections } from './protections.js'

/** A reason core banking gives, with the evidence it cites (kind and its own reference to the document). */
export interface GivenReason {
  readonly code: string
  readonly evidence: readonly { readonly kind: string; readonly ref: string }[]
}

/** What core banking asks about: the action, on which day, and why. */
export interface CheckQuestion {
  readonly action: AdverseAction
  /** The day the action would be executed (Asia/Shanghai). */
  readonly date: CalendarDate
  readonly reasons: readonly GivenReason[]
  /** For a downgrade: the class the loan would take. */
  readonly targetClassification: LoanClassification | null
}

/** The rules a verdict can report, each a stable code with its text in Chinese and English. */
export type GuardRuleCode =
  | 'not-protected'
  | 'protected'
  | 'protection-expired'
  | 'reason-substantive'
  | 'reason-needs-review'
  | 'reason-epidemic-effect'
  | 'reason-not-for-action'
  | 'reason-unknown'
  | 'evidence-missing'
  | 'not-shown-by-data'
  | 'no-substantive-reason'
  /** A risk officer's review of an escalated check: overridden by two, or upheld. */
  | 'override'
  | 'review-upheld'

/** One rule that fired: its code, its text, and what it concerned. */
export interface FiredRule {
  readonly code: GuardRuleCode
  readonly text: LocalizedText
  /** The protection basis it concerns, for `protected` and `protection-expired`. */
  readonly basis?: ProtectionBasis
  /** The protection's or the reason's reference. */
  readonly ref?: string
  /** The reason code given, for the `reason-*`, `evidence-missing` and `not-shown-by-data` rules. */
  readonly reason?: string
  /** Evidence kinds the reason needs and the check did not cite. */
  readonly missing?: readonly EvidenceKind[]
}

export interface Judgement {
  readonly outcome: GuardOutcome
  readonly rules: readonly FiredRule[]
  readonly protections: Protections
  readonly policy: { readonly id: string; readonly version: number }
}

type ReasonFinding = { readonly rule: FiredRule; readonly counts: 'allow' | 'escalate' | 'none' }

/**
 * The guard's verdict on one adverse action (POLICY §4; 工信明电〔2020〕14号 item 8, 2020-02-10: no blind
 * calling 抽贷, cutting off 断贷 or squeezing 压贷 of viable firms hit by the epidemic). Pure: the
 * read model's record of the borrower and the policy version in force come in as arguments.
 *
 * 1. A borrower with no protection in force on the action's day: ALLOW (`not-protected`); expired
 *    protections are reported.
 * 2. A protected borrower: each reason given is weighed on its own —
 *    an epidemic-effect reason never justifies; a reason not listed for this action does not; a
 *    substantive one needs every kind of evidence it names cited (else `evidence-missing`); one the
 *    guard verifies against core banking's data must be borne out (`not-shown-by-data`); one that
 *    is a judgement (`review: risk-officer`) escalates.
 * 3. ALLOW when at least one reason justifies the action outright; else ESCALATE when one needs a
 *    risk officer's judgement; else BLOCK (`no-substantive-reason`).
 */
export function judge(question: CheckQuestion, record: BorrowerRecord, policy: GuardPolicy): Judgement {
  const protections = protectionsOn(record, policy, question.date)
  const rules: FiredRule[] = []
  for (const p of protections.active) rules.push({ code: 'protected', basis: p.basis, ref: p.ref, text: p.text })
  for (const p of protections.expired) {
    rules.push({
      code: 'protection-expired',
      basis: p.basis,
      ref: p.ref,
      text: { zh: `保护已于 ${p.until ?? ''} 到期：${p.text.zh}`, en: `Protection ended on ${p.until ?? ''}: ${p.text.en}` },
    })
  }
  const ref = { id: policy.id, version: policy.version }
  if (protections.active.length === 0) {
    rules.push({ code: 'not-protected', text: { zh: '借款人当日不在纾困保护范围内', en: 'The borrower is under no relief protection on the day of the action' } })
    return { outcome: 'ALLOW', rules, protections, policy: ref }
  }
  const findings = question.reasons.map((given) => weigh(given, question, record, policy))
  for (const f of findings) rules.push(f.rule)
  if (findings.some((f) => f.counts === 'allow')) return { outcome: 'ALLOW', rules, protections, policy: ref }
  if (findings.some((f) => f.counts === 'escalate')) return { outcome: 'ESCALATE', rules, protections, policy: ref }
  rules.push({
    code: 'no-substantive-reason',
    text: {
      zh: '受保护借款人：未提供有据可查、非疫情暂时影响的实质性理由，不得抽贷、断贷、压贷',
      en: 'A protected borrower: no documented substantive reason other than the epidemic’s temporary effect was given',
    },
  })
  return { outcome: 'BLOCK', rules, protections, policy: ref }
}

function weigh(given: GivenReason, question: CheckQuestion, record: BorrowerRecord, policy: GuardPolicy): ReasonFinding {
  const reason = policy.reasons.find((r) => r.code === given.code)
  if (reason === undefined) {
    return { counts: 'none', rule: { code: 'reason-unknown', reason: given.code, text: { zh: `未知理由代码 ${given.code}`, en: `Unknown reason code ${given.code}` } } }
  }
  if (reason.kind === 'epidemic-effect') {
    return {
      counts: 'none',
      rule: { code: 'reason-epidemic-effect', reason: reason.code, text: { zh: `疫情暂时影响，不构成理由：${reason.text.zh}`, en: `The epidemic's temporary effect is no reason: ${reason.text.en}` } },
    }
  }
  if (!reason.justifies.includes(question.action)) {
    return {
      counts: 'none',
      rule: { code: 'reason-not-for-action', reason: reason.code, text: { zh: `该理由不支持此项操作：${reason.text.zh}`, en: `This reason does not justify the action: ${reason.text.en}` } },
    }
  }
  const cited = new Set(given.evidence.map((e) => e.kind))
  const missing = reason.evidence.filter((kind) => !cited.has(kind))
  if (missing.length > 0) {
    return {
      counts: 'none',
      rule: {
        code: 'evidence-missing',
        reason: reason.code,
        missing,
        text: { zh: `缺少证明材料（${missing.join('、')}）：${reason.text.zh}`, en: `Evidence missing (${missing.join(', ')}): ${reason.text.en}` },
      },
    }
  }
  if (reason.shownBy === 'days-past-due' && !floorReached(question.targetClassification, record, policy)) {
    const dpd = record.loan === null ? null : record.loan.daysPastDue
    return {
      counts: 'none',
      rule: {
        code: 'not-shown-by-data',
        reason: reason.code,
        text:
          dpd === null
            ? { zh: '核心系统尚未报送该笔贷款，无法核实逾期天数', en: 'Core banking has not reported the loan: its days past due cannot be verified' }
            : { zh: `逾期 ${dpd} 天不要求下调至所申请的分类`, en: `${dpd} days past due do not impose the classification asked for` },
      },
    }
  }
  if (reason.review === 'risk-officer') {
    return { counts: 'escalate', rule: { code: 'reason-needs-review', reason: reason.code, text: { zh: `需风险官审查：${reason.text.zh}`, en: `A risk officer must judge it: ${reason.text.en}` } } }
  }
  return { counts: 'allow', rule: { code: 'reason-substantive', reason: reason.code, text: { zh: `实质性理由，材料齐备：${reason.text.zh}`, en: `A substantive, documented reason: ${reason.text.en}` } } }
}

/** Does the loan's days past due impose at least the class the downgrade asks for? */
function floorReached(target: LoanClassification | null, record: BorrowerRecord, policy: GuardPolicy): boolean {
  if (target === null || record.loan === null) return false
  const floor = classificationFloorOf(record.loan.daysPastDue, policy)
  return LOAN_CLASSIFICATIONS.indexOf(target) <= LOAN_CLASSIFICATIONS.indexOf(floor)
}

/** The least severe class `daysPastDue` allows under the policy's floors. */
export function classificationFloorOf(daysPastDue: number, policy: GuardPolicy): LoanClassification {
  for (const f of policy.classificationFloors) if (daysPastDue >= f.minDaysPastDue) return f.classification
  return 'normal'
}

/** The reason of the catalogue with this code, for validation at the edge. */
export function reasonOf(policy: GuardPolicy, code: string): GuardReason | undefined {
  return policy.reasons.find((r) => r.code === code)
}
