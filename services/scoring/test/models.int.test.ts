// Models as versioned data over HTTP: a new champion takes over at its effective date, old scores
// replay under their own version, versions are immutable, invalid models are refused naming the
// field, challengers score in shadow, and champions never overlap.
import t from 'tap'
import { expectProblem, expectStatus, healthyFirmRecords, postBatch, scoringUnderTest, uscc } from './helpers.js'

// The service clock: 2021-01-15, so data through 2020-12 can be ingested and is fresh on both sides
// of the 2021-01-01 model change.
const now = () => new Date('2021-01-15T04:00:00Z')
const clone = <T>(value: T): T => structuredClone(value)

t.test('models and effective dates', async (t) => {
  const s = await scoringUnderTest(t, { now })
  const admin = await s.auth('admin')
  const reader = await s.auth('risk')
  const risk = await s.auth('risk')
  const register = async (model: unknown, headers = admin) => s.app.inject({ method: 'POST', url: '/models', headers, payload: model as object })
  const score = async (payload: Record<string, unknown>) => expectStatus(t, await s.app.inject({ method: 'POST', url: '/scores', headers: reader, payload }), 201, `score ${JSON.stringify(payload)}`)
  const replay = async (id: string) => expectStatus(t, await s.app.inject({ method: 'POST', url: `/scores/${id}/replay`, headers: risk }), 200, 'replay')

  const base = expectStatus(t, await s.app.inject({ method: 'GET', url: '/models/sme-general-default/versions/2020.1.0', headers: reader }), 200, 'the default model')
  t.match(base, { id: 'sme-general-default', version: '2020.1.0', segment: 'sme-general', role: 'champion', effectiveFrom: '2020-01-01', effectiveTo: null })

  const firm = uscc(4001)
  expectStatus(t, await postBatch(s, healthyFirmRecords(firm, { through: '2020-12' })), 200, 'a healthy firm, data through 2020-12')

  // 2021.1.0: tax rating A is worth 15 points more (80 → 95); nothing else changes.
  const successor = clone(base)
  successor.version = '2021.1.0'
  successor.effectiveFrom = '2021-01-01'
  successor.effectiveTo = null
  successor.description = 'Test successor: tax rating A worth more'
  const rating = successor.characteristics.find((c: any) => c.id === 'CH_TAX_RATING')
  const binA = rating.bins.find((b: any) => b.id === 'A')
  t.equal(binA.points, 80)
  binA.points = 95

  t.test('a new champion takes over at its effective date', async (t) => {
    const created = expectStatus(t, await register(successor), 201, 'register 2021.1.0')
    t.match(created?.model, { id: 'sme-general-default', version: '2021.1.0', role: 'champion', effectiveFrom: '2021-01-01', effectiveTo: null })
    t.same(created?.closed, [{ id: 'sme-general-default', version: '2020.1.0', effectiveTo: '2020-12-31' }], 'the predecessor closes the day before')

    const list = expectStatus(t, await s.app.inject({ method: 'GET', url: '/models', headers: reader }), 200, 'GET /models')
    const versions = Object.fromEntries(list.models.map((m: any) => [m.version, m]))
    t.match(versions['2020.1.0'], { effectiveFrom: '2020-01-01', effectiveTo: '2020-12-31', role: 'champion' })
    t.match(versions['2021.1.0'], { effectiveFrom: '2021-01-01', effectiveTo: null, role: 'champion' })
    const stored = expectStatus(t, await s.app.inject({ method: 'GET', url: '/models/sme-general-default/versions/2021.1.0', headers: reader }), 200)
    t.equal(stored.characteristics.find((c: any) => c.id === 'CH_TAX_RATING').bins.find((b: any) => b.id === 'A').points, 95, 'stored as registered')

    const before = await score({ uscc: firm, asOf: '2020-12-31' })
    const after = await score({ uscc: firm, asOf: '2021-01-01' })
    t.equal(before.model.version, '2020.1.0', 'the last day of the old champion')
    t.equal(after.model.version, '2021.1.0', 'the first day of the new one')
    const points = (x: any, id: string) => x.characteristics.find((c: any) => c.id === id).points
    t.equal(points(before, 'CH_TAX_RATING'), 80)
    t.equal(points(after, 'CH_TAX_RATING'), 95)
    t.equal(after.score - before.score, 15, `scores differ by the tweak (${before.score} → ${after.score})`)

    // Each score replays identically under its own version, though 2020.1.0 is no longer in force.
    const old = await replay(before.id)
    t.match(old, { identical: true, model: { version: '2020.1.0' }, storedScore: before.score, replayedScore: before.score })
    const fresh = await replay(after.id)
    t.match(fresh, { identical: true, model: { version: '2021.1.0' }, storedScore: after.score, replayedScore: after.score })
  })

  t.test('versions are immutable: the same id@version again → 409', async (t) => {
    const again = clone(successor)
    again.description = 'different text, same version'
    expectProblem(t, await register(again), 409, { code: 'conflict', what: 'id@version again' })
    const stored = expectStatus(t, await s.app.inject({ method: 'GET', url: '/models/sme-general-default/versions/2021.1.0', headers: reader }), 200)
    t.equal(stored.description, successor.description, 'the stored version is untouched')
  })

  t.test('invalid models → 422 naming the field', async (t) => {
    const candidate = () => Object.assign(clone(base), { version: `bad-${Math.random().toString(36).slice(2, 8)}`, role: 'challenger', effectiveTo: null })

    const overlapping = candidate()
    const age = overlapping.characteristics.findIndex((c: any) => c.id === 'CH_FIRM_AGE')
    overlapping.characteristics[age].bins[1].range.min = 6 // AGE_12_36M now starts inside AGE_UNDER_12M
    expectProblem(t, await register(overlapping), 422, { code: 'unprocessable', field: `/body/characteristics/${age}/bins/1/range/min`, what: 'overlapping bins' })

    const untranslated = candidate()
    untranslated.reasonCodes.RC_TAX_RATING_B = { zh: '纳税信用等级B', en: '' }
    expectProblem(t, await register(untranslated), 422, { code: 'unprocessable', field: '/body/reasonCodes/RC_TAX_RATING_B', what: 'a reason code without English text' })

    const unexplained = candidate()
    const tax = unexplained.characteristics.findIndex((c: any) => c.id === 'CH_TAX_RATING')
    delete unexplained.characteristics[tax].bins[1].reasonCode
    expectProblem(t, await register(unexplained), 422, { code: 'unprocessable', field: `/body/characteristics/${tax}/bins/1/reasonCode`, what: 'a bin costing points without a reason code' })

    const unknownCode = candidate()
    unknownCode.characteristics[tax].bins[1].reasonCode = 'RC_NOT_IN_CATALOGUE'
    expectProblem(t, await register(unknownCode), 422, { code: 'unprocessable', field: `/body/characteristics/${tax}/bins/1/reasonCode`, what: 'a reason code not in the catalogue' })

    const grades = candidate()
    grades.grades[1].minScore = grades.grades[0].minScore + 10
    expectProblem(t, await register(grades), 422, { code: 'unprocessable', field: '/body/grades/1/minScore', what: 'unordered grades' })

    const dates = candidate()
    dates.effectiveFrom = '2021-06-01'
    dates.effectiveTo = '2021-05-31'
    expectProblem(t, await register(dates), 422, { code: 'unprocessable', field: '/body/effectiveTo', what: 'ends before it starts' })

    // The envelope is checked at the edge.
    const noVersion = candidate()
    delete noVersion.version
    expectProblem(t, await register(noVersion), 400, { code: 'validation_failed', field: '/body/version', what: 'no version' })
    expectProblem(t, await register({ ...candidate(), role: 'decider' }), 400, { code: 'validation_failed', field: '/body/role', what: 'unknown role' })
    expectProblem(t, await register({ ...candidate(), characteristics: [] }), 400, { code: 'validation_failed', field: '/body/characteristics', what: 'no characteristics' })

    const list = expectStatus(t, await s.app.inject({ method: 'GET', url: '/models', headers: reader }), 200)
    t.notOk(list.models.some((m: any) => m.version.startsWith('bad-')), 'none of them registered')
  })

  t.test('a challenger scores in shadow: stored, not returned', async (t) => {
    const challenger = clone(successor)
    Object.assign(challenger, { id: 'sme-general-fitted', version: '2021.1.0-rc1', role: 'challenger', effectiveFrom: '2020-06-01', effectiveTo: null, description: 'Test challenger' })
    challenger.characteristics.find((c: any) => c.id === 'CH_TAX_RATING').bins.find((b: any) => b.id === 'A').points = 70
    const created = expectStatus(t, await register(challenger), 201, 'register a challenger')
    t.same(created?.closed, [], 'a challenger closes nothing')

    const body = await score({ uscc: firm, asOf: '2021-01-10' })
    t.match(body.model, { id: 'sme-general-default', version: '2021.1.0' }, 'the champion decides')
    const report = await replay(body.id)
    t.equal(report.shadowScores.length, 1, 'one shadow score')
    t.match(report.shadowScores[0], { model: { id: 'sme-general-fitted', version: '2021.1.0-rc1' } })
    t.equal(report.shadowScores[0].score, body.score - 25, 'scored by the challenger’s own points (A = 70 instead of 95)')

    const history = expectStatus(t, await s.app.inject({ method: 'GET', url: `/enterprises/${firm}/scores`, headers: reader }), 200)
    t.ok(history.scores.every((x: any) => x.model.id === 'sme-general-default'), 'the history shows champion scores only')
    const rows = await s.db.selectFrom('scores').select(['model_id', 'shadow', 'champion_score_id']).where('champion_score_id', '=', body.id).execute()
    t.same(rows, [{ model_id: 'sme-general-fitted', shadow: true, champion_score_id: body.id }], 'stored in shadow, linked to the champion score')
  })

  t.test('champions never overlap', async (t) => {
    const earlier = Object.assign(clone(successor), { version: '2020.9.0', effectiveFrom: '2020-06-01', effectiveTo: null })
    expectProblem(t, await register(earlier), 409, { code: 'conflict', what: 'a champion starting before the current one' })
    const sameDay = Object.assign(clone(successor), { version: '2021.1.1', effectiveFrom: '2021-01-01', effectiveTo: null })
    expectProblem(t, await register(sameDay), 409, { code: 'conflict', what: 'a champion starting the same day' })
    const bounded = Object.assign(clone(successor), { version: '2020.3.0', effectiveFrom: '2020-03-01', effectiveTo: '2020-04-30' })
    expectProblem(t, await register(bounded), 409, { code: 'conflict', what: 'a bounded champion inside a closed period' })

    const list = expectStatus(t, await s.app.inject({ method: 'GET', url: '/models', headers: reader }), 200)
    t.same(list.models.filter((m: any) => m.role === 'champion').map((m: any) => [m.version, m.effectiveFrom, m.effectiveTo]), [['2020.1.0', '2020-01-01', '2020-12-31'], ['2021.1.0', '2021-01-01', null]], 'the registry is unchanged')

    // A champion of another segment is independent.
    const hubei = Object.assign(clone(successor), { id: 'sme-hubei', version: '2020.2.0', segment: 'sme-hubei', effectiveFrom: '2020-02-01', effectiveTo: null })
    const created = expectStatus(t, await register(hubei), 201, 'a champion for another segment')
    t.same(created?.closed, [])
    t.match(await score({ uscc: firm, asOf: '2021-01-10', segment: 'sme-hubei' }), { model: { id: 'sme-hubei', version: '2020.2.0', segment: 'sme-hubei' } })
  })

  t.test('POST /models is for admins only', async (t) => {
    const model = Object.assign(clone(successor), { id: 'sme-general-fitted', version: 'rc-reader', role: 'challenger' })
    expectProblem(t, await register(model, reader), 403, { code: 'forbidden' })
    expectProblem(t, await register(model, risk), 403, { code: 'forbidden' })
    const list = expectStatus(t, await s.app.inject({ method: 'GET', url: '/models', headers: reader }), 200)
    t.notOk(list.models.some((m: any) => m.version === 'rc-reader'))
  })
})
