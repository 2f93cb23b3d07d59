/** The API's error catalogue: every error response is `{ error: { code, message, parameter? } }` with one of these. */
export const API_ERRORS = {
  bad_parameter: { status: 400, title: 'a parameter is missing or malformed' },
  bad_cursor: { status: 400, title: 'the pagination cursor is not valid for this search' },
  sql_rejected: { status: 400, title: 'the SQL is not allowed or failed' },
  sql_timeout: { status: 408, title: 'the query ran past its time limit' },
  unauthorized: { status: 401, title: 'no valid credential: send Authorization: Bearer <token>' },
  forbidden: { status: 403, title: 'the caller may not see this resource' },
  not_found: { status: 404, title: 'no such resource' },
  not_acceptable: { status: 406, title: 'no representation matches the Accept header' },
  payload_too_large: { status: 413, title: 'the upload is larger than allowed' },
  unsupported_media_type: { status: 415, title: 'the request body type is not supported' },
  too_many_requests: { status: 429, title: 'too many requests with this credential: retry after the time given' },
  ingest_failed: { status: 422, title: 'the uploaded file could not be ingested' },
  upload_timeout: { status: 408, title: 'the upload stalled or took longer than allowed' },
  busy: { status: 429, title: 'too many requests of this kind are running; retry after the retry-after header' },
  internal: { status: 500, title: 'something went wrong on our side' },
} as const;

export type ApiErrorCode = keyof typeof API_ERRORS;

export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly parameter: string | undefined;
  /** Seconds for the `retry-after` header (busy). */
  readonly retryAfterS: number | undefined;

  constructor(code: ApiErrorCode, message: string, parameter?: string, retryAfterS?: number) {
    super(message);
    this.code = code;
    this.parameter = parameter;
    this.retryAfterS = retryAfterS;
  }

  get status(): number {
    return API_ERRORS[this.code].status;
  }
}
