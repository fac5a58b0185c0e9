import type { Observable } from 'rxjs';
import * as z from 'zod/mini';
import type { ServiceName } from '../hub';
import type { HttpClient } from './http';

/** `GET /health` of any service: the fields every service shares; the others are not read. */
export const HealthResponseSchema = z.object({
  status: z.string(),
  service: z.string(),
  version: z.string(),
});
/** `GET /health` of any service. */
export type HealthResponse = z.infer<typeof HealthResponseSchema>;

/** A cold Observable of one `GET /health` call to `service` (no auth). */
export function getHealth$(http: HttpClient, service: ServiceName): Observable<HealthResponse> {
  return http.request$({ service, route: 'health', schema: HealthResponseSchema });
}
