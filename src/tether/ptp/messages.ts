/** What one PTP transaction sends and gets back, whatever the transport. */
export interface PtpRequest {
  readonly code: number;
  readonly transactionId: number;
  /** At most 5. */
  readonly params: readonly number[];
}

export interface PtpResponse {
  readonly code: number;
  readonly transactionId: number;
  readonly params: readonly number[];
}

export interface PtpEvent {
  readonly code: number;
  readonly transactionId: number;
  /** At most 3. */
  readonly params: readonly number[];
}

export const MAX_PARAMS = 5;
export const MAX_EVENT_PARAMS = 3;
