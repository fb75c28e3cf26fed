// The four-eyes life cycle of an escalated check as Given/When/Then tables: every role, the requester,
// the same approver twice, a decided escalation, and each path to a decision.
import t from 'tap'
import { openEscalation, reviewEscalation, reviewRule, type EscalationState, type ReviewCommand } from '../../src/domain/index.js'

const ROLES = ['officer', 'supervisor', 'risk', 'core-banking', 'agency', 'admin'] as const
const AT = '2020-04-15T02:00:00.000Z'
const open = openEscalation('staff-0042')
const cmd = (by: string, outcome: 'ALLOW' | 'BLOCK', roles: readonly string[] = ['risk']): ReviewCommand => ({ by, roles, outcome, reason: 'reviewed the file', at: AT })
const afterFirstAllow: EscalationState = { status: 'awaiting-second', requestedBy: 'staff-0042', approvals: [{ by: 'risk-a', outcome: 'ALLOW', reason: 'reviewed the file', at: AT }], outcome: null }
const decided: EscalationState = { ...afterFirstAllow, status: 'decided', outcome: 'BLOCK' }

t.test('only a risk officer reviews, whatever else the caller is', async (t) => {
  for (const role of ROLES) {
    for (const outcome of ['ALLOW', 'BLOCK'] as const) {
      const r = reviewEscalation(open, cmd(`someone-${role}`, outcome, [role]))
      if (role === 'risk') t.not(r.kind, 'refused', `given an open escalation, when a ${role} says ${outcome}, then it counts`)
      else t.match(r, { kind: 'refused', refusal: 'not-a-risk-officer', status: 403 }, `given an open escalation, when a ${role} says ${outcome}, then refused`)
    }
  }
  t.not(reviewEscalation(open, cmd('risk-admin', 'BLOCK', ['admin', 'risk'])).kind, 'refused', 'a caller with the risk role among others counts')
})

const ROWS: readonly { name: string; given: EscalationState; when: ReviewCommand; then: Record<string, unknown> }[] = [
  { name: 'open, a risk officer blocks', given: open, when: cmd('risk-a', 'BLOCK'), then: { kind: 'decided', state: { status: 'decided', outcome: 'BLOCK', approvals: [{ by: 'risk-a' }] } } },
  { name: 'open, a risk officer allows', given: open, when: cmd('risk-a', 'ALLOW'), then: { kind: 'awaiting-second', state: { status: 'awaiting-second', outcome: null, approvals: [{ by: 'risk-a', outcome: 'ALLOW' }] } } },
  { name: 'open, the requester (also a risk officer) allows', given: open, when: cmd('staff-0042', 'ALLOW'), then: { kind: 'refused', refusal: 'requester-may-not-review', status: 403 } },
  { name: 'open, the requester blocks', given: open, when: cmd('staff-0042', 'BLOCK'), then: { kind: 'refused', refusal: 'requester-may-not-review' } },
  { name: 'one approval, the same officer allows again', given: afterFirstAllow, when: cmd('risk-a', 'ALLOW'), then: { kind: 'refused', refusal: 'same-approver', status: 403 } },
  { name: 'one approval, the same officer changes to block', given: afterFirstAllow, when: cmd('risk-a', 'BLOCK'), then: { kind: 'refused', refusal: 'same-approver' } },
  { name: 'one approval, the requester allows', given: afterFirstAllow, when: cmd('staff-0042', 'ALLOW'), then: { kind: 'refused', refusal: 'requester-may-not-review' } },
  {
    name: 'one approval, a second officer allows: overridden',
    given: afterFirstAllow,
    when: cmd('risk-b', 'ALLOW'),
    then: { kind: 'decided', state: { status: 'decided', outcome: 'ALLOW', approvals: [{ by: 'risk-a' }, { by: 'risk-b' }] } },
  },
  {
    name: 'one approval, a second officer blocks: the override fails',
    given: afterFirstAllow,
    when: cmd('risk-b', 'BLOCK'),
    then: { kind: 'decided', state: { status: 'decided', outcome: 'BLOCK', approvals: [{ by: 'risk-a', outcome: 'ALLOW' }, { by: 'risk-b', outcome: 'BLOCK' }] } },
  },
  { name: 'decided, a third officer allows', given: decided, when: cmd('risk-c', 'ALLOW'), then: { kind: 'refused', refusal: 'already-decided', status: 409 } },
]

t.test('four eyes, edge by edge', async (t) => {
  for (const row of ROWS) t.match(reviewEscalation(row.given, row.when), row.then, `given ${row.name}`)
})

t.test('the review’s rule names the approvers in both languages', async (t) => {
  const overridden = reviewEscalation(afterFirstAllow, cmd('risk-b', 'ALLOW'))
  if (overridden.kind !== 'decided') throw new Error('not decided')
  t.match(reviewRule(overridden.state), { code: 'override', text: { zh: /risk-a、risk-b/, en: /risk-a, risk-b/ } })
  const upheld = reviewEscalation(open, cmd('risk-a', 'BLOCK'))
  if (upheld.kind !== 'decided') throw new Error('not decided')
  t.match(reviewRule(upheld.state), { code: 'review-upheld', text: { en: /risk-a/ } })
})
