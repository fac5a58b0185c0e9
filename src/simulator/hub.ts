import { perService, SERVICE_NAMES, type ServiceName } from '../hub';
import { communicationRoutes } from './communication';
import { contentRoutes } from './content';
import { FaultRegistry } from './faults';
import { identityRoutes } from './identity';
import { RequestLog } from './requestLog';
import type { Route } from './routing';
import { ServiceServer, type HubRuntime } from './server';
import { HubState } from './state';
import { Timers } from './timers';
import {
  HUB_MODES,
  type FaultHandle,
  type FaultInjection,
  type HealthStatus,
  type Hub,
  type HubMode,
  type HubOptions,
  type HubRequest,
  type HubSnapshot,
} from './types';
import { workflowRoutes } from './workflow';

const ROUTES: Readonly<Record<ServiceName, readonly Route[]>> = {
  identity: identityRoutes,
  content: contentRoutes,
  communication: communicationRoutes,
  workflow: workflowRoutes,
};

/** The options {@link startHub} knows; anything else is a mistake worth an error, not silence. */
const HUB_OPTION_NAMES: readonly (keyof HubOptions)[] = ['ports', 'host', 'mode', 'latencyMs'];

/** The mode, or an error that lists the valid ones. */
function checkedMode(mode: unknown, where: string): HubMode {
  const known = HUB_MODES.find((candidate) => candidate === mode);
  if (known === undefined) throw new TypeError(`${where}: unknown mode ${JSON.stringify(mode)}; valid modes: ${HUB_MODES.join(', ')}`);
  return known;
}

/** Refuses an option or a service name {@link startHub} does not know, naming the valid ones. */
function checkOptions(options: HubOptions): void {
  if (typeof options !== 'object' || options === null) throw new TypeError('startHub: options must be an object');
  const unknown = Object.keys(options).find((name) => !(HUB_OPTION_NAMES as readonly string[]).includes(name));
  if (unknown !== undefined) {
    throw new TypeError(`startHub: unknown option "${unknown}"; valid options: ${HUB_OPTION_NAMES.join(', ')}`);
  }
  for (const name of ['ports', 'latencyMs'] as const) {
    const value = options[name];
    if (typeof value !== 'object' || value === null) continue;
    const service = Object.keys(value).find((key) => !(SERVICE_NAMES as readonly string[]).includes(key));
    if (service !== undefined) {
      throw new TypeError(`startHub: unknown service "${service}" in ${name}; valid services: ${SERVICE_NAMES.join(', ')}`);
    }
  }
}

function latencyPerService(latency: HubOptions['latencyMs']): Record<ServiceName, number> {
  return perService((service) => (typeof latency === 'number' ? latency : (latency?.[service] ?? 0)));
}

/** A URL a client can dial even when the hub listens on every interface. */
function urlHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

class RunningHub implements Hub, HubRuntime {
  readonly state: HubState;
  readonly faults = new FaultRegistry();
  readonly log = new RequestLog();
  readonly timers = new Timers();
  private latency: Record<ServiceName, number>;
  private readonly servers: Record<ServiceName, ServiceServer>;
  private closed = false;

  constructor(
    private readonly host: string,
    private readonly initialMode: HubMode,
    private readonly initialLatency: Readonly<Record<ServiceName, number>>,
  ) {
    this.state = new HubState(initialMode);
    this.latency = { ...initialLatency };
    this.servers = perService((service) => new ServiceServer(service, ROUTES[service], this));
  }

  /** Binds all four servers; if one fails, the others are closed again before the error surfaces. */
  async listen(ports: Partial<Record<ServiceName, number>>): Promise<void> {
    try {
      await Promise.all(SERVICE_NAMES.map((service) => this.servers[service].listen(this.host, ports[service] ?? 0)));
    } catch (error) {
      await this.close();
      throw error;
    }
  }

  get ports(): Record<ServiceName, number> {
    return perService((service) => this.servers[service].port);
  }

  get urls(): Record<ServiceName, string> {
    return perService((service) => `http://${urlHost(this.host)}:${this.servers[service].port}`);
  }

  get requests(): readonly HubRequest[] {
    return this.log.all;
  }

  get mode(): HubMode {
    return this.state.mode;
  }

  latencyOf(service: ServiceName): number {
    return this.latency[service];
  }

  inject(service: ServiceName, injection: FaultInjection): FaultHandle {
    return this.faults.add(service, injection);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  snapshot(): HubSnapshot {
    const urls = this.urls;
    return {
      mode: this.state.mode,
      services: perService((service) => ({
        url: urls[service],
        running: this.servers[service].running,
        latencyMs: this.latency[service],
        health: this.state.healthOf(service),
        faults: this.faults.summaries(service),
      })),
    };
  }

  setMode(mode: HubMode): void {
    this.state.mode = checkedMode(mode, 'setMode');
  }

  setLatency(service: ServiceName, ms: number): void {
    this.latency[service] = ms;
  }

  stopService(service: ServiceName): Promise<void> {
    return this.servers[service].stop();
  }

  async startService(service: ServiceName): Promise<void> {
    if (this.closed) throw new Error('The hub is closed');
    await this.servers[service].listen(this.host);
  }

  expireTokens(): void {
    this.state.expireAccessTokens();
  }

  setHealthStatus(service: ServiceName, status: HealthStatus): void {
    this.state.setHealth(service, status);
  }

  tokenFor(user: string): string {
    const record = this.state.findUser(user);
    if (!record) throw new Error(`No user ${user} in the hub`);
    return this.state.issueAccessToken(record.id);
  }

  clearRequests(): void {
    this.log.clear();
  }

  waitForRequest(service: ServiceName, method?: string, pathTemplate?: string): Promise<HubRequest> {
    return this.log.waitFor(service, method, pathTemplate);
  }

  requestsTo(service: ServiceName, method?: string, pathTemplate?: string): HubRequest[] {
    return this.log.filter(service, method, pathTemplate);
  }

  reset(): void {
    this.faults.clear();
    this.log.clear();
    this.latency = { ...this.initialLatency };
    this.state.mode = this.initialMode;
    this.state.reseed();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.faults.clear();
    this.timers.clearAll();
    await Promise.all(SERVICE_NAMES.map((service) => this.servers[service].stop()));
  }
}

/**
 * Starts the four Hub services as real HTTP servers on loopback, sharing one in-memory state.
 * An unknown option, service name or mode throws a `TypeError` that lists the valid ones.
 *
 * @example
 * const hub = await startHub();
 * const res = await fetch(`${hub.urls.identity}/auth/login`, {
 *   method: 'POST', headers: { 'content-type': 'application/json' },
 *   body: JSON.stringify({ email: SEED.users.demo.email, password: SEED.users.demo.password }),
 * });
 * await hub.close();
 */
export async function startHub(options: HubOptions = {}): Promise<Hub> {
  checkOptions(options);
  const mode = options.mode === undefined ? 'extended' : checkedMode(options.mode, 'startHub');
  const hub = new RunningHub(options.host ?? '127.0.0.1', mode, latencyPerService(options.latencyMs));
  await hub.listen(options.ports ?? {});
  return hub;
}
