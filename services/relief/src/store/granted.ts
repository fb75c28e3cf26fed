import type { ReliefDb, ReliefTx } from './tables.js'

/**
 * Final approvals (`a`) with the rules' decision (`d`): what the register counts, the follow-up
 * watches and the documents watch reads. Each caller selects only the parts it needs.
 */
export function grantedApplications(db: ReliefDb | ReliefTx) {
  return db.selectFrom('applications as a').innerJoin('decisions as d', 'd.application_id', 'a.id').where('a.final_outcome', '=', 'APPROVED')
}
