// A secret held so that it cannot reach a log line, a response or an error by accident: printing,
// inspecting or serialising it gives "[redacted]"; only reveal() gives the value, for the one
// place that needs it (an SDK credential, an Authorization header).
import { inspect } from 'node:util';

export class SecretValue {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The plain value, for the credential or header that needs it and nowhere else. */
  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return '[redacted]';
  }

  toJSON(): string {
    return '[redacted]';
  }

  [inspect.custom](): string {
    return `${this.constructor.name}([redacted])`;
  }
}
