// A stand-in for the browser's EventSource (jsdom has none), so tests can open the backend's
// live stream and push Server-Sent Events into it.
import { act } from '@testing-library/react';

type Listener = (event: MessageEvent<string>) => void;

export class FakeEventSource {
  static instances: FakeEventSource[] = [];
  readonly url: string;
  readonly withCredentials: boolean;
  onerror: ((event: Event) => void) | null = null;
  closed = false;
  private readonly listeners = new Map<string, Set<Listener>>();

  constructor(url: string, init?: { withCredentials?: boolean }) {
    this.url = url;
    this.withCredentials = init?.withCredentials ?? false;
    FakeEventSource.instances.push(this);
  }

  addEventListener(type: string, listener: Listener): void {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type)!.add(listener);
  }

  removeEventListener(type: string, listener: Listener): void {
    this.listeners.get(type)?.delete(listener);
  }

  close(): void {
    this.closed = true;
  }

  /** Delivers one event with a JSON body to every open stream, as the backend sends it. */
  static emit(type: string, body: unknown): void {
    act(() => {
      for (const source of FakeEventSource.instances.filter((instance) => !instance.closed)) {
        const event = new MessageEvent<string>(type, { data: JSON.stringify(body) });
        source.listeners.get(type)?.forEach((listener) => listener(event));
      }
    });
  }

  /** The connection drops on every open stream. */
  static fail(): void {
    act(() => {
      for (const source of FakeEventSource.instances.filter((instance) => !instance.closed)) {
        source.onerror?.(new Event('error'));
      }
    });
  }

  static reset(): void {
    FakeEventSource.instances = [];
  }
}
