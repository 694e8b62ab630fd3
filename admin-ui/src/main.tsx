import { ApolloProvider } from '@apollo/client/react';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createApolloClient } from './apollo';
import { App } from './app';
import { I18nProvider } from './i18n/i18n-context';
import './styles.css';

const rootElement = document.getElementById('root');
if (!rootElement) throw new Error('index.html has no #root element');

createRoot(rootElement).render(
  <StrictMode>
    <I18nProvider>
      <ApolloProvider client={createApolloClient()}>
        <App />
      </ApolloProvider>
    </I18nProvider>
  </StrictMode>,
);
