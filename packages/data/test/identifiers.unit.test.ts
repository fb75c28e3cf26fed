// Names written into hand-written SQL stay one identifier, whatever they hold.
import t from 'tap'
import { qualifiedName, quoteIdentifier } from '../src/identifiers.js'

t.test('a name is quoted, a quote inside doubled', async (t) => {
  t.equal(quoteIdentifier('guard'), '"guard"')
  t.equal(quoteIdentifier('Mixed Case'), '"Mixed Case"')
  t.equal(quoteIdentifier('a"; drop table x; --'), '"a""; drop table x; --"')
  t.equal(qualifiedName('guard_t1', 'sweep_verdicts'), '"guard_t1"."sweep_verdicts"')
  t.equal(qualifiedName('s"x', 't'), '"s""x"."t"')
})
