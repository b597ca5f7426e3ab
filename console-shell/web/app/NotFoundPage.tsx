import type { FC } from 'react';
import { Content, PageSection, Title } from '@patternfly/react-core';
import { useLocation } from 'react-router';
import { DocumentTitle } from '../sdk/components';

export const NotFoundPage: FC = () => {
  const { pathname } = useLocation();
  return (
    <PageSection hasBodyWrapper={false}>
      <DocumentTitle>Page Not Found (404)</DocumentTitle>
      <Title headingLevel="h1">404: Page Not Found</Title>
      <Content component="p">
        Nothing in the console shell or its plugins answers <code>{pathname}</code>.
      </Content>
    </PageSection>
  );
};
