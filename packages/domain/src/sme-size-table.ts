import type { SmeSizeTable } from './sme-size.js'

/**
 * SME size thresholds of MIIT, NBS, NDRC and MOF 2011 No. 300 (《中小企业划型标准规定》, 工信部联企业
 * 〔2011〕300号), in force unchanged as of 2025. Transcribed from `data/sme-size-2011.csv` (a copy of
 * the shared reference table); `test/sme-size.unit.test.ts` fails if the two differ.
 *
 * Units: employees in persons (从业人员); revenue (营业收入) and assets (资产总额) in wan yuan
 * (万元, CNY 10,000). Floors are inclusive (≥); ceiling conditions are strict (<). A metric absent
 * from a tier is not used for that tier.
 */
export const SME_SIZE_TABLE_2011: SmeSizeTable = [
  {
    industry: 'agriculture_forestry_animal_fishery',
    gb4754Sections: ['A'],
    medium: { revenue: 500 },
    small: { revenue: 50 },
    smeCeiling: [{ metric: 'revenue', below: 20000 }],
  },
  {
    industry: 'industry',
    gb4754Sections: ['B', 'C', 'D'],
    medium: { employees: 300, revenue: 2000 },
    small: { employees: 20, revenue: 300 },
    smeCeiling: [
      { metric: 'employees', below: 1000 },
      { metric: 'revenue', below: 40000 },
    ],
  },
  {
    industry: 'construction',
    gb4754Sections: ['E'],
    medium: { revenue: 6000, assets: 5000 },
    small: { revenue: 300, assets: 300 },
    smeCeiling: [
      { metric: 'revenue', below: 80000 },
      { metric: 'assets', below: 80000 },
    ],
  },
  {
    industry: 'wholesale',
    gb4754Sections: ['F51'],
    medium: { employees: 20, revenue: 5000 },
    small: { employees: 5, revenue: 1000 },
    smeCeiling: [
      { metric: 'employees', below: 200 },
      { metric: 'revenue', below: 40000 },
    ],
  },
  {
    industry: 'retail',
    gb4754Sections: ['F52'],
    medium: { employees: 50, revenue: 500 },
    small: { employees: 10, revenue: 100 },
    smeCeiling: [
      { metric: 'employees', below: 300 },
      { metric: 'revenue', below: 20000 },
    ],
  },
  {
    industry: 'transport_excl_rail',
    gb4754Sections: ['G (excl. rail)'],
    medium: { employees: 300, revenue: 3000 },
    small: { employees: 20, revenue: 200 },
    smeCeiling: [
      { metric: 'employees', below: 1000 },
      { metric: 'revenue', below: 30000 },
    ],
  },
  {
    industry: 'warehousing',
    gb4754Sections: ['G59'],
    medium: { employees: 100, revenue: 1000 },
    small: { employees: 20, revenue: 100 },
    smeCeiling: [
      { metric: 'employees', below: 200 },
      { metric: 'revenue', below: 30000 },
    ],
  },
  {
    industry: 'postal',
    gb4754Sections: ['G60'],
    medium: { employees: 300, revenue: 2000 },
    small: { employees: 20, revenue: 100 },
    smeCeiling: [
      { metric: 'employees', below: 1000 },
      { metric: 'revenue', below: 30000 },
    ],
  },
  {
    industry: 'accommodation',
    gb4754Sections: ['H61'],
    medium: { employees: 100, revenue: 2000 },
    small: { employees: 10, revenue: 100 },
    smeCeiling: [
      { metric: 'employees', below: 300 },
      { metric: 'revenue', below: 10000 },
    ],
  },
  {
    industry: 'catering',
    gb4754Sections: ['H62'],
    medium: { employees: 100, revenue: 2000 },
    small: { employees: 10, revenue: 100 },
    smeCeiling: [
      { metric: 'employees', below: 300 },
      { metric: 'revenue', below: 10000 },
    ],
  },
  {
    industry: 'telecom_information_transmission',
    gb4754Sections: ['I63', 'I64'],
    medium: { employees: 100, revenue: 1000 },
    small: { employees: 10, revenue: 100 },
    smeCeiling: [
      { metric: 'employees', below: 2000 },
      { metric: 'revenue', below: 100000 },
    ],
  },
  {
    industry: 'software_it_services',
    gb4754Sections: ['I65'],
    medium: { employees: 100, revenue: 1000 },
    small: { employees: 10, revenue: 50 },
    smeCeiling: [
      { metric: 'employees', below: 300 },
      { metric: 'revenue', below: 10000 },
    ],
  },
  {
    industry: 'real_estate_development',
    gb4754Sections: ['K7010'],
    medium: { revenue: 1000, assets: 5000 },
    small: { revenue: 100, assets: 2000 },
    smeCeiling: [
      { metric: 'revenue', below: 200000 },
      { metric: 'assets', below: 10000 },
    ],
  },
  {
    industry: 'property_management',
    gb4754Sections: ['K7020'],
    medium: { employees: 300, revenue: 1000 },
    small: { employees: 100, revenue: 500 },
    smeCeiling: [
      { metric: 'employees', below: 1000 },
      { metric: 'revenue', below: 5000 },
    ],
  },
  {
    industry: 'leasing_business_services',
    gb4754Sections: ['L'],
    medium: { employees: 100, assets: 8000 },
    small: { employees: 10, assets: 100 },
    smeCeiling: [
      { metric: 'employees', below: 300 },
      { metric: 'assets', below: 120000 },
    ],
  },
  {
    industry: 'other',
    gb4754Sections: ['other'],
    medium: { employees: 100 },
    small: { employees: 10 },
    smeCeiling: [{ metric: 'employees', below: 300 }],
  },
]
