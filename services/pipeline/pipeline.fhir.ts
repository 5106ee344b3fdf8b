import type { CaseState } from './pipeline.states';

/** FHIR ServiceRequest.status for a case state: derived, never stored twice. */
export function serviceRequestStatus(state: CaseState): 'draft' | 'active' | 'on-hold' | 'completed' | 'revoked' {
  switch (state) {
    case 'lead':
    case 'qualified':
    case 'order_requested':
      return 'draft';
    case 'awaiting_documentation':
    case 'pending_authorization':
      return 'on-hold';
    case 'reported':
    case 'delivered':
    case 'closed':
      return 'completed';
    case 'cancelled':
      return 'revoked';
    default:
      return 'active';
  }
}
