// Keeps a failing plugin component from taking the shell down, and says what failed (the
// console shows its "Something wrong happened" page in the same place).
import { Component, type ErrorInfo, type ReactNode } from 'react';
import { Alert, ExpandableSection, PageSection } from '@patternfly/react-core';

type Props = { what: string; children?: ReactNode };
type State = { error?: Error };

export class ErrorBoundary extends Component<Props, State> {
  override state: State = {};

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo) {
    console.error(`console shell: ${this.props.what} failed to render`, error, info.componentStack);
  }

  override render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <PageSection hasBodyWrapper={false}>
        <Alert variant="danger" isInline title={`${this.props.what} failed to render`}>
          <p>{error.message}</p>
          {error.stack && (
            <ExpandableSection toggleText="Stack trace">
              <pre>{error.stack}</pre>
            </ExpandableSection>
          )}
        </Alert>
      </PageSection>
    );
  }
}
