import { parseDate, type CalendarDate } from '@sme/domain'
import type { BorrowerRecord, CheckQuestion, GivenReason, KeyListOnRecord, LoanOnRecord, ReliefOnRecord, ScoreOnRecord } from '../../src/domain/index.js'

export const d = (text: string): CalendarDate => parseDate(text)

/** A deferral approved on 2020-03-10 to 2020-06-30. */
export const DEFERRAL: ReliefOnRecord = {
  applicationId: '7d4f5c2e-0000-4000-8000-000000000001',
  revision: 1,
  loanId: 'L-1',
  relief: 'deferral',
  outcome: 'APPROVED',
  decidedOn: d('2020-03-10'),
  termsEnd: d('2020-06-30'),
}

/** A temporary-shock, grade-BBB score as of 2020-03-01 (protects through 2020-08-27 at 180 days). */
export const AFFECTED_VIABLE: ScoreOnRecord = { scoreId: 'b1f7e5d0-0000-4000-8000-000000000002', asOf: d('2020-03-01'), grade: 'BBB', hardship: 'temporary-shock' }

export const NATIONAL_LIST: KeyListOnRecord = { list: 'national', listedOn: d('2020-02-07'), delistedOn: null }

export const LOAN: LoanOnRecord = { loanId: 'L-1', branchId: 'B001', daysPastDue: 0, classification: 'normal', status: 'active' }

export const UNPROTECTED: BorrowerRecord = { reliefs: [], score: null, keyLists: [], loan: LOAN }

export function record(parts: Partial<BorrowerRecord>): BorrowerRecord {
  return { ...UNPROTECTED, ...parts }
}

export const reason = (code: string, ...kinds: string[]): GivenReason => ({ code, evidence: kinds.map((kind, i) => ({ kind, ref: `DOC-${i + 1}` })) })

export function question(action: CheckQuestion['action'], date: string, reasons: GivenReason[], targetClassification: CheckQuestion['targetClassification'] = null): CheckQuestion {
  return { action, date: d(date), reasons, targetClassification }
}
