// The branch scope of a principal is the kit's (one rule for every service).
export { branchScopeOf as branchScope } from '@sme/kit'
