import { addMonths, isInclusiveSmallMicroLoan, type CalendarDate } from '@sme/domain'
import { borrowerRegion, type DeferralRequest, type ReliefApplication, type ReliefPerson } from '../application.js'
import { classificationFloor, worseClassification } from '../classification.js'
import type { CreditReportInstruction, DeferralTerms, DetailValue, PbocIncentive, RuleResult } from '../decision.js'
import { inWindow, type DeferralProgramme, type NegotiableScope, type PolicySet } from '../policy.js'
import { documentsRule, documentsToFollow } from '../documents.js'
import { pass, personCoverage, rule, type Facts } from './common.js'

/** The rules of one deferral programme (POLICY §2 Temporary deferral). */
export function deferralRules(
  programme: DeferralProgramme,
  facts: Facts,
  application: ReliefApplication,
  request: DeferralRequest,
  policy: PolicySet,
): RuleResult[] {
  const scope = programme.id
  const clause = programme.clause
  const { loan, commitments } = application
  const rules: RuleResult[] = []

  // Programmes for enterprises "in temporary difficulty" ask for a declared hardship; a missing
  // declaration refers (the officer asks), it does not decline.
  rules.push(
    programme.conditions.hardshipDeclared
      ? rule(scope, 'HARDSHIP_DECLARED', pass(application.hardship.declared), 'refer', application.hardship.declared ? 'RL_HARDSHIP_DECLARED' : 'RL_HARDSHIP_NOT_DECLARED', clause)
      : rule(scope, 'HARDSHIP_DECLARED', 'not-applicable', 'refer', 'RL_HARDSHIP_DECLARATION_NOT_REQUIRED', clause),
  )

  const eligibility = borrowerEligibility(programme, facts, application, request, policy)
  rules.push(eligibility)

  // A programme of a province or a city (GB/T 2260 prefixes): firms elsewhere are not covered.
  const regions = programme.regions ?? []
  if (regions.length > 0) {
    const regionCode = borrowerRegion(application)
    const within = regions.find((prefix) => regionCode.startsWith(prefix))
    rules.push(
      rule(scope, 'PROGRAMME_REGION', pass(within !== undefined), 'decline', within !== undefined ? 'RL_PROGRAMME_REGION' : 'RL_OUTSIDE_PROGRAMME_REGION', clause, {
        regionCode,
        regions: regions.join(','),
      }),
    )
  }

  // Programme windows, inclusive at both ends (POLICY §2).
  const principalDue = request.principalDueDate ?? loan.maturityDate
  const interestDue = request.interestDueDate ?? null
  if (programme.eligibility.basis === 'amounts-due') {
    const { principalDue: pw, interestDue: iw } = programme.eligibility
    const principalOk = !request.principal || inWindow(principalDue, pw)
    const interestOk = !request.interest || (interestDue !== null && inWindow(interestDue, iw))
    rules.push(
      rule(scope, 'DUE_DATE_WINDOW', pass(principalOk && interestOk), 'decline', principalOk && interestOk ? 'RL_DUE_IN_WINDOW' : 'RL_DUE_OUTSIDE_WINDOW', clause, {
        basis: 'amounts-due',
        principalDueDate: request.principal ? principalDue : null,
        principalWindow: `${pw.from}…${pw.to ?? ''}`,
        principalInWindow: request.principal ? principalOk : null,
        interestDueDate: request.interest ? interestDue : null,
        interestWindow: `${iw.from}…${iw.to ?? ''}`,
        interestInWindow: request.interest ? interestOk : null,
      }),
    )
  } else {
    // Principal with a loan maturing in the window; interest too, or, where the programme says so,
    // interest payable in its own window whatever the maturity (122号).
    const { maturity: w, interestDue: iw } = programme.eligibility
    const maturityOk = inWindow(loan.maturityDate, w)
    const interestOk = !request.interest || (iw === undefined ? maturityOk : interestDue !== null && inWindow(interestDue, iw))
    const ok = (!request.principal || maturityOk) && interestOk
    rules.push(
      rule(scope, 'DUE_DATE_WINDOW', pass(ok), 'decline', ok ? 'RL_DUE_IN_WINDOW' : 'RL_DUE_OUTSIDE_WINDOW', clause, {
        basis: 'loan-maturity',
        maturityDate: loan.maturityDate,
        window: `${w.from}…${w.to ?? ''}`,
        ...(iw === undefined ? {} : { interestDueDate: request.interest ? interestDue : null, interestWindow: `${iw.from}…${iw.to ?? ''}` }),
      }),
    )
  }

  rules.push(deferralLimitRule(programme, request))

  // The conditions of the mandatory grant (2020-06: "when the borrower applies, keeps an effective
  // guarantee (or a substitute) and commits to keep jobs stable"). Failing one makes the deferral
  // discretionary: referred, not declined.
  const applied = application.initiatedBy === 'borrower'
  rules.push(
    programme.conditions.borrowerApplication
      ? rule(scope, 'BORROWER_APPLIED', pass(applied), 'refer', applied ? 'RL_BORROWER_APPLIED' : 'RL_BANK_INITIATED', clause, { initiatedBy: application.initiatedBy })
      : rule(scope, 'BORROWER_APPLIED', 'not-applicable', 'refer', 'RL_APPLICATION_NOT_REQUIRED', clause),
  )
  if (!programme.conditions.effectiveGuarantee) {
    rules.push(rule(scope, 'GUARANTEE_KEPT', 'not-applicable', 'refer', 'RL_GUARANTEE_NOT_REQUIRED', clause))
  } else if (loan.guarantee.kind === 'none') {
    // An unsecured loan has no guarantee to keep: the condition cannot fail.
    rules.push(rule(scope, 'GUARANTEE_KEPT', 'not-applicable', 'refer', 'RL_UNSECURED_LOAN', clause, { guaranteeKind: 'none' }))
  } else {
    // Effective only if the security provider consents to the deferral: without consent a
    // guarantee does not follow the changed schedule.
    const kept = commitments.keepGuarantee && loan.guarantee.guarantorConsent
    rules.push(
      rule(scope, 'GUARANTEE_KEPT', pass(kept), 'refer', kept ? 'RL_GUARANTEE_KEPT' : 'RL_GUARANTEE_NOT_KEPT', clause, {
        guaranteeKind: loan.guarantee.kind,
        keepGuarantee: commitments.keepGuarantee,
        guarantorConsent: loan.guarantee.guarantorConsent,
      }),
    )
  }
  rules.push(
    programme.conditions.jobsCommitment
      ? rule(scope, 'JOBS_COMMITMENT', pass(commitments.keepJobs), 'refer', commitments.keepJobs ? 'RL_JOBS_COMMITTED' : 'RL_JOBS_NOT_COMMITTED', clause)
      : rule(scope, 'JOBS_COMMITMENT', 'not-applicable', 'refer', 'RL_JOBS_NOT_REQUIRED', clause),
  )

  if (programme.negotiable !== undefined) negotiate(programme, programme.negotiable, facts, application, rules)

  // The mandatory grant holds when the programme is mandatory, the USCC identifies the borrower and
  // none of the programme's rules failed. It then overrides every referral (score, hardship signal,
  // scoring unavailable): POLICY §2 "the bank must grant it".
  if (!programme.mandatory) {
    rules.push(rule(scope, 'MANDATORY_GRANT', 'not-applicable', 'inform', 'RL_PROGRAMME_DISCRETIONARY', clause))
  } else {
    const unmet = rules.filter((r) => r.result === 'fail').map((r) => r.rule)
    if (!facts.identified) unmet.unshift(facts.person === null ? 'USCC_VALID' : 'BORROWER_ID')
    // An eligibility that rests on the firm's size rests on its figures: when the scored data puts
    // them an order of magnitude off, the size is not established and neither is the grant.
    const sizeBased = eligibility.code === 'RL_BORROWER_ELIGIBLE' && facts.borrowerKind === 'enterprise'
    if (sizeBased && facts.figures !== null && facts.figures.implausible.length > 0) unmet.push('FIGURES_CONSISTENT')
    rules.push(
      rule(scope, 'MANDATORY_GRANT', pass(unmet.length === 0), 'inform', unmet.length === 0 ? 'RL_MANDATORY_GRANT' : 'RL_MANDATORY_CONDITIONS_NOT_MET', clause, {
        unmet: unmet.join(','),
      }),
    )
  }
  // 容缺办理: documents outstanding follow where the programme allows it, else refer.
  if (application.documents !== undefined) rules.push(documentsRule(scope, clause, application.documents, programme.effects.documentsMayFollow))
  return rules
}

/**
 * DEFERRAL_LIMIT: the deferral ends by the programme's latest date; beyond a limit held "in
 * principle" it is referred, beyond a firm one declined. Where the text sets no date (40号: 视情合理),
 * the officer agrees it: referred.
 */
function deferralLimitRule(programme: DeferralProgramme, request: DeferralRequest): RuleResult {
  const latest = programme.deferUntilLatest
  if (latest === null) {
    return rule(programme.id, 'DEFERRAL_LIMIT', 'fail', 'refer', 'RL_DEFERRAL_DATE_FOR_OFFICER', programme.clause, { deferTo: request.deferTo, deferUntilLatest: null })
  }
  const withinLimit = request.deferTo <= latest
  const inPrinciple = programme.deferUntilLatestInPrinciple === true
  return rule(
    programme.id,
    'DEFERRAL_LIMIT',
    pass(withinLimit),
    inPrinciple ? 'refer' : 'decline',
    withinLimit ? 'RL_DEFERRAL_WITHIN_LIMIT' : inPrinciple ? 'RL_DEFERRAL_BEYOND_LIMIT_IN_PRINCIPLE' : 'RL_DEFERRAL_BEYOND_LIMIT',
    programme.clause,
    // (`inPrinciple` only where the record says: decisions of the first records replay without it.)
    { deferTo: request.deferTo, deferUntilLatest: latest, ...(programme.deferUntilLatestInPrinciple === undefined ? {} : { inPrinciple }) },
  )
}

/**
 * NEGOTIATED_ARRANGEMENT: when every hard failure of the programme is one it leaves to agreement and
 * the borrower and maturity are within that scope, those failures refer instead of declining (the
 * officer agrees the arrangement with the firm, or not); otherwise they stand. Rewrites `rules`.
 */
function negotiate(programme: DeferralProgramme, scope: NegotiableScope, facts: Facts, application: ReliefApplication, rules: RuleResult[]): void {
  const hard = rules.filter((r) => r.result === 'fail' && r.effect === 'decline')
  const negotiable = (r: RuleResult): boolean => (scope.rules as readonly string[]).includes(r.rule)
  // A person is within the scope only where the programme names them: "other SMEs" and "large
  // firms in special difficulty" are enterprises.
  const borrowerIn =
    facts.person !== null
      ? personCoverage(programme.borrowers.persons, facts.person) === 'covered'
      : scope.borrowers === 'any' || facts.borrowerKind === 'individual-business' || (facts.size !== 'large' && facts.size !== 'unknown' && facts.size !== 'not-applicable')
  const maturityIn = scope.maturity === null || inWindow(application.loan.maturityDate, scope.maturity)
  const details = { negotiable: scope.rules.join(','), borrowers: scope.borrowers, maturityWindow: scope.maturity === null ? null : `${scope.maturity.from}…${scope.maturity.to ?? ''}` }
  if (hard.length === 0) {
    rules.push(rule(programme.id, 'NEGOTIATED_ARRANGEMENT', 'not-applicable', 'refer', 'RL_NEGOTIATED_NOT_NEEDED', programme.clause, details))
    return
  }
  if (!hard.every(negotiable) || !borrowerIn || !maturityIn) {
    rules.push(rule(programme.id, 'NEGOTIATED_ARRANGEMENT', 'not-applicable', 'refer', 'RL_NEGOTIATED_OUT_OF_SCOPE', programme.clause, details))
    return
  }
  for (let i = 0; i < rules.length; i++) {
    const r = rules[i]!
    if (r.result === 'fail' && r.effect === 'decline') rules[i] = { ...r, effect: 'refer' }
  }
  rules.push(rule(programme.id, 'NEGOTIATED_ARRANGEMENT', 'fail', 'refer', 'RL_NEGOTIATED_ARRANGEMENT', programme.clause, { ...details, beyond: hard.map((r) => r.rule).join(',') }))
}

/** BORROWER_ELIGIBLE of a deferral programme: region rule first (Hubei), then the size criterion. */
function borrowerEligibility(programme: DeferralProgramme, facts: Facts, application: ReliefApplication, request: DeferralRequest, policy: PolicySet): RuleResult {
  const scope = programme.id
  const clause = programme.clause
  const regionCode = borrowerRegion(application)
  const criterion = programme.borrowers.criterion
  const region = programme.borrowers.allEnterprisesInRegions.find((prefix) => regionCode.startsWith(prefix))
  const details = { criterion, size: facts.size, borrowerKind: facts.borrowerKind, regionCode }
  if (facts.person !== null) return personEligibility(programme, facts.person, application, request, policy, details)
  // POLICY §2, 2020-03 programme: "In Hubei, all enterprises qualify" (region code prefix 42).
  if (region !== undefined) {
    return rule(scope, 'BORROWER_ELIGIBLE', 'pass', 'decline', 'RL_BORROWER_REGION_ALL_ENTERPRISES', clause, { ...details, regionPrefix: region })
  }
  const ok = (yes: boolean, extra: Record<string, DetailValue> = {}): RuleResult =>
    rule(scope, 'BORROWER_ELIGIBLE', pass(yes), 'decline', yes ? 'RL_BORROWER_ELIGIBLE' : 'RL_BORROWER_INELIGIBLE', clause, { ...details, ...extra })
  const unknown = (extra: Record<string, DetailValue> = {}): RuleResult =>
    rule(scope, 'BORROWER_ELIGIBLE', 'fail', 'refer', 'RL_BORROWER_SIZE_UNKNOWN', clause, { ...details, ...extra })

  switch (criterion) {
    case 'sme':
      // POLICY §2: "SMEs (incl. individual businesses and small-business owners)".
      if (facts.borrowerKind === 'individual-business') return ok(true)
      return facts.size === 'unknown' ? unknown() : ok(facts.size !== 'large')
    case 'small-micro':
      if (facts.borrowerKind === 'individual-business') return ok(true)
      return facts.size === 'unknown' ? unknown() : ok(facts.size === 'small' || facts.size === 'micro')
    case 'persons-only':
      // The text names natural persons alone (40号: 货车司机): no enterprise is covered, whatever its size.
      return rule(scope, 'BORROWER_ELIGIBLE', 'fail', 'decline', 'RL_PROGRAMME_PERSONS_ONLY', clause, details)
    case 'inclusive-small-micro': {
      // POLICY §1: total credit ≤ the cap (CNY 10 million), and a small/micro borrower.
      const { totalCreditFen } = application.loan
      const cap = policy.reference.inclusiveLoan.maxTotalCreditFen
      const credit = { totalCreditFen: totalCreditFen.toString(), maxTotalCreditFen: cap.toString() }
      if (facts.borrowerKind === 'individual-business') {
        return ok(isInclusiveSmallMicroLoan({ borrowerKind: 'individual-business', totalCreditFen }, policy.reference.inclusiveLoan), credit)
      }
      if (facts.size === 'unknown' || facts.size === 'not-applicable') return totalCreditFen > cap ? ok(false, credit) : unknown(credit)
      return ok(isInclusiveSmallMicroLoan({ borrowerKind: 'enterprise', size: facts.size, totalCreditFen }, policy.reference.inclusiveLoan), credit)
    }
  }
}

/**
 * BORROWER_ELIGIBLE for a natural person: the programme's text names their role (and, where it says
 * 经营性贷款, the loan is a business loan); for inclusive small/micro loans the total credit is within
 * the cap as well (POLICY §1: 单户授信1000万元及以下). A person not named is outside the programme: no
 * size or region fills the gap.
 */
function personEligibility(
  programme: DeferralProgramme,
  person: ReliefPerson,
  application: ReliefApplication,
  request: DeferralRequest,
  policy: PolicySet,
  base: Record<string, DetailValue>,
): RuleResult {
  const scope = programme.borrowers.persons
  const details = {
    ...base,
    role: person.role,
    businessLoan: person.businessLoan,
    personRoles: (scope?.roles ?? []).map((r) => (r.businessLoansOnly ? `${r.role}(business loans)` : r.role)).join(','),
  }
  const coverage = personCoverage(scope, person)
  if (coverage !== 'covered') {
    const code = coverage === 'role-not-named' ? 'RL_PERSON_NOT_COVERED' : 'RL_PERSON_LOAN_NOT_BUSINESS'
    return rule(programme.id, 'BORROWER_ELIGIBLE', 'fail', 'decline', code, programme.clause, details)
  }
  // Where the text names persons for the principal only (6号), their interest is for an officer.
  if (scope?.principalOnly === true && request.interest) {
    return rule(programme.id, 'BORROWER_ELIGIBLE', 'fail', 'refer', 'RL_PERSON_INTEREST_NOT_NAMED', programme.clause, { ...details, principalOnly: true })
  }
  if (programme.borrowers.criterion === 'inclusive-small-micro') {
    const { totalCreditFen } = application.loan
    const cap = policy.reference.inclusiveLoan.maxTotalCreditFen
    const within = totalCreditFen <= cap
    return rule(programme.id, 'BORROWER_ELIGIBLE', pass(within), 'decline', within ? 'RL_PERSON_COVERED' : 'RL_BORROWER_INELIGIBLE', programme.clause, {
      ...details,
      totalCreditFen: totalCreditFen.toString(),
      maxTotalCreditFen: cap.toString(),
    })
  }
  return rule(programme.id, 'BORROWER_ELIGIBLE', 'pass', 'decline', 'RL_PERSON_COVERED', programme.clause, details)
}

export function deferralTerms(programme: DeferralProgramme, application: ReliefApplication, request: DeferralRequest, policy: PolicySet, mandatory: boolean): DeferralTerms {
  const principalDue = request.principalDueDate ?? application.loan.maturityDate
  const principal = request.principal ? { dueDate: principalDue, deferredTo: request.deferTo } : null
  const interest = request.interest && request.interestDueDate !== undefined ? { dueDate: request.interestDueDate, deferredTo: request.deferTo } : null
  // The flag says what the terms carry; it is not an effect of its own.
  const { instructionsOnTerms, ...effects } = programme.effects
  const adjusted = effects.creditReportOnAdjustedSchedule
  const report = (amount: CreditReportInstruction['amount'], shift: { dueDate: CalendarDate; deferredTo: CalendarDate }): CreditReportInstruction => ({
    amount,
    contractDueDate: shift.dueDate,
    reportedDueDate: adjusted ? shift.deferredTo : shift.dueDate,
    schedule: adjusted ? 'adjusted' : 'contract',
    overdueEntry: !adjusted,
  })
  const { classification: before, daysPastDue } = application.loan
  const floor = classificationFloor(daysPastDue)
  const after = worseClassification(before, floor)
  const documents = documentsToFollow(application.documents, effects.documentsMayFollow, mandatory)
  return {
    kind: 'deferral',
    principal,
    interest,
    effects,
    ...(instructionsOnTerms !== true
      ? {}
      : {
          creditReporting: [...(principal === null ? [] : [report('principal', principal)]), ...(interest === null ? [] : [report('interest', interest)])],
          classification: {
            before,
            after,
            floor,
            daysPastDue,
            basis: !effects.noDowngradeForEpidemicAlone ? 'classified on repayment capacity' : after === before ? 'kept: no downgrade for the epidemic alone' : 'overdue-day floor',
          },
        }),
    ...(programme.pbocIncentive === undefined ? {} : { pbocIncentive: pbocIncentive(programme.pbocIncentive, application, request, principalDue, policy) }),
    ...(documents === undefined ? {} : { documentsToFollow: documents }),
  }
}

/**
 * The PBoC incentive of a deferral: for a local legal-person bank, `rateBp` of the deferred
 * principal when it is deferred at least `minDeferralMonths` past its due date (calendar months,
 * month-end clamped), rounded half up to the fen.
 */
function pbocIncentive(
  terms: NonNullable<DeferralProgramme['pbocIncentive']>,
  application: ReliefApplication,
  request: DeferralRequest,
  principalDue: CalendarDate,
  policy: PolicySet,
): PbocIncentive {
  const principal = request.principal ? application.loan.outstandingPrincipalFen : 0n
  const deferToAtLeast = request.principal ? addMonths(principalDue, terms.minDeferralMonths) : null
  const reason: PbocIncentive['reason'] =
    policy.bank.localLegalPersonBank !== true
      ? 'not-a-local-legal-person-bank'
      : !request.principal
        ? 'principal-not-deferred'
        : request.deferTo < deferToAtLeast!
          ? 'deferral-shorter-than-minimum'
          : 'eligible'
  const amount = reason === 'eligible' ? (principal * BigInt(terms.rateBp) + 5_000n) / 10_000n : 0n
  return {
    eligible: reason === 'eligible',
    reason,
    deferredPrincipalFen: principal.toString(),
    rateBp: terms.rateBp,
    incentiveFen: amount.toString(),
    deferToAtLeast,
    oncePerLoan: true,
  }
}
